package eu

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"molehunt"
)

// The XML 1.1 elements read. encoding/xml matches these local names in any
// namespace, so the export's default namespace
// (http://eu.europa.ec/fpi/fsd/export) needs no mention.
type xmlEntity struct {
	LogicalID          string   `xml:"logicalId,attr"`
	EUReference        string   `xml:"euReferenceNumber,attr"`
	UNID               string   `xml:"unitedNationId,attr"`
	DesignationDate    string   `xml:"designationDate,attr"`
	DesignationDetails string   `xml:"designationDetails,attr"`
	Remarks            []string `xml:"remark"`
	Regulations        []struct {
		Programme          string `xml:"programme,attr"`
		PublicationDate    string `xml:"publicationDate,attr"`
		EntryIntoForceDate string `xml:"entryIntoForceDate,attr"`
	} `xml:"regulation"`
	SubjectType struct {
		Code               string `xml:"code,attr"`
		ClassificationCode string `xml:"classificationCode,attr"`
	} `xml:"subjectType"`
	NameAliases []struct {
		FirstName    string   `xml:"firstName,attr"`
		MiddleName   string   `xml:"middleName,attr"`
		LastName     string   `xml:"lastName,attr"`
		WholeName    string   `xml:"wholeName,attr"`
		Function     string   `xml:"function,attr"`
		Title        string   `xml:"title,attr"`
		NameLanguage string   `xml:"nameLanguage,attr"`
		Strong       string   `xml:"strong,attr"`
		Remarks      []string `xml:"remark"`
	} `xml:"nameAlias"`
	Citizenships []struct {
		CountryIso2Code    string `xml:"countryIso2Code,attr"`
		CountryDescription string `xml:"countryDescription,attr"`
	} `xml:"citizenship"`
	Birthdates []struct {
		Birthdate          string `xml:"birthdate,attr"`
		DayOfMonth         string `xml:"dayOfMonth,attr"`
		MonthOfYear        string `xml:"monthOfYear,attr"`
		Year               string `xml:"year,attr"`
		YearRangeFrom      string `xml:"yearRangeFrom,attr"`
		YearRangeTo        string `xml:"yearRangeTo,attr"`
		City               string `xml:"city,attr"`
		Place              string `xml:"place,attr"`
		Region             string `xml:"region,attr"`
		ZipCode            string `xml:"zipCode,attr"`
		CountryIso2Code    string `xml:"countryIso2Code,attr"`
		CountryDescription string `xml:"countryDescription,attr"`
	} `xml:"birthdate"`
	Addresses []struct {
		Street             string   `xml:"street,attr"`
		PoBox              string   `xml:"poBox,attr"`
		City               string   `xml:"city,attr"`
		Place              string   `xml:"place,attr"`
		Region             string   `xml:"region,attr"`
		ZipCode            string   `xml:"zipCode,attr"`
		CountryIso2Code    string   `xml:"countryIso2Code,attr"`
		CountryDescription string   `xml:"countryDescription,attr"`
		Remarks            []string `xml:"remark"`
		ContactInfo        []struct {
			Key   string `xml:"key,attr"`
			Value string `xml:"value,attr"`
		} `xml:"contactInfo"`
	} `xml:"address"`
	Identifications []struct {
		Number                        string   `xml:"number,attr"`
		LatinNumber                   string   `xml:"latinNumber,attr"`
		IdentificationTypeCode        string   `xml:"identificationTypeCode,attr"`
		IdentificationTypeDescription string   `xml:"identificationTypeDescription,attr"`
		IssuedBy                      string   `xml:"issuedBy,attr"`
		IssueDate                     string   `xml:"issueDate,attr"`
		IssuedDate                    string   `xml:"issuedDate,attr"`
		ValidTo                       string   `xml:"validTo,attr"`
		CountryIso2Code               string   `xml:"countryIso2Code,attr"`
		CountryDescription            string   `xml:"countryDescription,attr"`
		Remarks                       []string `xml:"remark"`
	} `xml:"identification"`
}

