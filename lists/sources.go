package lists

import (
	"fmt"

	"molehunt"
	"molehunt/lists/eu"
	"molehunt/lists/ofac"
	"molehunt/lists/uk"
	"molehunt/lists/un"
	"molehunt/lists/uscsl"
)

// DefaultSources returns every list molehunt knows, with the official
// download addresses. The EU and UK lists are optional: no full copy ships
// in the snapshot, so they load only once an update supplies them.
func DefaultSources() []Source {
	return []Source{
		{
			Name:  molehunt.ListOFACSDN,
			Files: ofac.SDNFiles,
			URLs:  urlsFor(ofac.SDNFiles),
			Parse: func(files map[string][]byte) ([]molehunt.ListEntry, string, error) {
				if _, ok := files[ofac.SDNFiles[0]]; !ok {
					return nil, "", fmt.Errorf("%s is missing", ofac.SDNFiles[0])
				}
				return ofac.ParseCSV(molehunt.ListOFACSDN, files)
			},
		},
		{
			Name:  molehunt.ListOFACCons,
			Files: append(append([]string(nil), ofac.ConsFiles...), ofac.EnhancedFile),
			URLs:  urlsFor(append(append([]string(nil), ofac.ConsFiles...), ofac.EnhancedFile)),
			// The CSV set and the Enhanced XML carry the same list; the CSV
			// set is used when present because it shares the SDN's layout
			// and is published more promptly, the Enhanced XML otherwise.
			Parse: func(files map[string][]byte) ([]molehunt.ListEntry, string, error) {
				if _, ok := files[ofac.ConsFiles[0]]; ok {
					return ofac.ParseCSV(molehunt.ListOFACCons, files)
				}
				if b, ok := files[ofac.EnhancedFile]; ok {
					return ofac.ParseEnhanced(molehunt.ListOFACCons, b)
				}
				return nil, "", fmt.Errorf("neither %s nor %s is present", ofac.ConsFiles[0], ofac.EnhancedFile)
			},
		},
		{
			Name:  molehunt.ListUNSC,
			Files: []string{un.File},
			URLs:  map[string]string{un.File: un.OfficialURL},
			Parse: func(files map[string][]byte) ([]molehunt.ListEntry, string, error) {
				b, ok := files[un.File]
				if !ok {
					return nil, "", fmt.Errorf("%s is missing", un.File)
				}
				return un.Parse(b)
			},
		},
		{
			Name:  molehunt.ListUSCSL,
			Files: []string{uscsl.File},
			URLs:  map[string]string{uscsl.File: uscsl.OfficialURL},
			Parse: func(files map[string][]byte) ([]molehunt.ListEntry, string, error) {
				b, ok := files[uscsl.File]
				if !ok {
					return nil, "", fmt.Errorf("%s is missing", uscsl.File)
				}
				return uscsl.Parse(b, uscsl.DefaultOptions())
			},
		},
		{
			Name:     molehunt.ListEUFSF,
			Files:    []string{eu.FileXML, eu.FileCSV},
			URLs:     map[string]string{eu.FileXML: eu.OfficialURL},
			Optional: true,
			Parse: func(files map[string][]byte) ([]molehunt.ListEntry, string, error) {
				if b, ok := files[eu.FileXML]; ok {
					return eu.ParseXML(b)
				}
				if b, ok := files[eu.FileCSV]; ok {
					return eu.ParseCSV(b)
				}
				return nil, "", fmt.Errorf("neither %s nor %s is present", eu.FileXML, eu.FileCSV)
			},
		},
		{
			Name:     molehunt.ListUKHMT,
			Files:    []string{uk.File, uk.FileCSV, uk.FileConList},
			URLs:     map[string]string{uk.File: uk.OfficialURL},
			Optional: true,
			// The FCDO UK Sanctions List (XML, else its CSV) is the official
			// source since OFSI's consolidated list closed; a ConList CSV is
			// still read when that is what an operator has.
			Parse: func(files map[string][]byte) ([]molehunt.ListEntry, string, error) {
				for _, name := range []string{uk.File, uk.FileCSV, uk.FileConList} {
					if b, ok := files[name]; ok {
						return uk.Parse(b)
					}
				}
				return nil, "", fmt.Errorf("none of %s, %s, %s is present", uk.File, uk.FileCSV, uk.FileConList)
			},
		},
	}
}

func urlsFor(files []string) map[string]string {
	m := make(map[string]string, len(files))
	for _, f := range files {
		if u, ok := ofac.OfficialURLs[f]; ok {
			m[f] = u
		}
	}
	return m
}