// ParseXML reads the FSF XML 1.1 export. version is the export's
// generationDate as YYYY-MM-DD, or "" when absent.
func ParseXML(data []byte) ([]molehunt.ListEntry, string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var (
		version   string
		entries   []molehunt.ListEntry
		rootSeen  bool
		rootEnded bool
		n         int
		open      []string // names of the open elements outside entities
	)
	fail := func(record, field string, err error) ([]molehunt.ListEntry, string, error) {
		return nil, "", &molehunt.RecordError{File: FileXML, Record: record, Field: field, Err: err}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			rec, field := "export", ""
			if n > 0 {
				rec = fmt.Sprintf("after sanctionEntity[%d]", n)
			}
			if len(open) > 0 {
				field = open[len(open)-1]
			}
			return fail(rec, field, fmt.Errorf("%w: %w", ErrMalformed, err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !rootSeen {
				if t.Name.Local != "export" {
					return fail("", t.Name.Local, fmt.Errorf("%w: root element <%s>, want <export>", ErrUnknownFormat, t.Name.Local))
				}
				rootSeen = true
				open = append(open, t.Name.Local)
				version = generationDate(t)
				continue
			}
			if t.Name.Local != "sanctionEntity" {
				if err := dec.Skip(); err != nil {
					return fail("export", t.Name.Local, fmt.Errorf("%w: %w", ErrMalformed, err))
				}
				continue
			}
			n++
			id := attr(t, "logicalId")
			rec := fmt.Sprintf("sanctionEntity[%d] (logicalId %s)", n, id)
			var x xmlEntity
			if err := dec.DecodeElement(&x, &t); err != nil {
				return fail(rec, "", fmt.Errorf("%w: %w", ErrMalformed, err))
			}
			e, field, err := mapXML(&x)
			if err != nil {
				return fail(rec, field, err)
			}
			entries = append(entries, e)
		case xml.EndElement:
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
			if t.Name.Local == "export" {
				rootEnded = true
			}
		}
	}
	if !rootSeen {
		return fail("", "export", fmt.Errorf("%w: no <export> element", ErrUnknownFormat))
	}
	if !rootEnded {
		return fail(fmt.Sprintf("after sanctionEntity[%d]", n), "export", fmt.Errorf("%w: file ends before </export>", ErrMalformed))
	}
	return entries, version, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func generationDate(t xml.StartElement) string {
	if iso, ok := isoDate(attr(t, "generationDate")); ok && len(iso) == 10 {
		return iso
	}
	return ""
}

// mapXML returns the entry, or the field that makes it unusable.
func mapXML(x *xmlEntity) (molehunt.ListEntry, string, error) {
	id := strings.TrimSpace(x.LogicalID)
	if id == "" {
		return molehunt.ListEntry{}, "logicalId", fmt.Errorf("%w: sanctionEntity has no logicalId", ErrMalformed)
	}
	b := newBuilder(id)
	b.subjectType(x.SubjectType.Code, x.SubjectType.ClassificationCode)
	for _, r := range x.Remarks {
		b.Remark(r)
	}
	if d := clean(x.DesignationDetails); d != "" {
		b.Remark(d)
	}
	b.listedOn(x.DesignationDate)
	for _, r := range x.Regulations {
		b.program(r.Programme)
		if x.DesignationDate == "" {
			b.listedOn(r.PublicationDate)
		}
	}
	for _, a := range x.NameAliases {
		b.name(rawName{
			Whole: a.WholeName, First: a.FirstName, Middle: a.MiddleName, Last: a.LastName,
			Lang: a.NameLanguage, Title: a.Title, Function: a.Function,
			Remark: strings.Join(a.Remarks, "; "),
			Strong: !strings.EqualFold(strings.TrimSpace(a.Strong), "false"),
		})
	}
	if len(b.E.Names) == 0 {
		return molehunt.ListEntry{}, "nameAlias", fmt.Errorf("%w: sanctionEntity has no name", ErrMalformed)
	}
	for _, c := range x.Citizenships {
		b.citizenship(c.CountryDescription, c.CountryIso2Code)
	}
	for _, d := range x.Birthdates {
		b.birth(rawBirth{
			Date: d.Birthdate, Day: d.DayOfMonth, Month: d.MonthOfYear, Year: d.Year,
			From: d.YearRangeFrom, To: d.YearRangeTo,
			City: d.City, Place: d.Place, Region: d.Region, ZipCode: d.ZipCode,
			Country: d.CountryDescription, CountryCode: d.CountryIso2Code,
		})
	}
	for _, a := range x.Addresses {
		ra := rawAddress{
			Street: a.Street, PoBox: a.PoBox, City: a.City, Place: a.Place, Region: a.Region,
			ZipCode: a.ZipCode, Country: a.CountryDescription, CountryCode: a.CountryIso2Code,
			Remark: strings.Join(a.Remarks, "; "),
		}
		for _, c := range a.ContactInfo {
			ra.Contacts = append(ra.Contacts, [2]string{c.Key, c.Value})
		}
		b.address(ra)
	}
	for _, d := range x.Identifications {
		issued := d.IssueDate
		if issued == "" {
			issued = d.IssuedDate
		}
		b.identification(rawID{
			TypeCode: d.IdentificationTypeCode, TypeDescription: d.IdentificationTypeDescription,
			Number: d.Number, LatinNumber: d.LatinNumber,
			Country: d.CountryDescription, CountryCode: d.CountryIso2Code,
			IssueDate: issued, ValidTo: d.ValidTo, IssuedBy: d.IssuedBy,
			Remark: strings.Join(d.Remarks, "; "),
		})
	}
	return b.finish(), "", nil
}
