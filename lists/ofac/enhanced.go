package ofac

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"molehunt"
)

// ParseEnhanced reads OFAC's Enhanced XML, given either the ZIP archive
// (CONS_ENHANCED.ZIP, or SDN_ENHANCED.ZIP) or the bare XML. Entities are
// decoded one at a time, so memory stays proportional to one entity. version
// is the publication's dataAsOf date (YYYY-MM-DD), or "" if the file has none.
//
// Errors are *molehunt.RecordError: for XML the record is the entity's
// position and id ("entity[12] (id 9639)") and the field an element path.
func ParseEnhanced(list molehunt.ListName, data []byte) (entries []molehunt.ListEntry, version string, err error) {
	if list == "" {
		return nil, "", molehunt.Errorf(molehunt.EInvalid, "ofac.ParseEnhanced", "no list name")
	}
	name := "CONS_ENHANCED.XML"
	var r io.Reader = bytes.NewReader(data)
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, "", &molehunt.RecordError{File: EnhancedFile, Err: err}
		}
		var xf *zip.File
		for _, f := range zr.File {
			if strings.HasSuffix(strings.ToLower(f.Name), ".xml") {
				xf = f
				break
			}
		}
		if xf == nil {
			return nil, "", &molehunt.RecordError{File: EnhancedFile, Err: errors.New("no .xml file in the archive")}
		}
		rc, err := xf.Open()
		if err != nil {
			return nil, "", &molehunt.RecordError{File: EnhancedFile + "/" + xf.Name, Err: err}
		}
		defer rc.Close()
		name, r = xf.Name, rc
	}
	return decodeEnhanced(list, name, r)
}

func decodeEnhanced(list molehunt.ListName, file string, r io.Reader) ([]molehunt.ListEntry, string, error) {
	dec := xml.NewDecoder(r)
	var (
		entries []molehunt.ListEntry
		version string
		n       int
		root    bool
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", xmlError(file, dec, "", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "sanctionsData":
			root = true
		case "dataAsOf":
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				return nil, "", xmlError(file, dec, "publicationInfo/dataAsOf", err)
			}
			s = strings.TrimSpace(s)
			d, ok := normDate(s[:min(len(s), 10)])
			if !ok || len(d) != 10 {
				return nil, "", &molehunt.RecordError{File: file, Record: "publicationInfo", Field: "dataAsOf",
					Err: fmt.Errorf("%q is not a date", s)}
			}
			version = d
		case "entity":
			n++
			var x xEntity
			if err := dec.DecodeElement(&x, &se); err != nil {
				return nil, "", xmlError(file, dec, fmt.Sprintf("entity[%d]", n), err)
			}
			e, err := x.entry(list, file, n)
			if err != nil {
				return nil, "", err
			}
			entries = append(entries, e)
		}
	}
	if !root {
		return nil, "", &molehunt.RecordError{File: file, Err: errors.New("not an OFAC Enhanced XML file: no sanctionsData element")}
	}
	return entries, version, nil
}

func xmlError(file string, dec *xml.Decoder, record string, err error) error {
	line, _ := dec.InputPos()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line = se.Line
	}
	if record == "" {
		record = fmt.Sprintf("line %d", line)
	} else {
		record = fmt.Sprintf("%s (line %d)", record, line)
	}
	return &molehunt.RecordError{File: file, Record: record, Err: err}
}

// The subset of the Enhanced XML schema this package maps. Booleans are
// read as text so a bad value is reported with its element path.
type xEntity struct {
	ID          string `xml:"id,attr"`
	GeneralInfo struct {
		EntityType string `xml:"entityType"`
		Remarks    string `xml:"remarks"`
	} `xml:"generalInfo"`
	Lists []struct {
		DatePublished string `xml:"datePublished,attr"`
	} `xml:"sanctionsLists>sanctionsList"`
	Programs  []string     `xml:"sanctionsPrograms>sanctionsProgram"`
	Names     []xName      `xml:"names>name"`
	Addresses []xAddress   `xml:"addresses>address"`
	Features  []xFeature   `xml:"features>feature"`
	Documents []xIdentityD `xml:"identityDocuments>identityDocument"`
}

type xName struct {
	IsPrimary    string `xml:"isPrimary"`
	AliasType    string `xml:"aliasType"`
	IsLowQuality string `xml:"isLowQuality"`
	Translations []struct {
		IsPrimary string `xml:"isPrimary"`
		Script    string `xml:"script"`
		First     string `xml:"formattedFirstName"`
		Last      string `xml:"formattedLastName"`
		Full      string `xml:"formattedFullName"`
		Parts     []struct {
			Value string `xml:"value"`
		} `xml:"nameParts>namePart"`
	} `xml:"translations>translation"`
}

type xAddress struct {
	Country      string `xml:"country"`
	Translations []struct {
		IsPrimary string `xml:"isPrimary"`
		Parts     []struct {
			Type  string `xml:"type"`
			Value string `xml:"value"`
		} `xml:"addressParts>addressPart"`
	} `xml:"translations>translation"`
}

type xFeature struct {
	Type      string `xml:"type"`
	Value     string `xml:"value"`
	ValueDate struct {
		FromDateBegin string `xml:"fromDateBegin"`
		ToDateEnd     string `xml:"toDateEnd"`
	} `xml:"valueDate"`
}

type xIdentityD struct {
	Type             string `xml:"type"`
	Number           string `xml:"documentNumber"`
	IsValid          string `xml:"isValid"`
	IssuingCountry   string `xml:"issuingCountry"`
	IssuingAuthority string `xml:"issuingAuthority"`
	IssuingLocation  string `xml:"issuingLocation"`
	// Not in the consolidated file of 2025-01; read in case OFAC fills them.
	IssueDate      string `xml:"issueDate"`
	ExpirationDate string `xml:"expirationDate"`
}

func parseBool(file, record, field, s string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "true", "1":
		return true, nil
	case "false", "0", "":
		return false, nil
	}
	return false, &molehunt.RecordError{File: file, Record: record, Field: field, Err: fmt.Errorf("%q is not a boolean", s)}
}

// entry maps one decoded entity; n is its position, for errors.
func (x *xEntity) entry(list molehunt.ListName, file string, n int) (molehunt.ListEntry, error) {
	record := fmt.Sprintf("entity[%d] (id %s)", n, x.ID)
	id, err := strconv.Atoi(strings.TrimSpace(x.ID))
	if err != nil || id <= 0 {
		return molehunt.ListEntry{}, &molehunt.RecordError{File: file, Record: fmt.Sprintf("entity[%d]", n), Field: "@id",
			Err: fmt.Errorf("id %q is not a positive integer", x.ID)}
	}
	sid := strconv.Itoa(id)
	e := molehunt.ListEntry{ID: molehunt.EntryID(list, sid), SourceID: sid, List: list}
	switch strings.ToLower(strings.TrimSpace(x.GeneralInfo.EntityType)) {
	case "individual":
		e.Type = molehunt.EntityPerson
	case "entity":
		e.Type = molehunt.EntityOrganization
	case "vessel":
		e.Type = molehunt.EntityVessel
	case "aircraft":
		e.Type = molehunt.EntityAircraft
	}
	for _, p := range x.Programs {
		e.Programs = appendUnique(e.Programs, strings.TrimSpace(p))
	}
	for _, l := range x.Lists {
		if d, ok := normDate(l.DatePublished); ok && (e.ListedOn == "" || d < e.ListedOn) {
			e.ListedOn = d
		}
	}
	if err := x.mapNames(&e, file, record); err != nil {
		return e, err
	}
	if len(e.Names) == 0 {
		return e, &molehunt.RecordError{File: file, Record: record, Field: "names", Err: errors.New("no name")}
	}
	for _, a := range x.Addresses {
		if addr, ok := mapAddress(a); ok {
			e.Addresses = append(e.Addresses, addr)
		}
	}
	for i, d := range x.Documents {
		doc := molehunt.IdentityDocument{
			Type:    strings.TrimSpace(d.Type),
			Number:  strings.TrimSpace(d.Number),
			Country: strings.TrimSpace(d.IssuingCountry),
			Issued:  normOrKeep(strings.TrimSpace(d.IssueDate)),
			Expires: normOrKeep(strings.TrimSpace(d.ExpirationDate)),
		}
		valid, err := parseBool(file, record, fmt.Sprintf("identityDocuments/identityDocument[%d]/isValid", i+1), d.IsValid)
		if err != nil {
			return e, err
		}
		var notes []string
		for _, s := range []string{d.IssuingAuthority, d.IssuingLocation} {
			if s = strings.TrimSpace(s); s != "" {
				notes = append(notes, s)
			}
		}
		if !valid && strings.TrimSpace(d.IsValid) != "" {
			notes = append(notes, "not valid")
		}
		doc.Note = strings.Join(notes, "; ")
		if doc.Number != "" {
			e.Documents = appendDoc(e.Documents, doc)
		}
	}
	remarks := []string{}
	if r := strings.TrimSpace(x.GeneralInfo.Remarks); r != "" {
		remarks = append(remarks, r)
	}
	for _, f := range x.Features {
		if r := mapFeature(&e, f); r != "" {
			remarks = append(remarks, r)
		}
	}
	e.Remarks = strings.Join(remarks, "; ")
	return e, nil
}

// mapNames maps names and their translations. The primary translation
// carries the name's kind; another translation in a non-Latin script is an
// original-script name, one in Latin script a further spelling of the same
// kind. Primary names come first.
func (x *xEntity) mapNames(e *molehunt.ListEntry, file, record string) error {
	var primary, other []molehunt.Name
	for i, nm := range x.Names {
		path := fmt.Sprintf("names/name[%d]", i+1)
		isPrimary, err := parseBool(file, record, path+"/isPrimary", nm.IsPrimary)
		if err != nil {
			return err
		}
		low, err := parseBool(file, record, path+"/isLowQuality", nm.IsLowQuality)
		if err != nil {
			return err
		}
		kind := molehunt.NamePrimary
		if !isPrimary {
			kind = altKind(strings.TrimSpace(nm.AliasType))
		}
		quality := molehunt.NameStrong
		if low {
			quality = molehunt.NameWeak
		}
		for j, t := range nm.Translations {
			tp, err := parseBool(file, record, fmt.Sprintf("%s/translations/translation[%d]/isPrimary", path, j+1), t.IsPrimary)
			if err != nil {
				return err
			}
			full := strings.TrimSpace(t.Full)
			if full == "" {
				var parts []string
				for _, p := range t.Parts {
					if v := strings.TrimSpace(p.Value); v != "" {
						parts = append(parts, v)
					}
				}
				full = strings.Join(parts, " ")
			}
			if full == "" {
				continue
			}
			n := molehunt.Name{Full: full, Kind: kind, Quality: quality}
			if !tp && !strings.EqualFold(strings.TrimSpace(t.Script), "Latin") && strings.TrimSpace(t.Script) != "" {
				n.Kind = molehunt.NameOriginalScript
			}
			if e.Type == molehunt.EntityPerson {
				n.Family, n.Given = strings.TrimSpace(t.Last), strings.TrimSpace(t.First)
			}
			if n.Kind == molehunt.NamePrimary {
				primary = appendName(primary, n)
			} else {
				other = appendName(other, n)
			}
		}
	}
	e.Names = append(primary, other...)
	return nil
}

func mapAddress(a xAddress) (molehunt.Address, bool) {
	addr := molehunt.Address{Country: strings.TrimSpace(a.Country)}
	if len(a.Translations) > 0 {
		t := a.Translations[0]
		for _, c := range a.Translations {
			if strings.TrimSpace(c.IsPrimary) == "true" {
				t = c
				break
			}
		}
		var street []string
		for _, p := range t.Parts {
			v := strings.TrimSpace(p.Value)
			if v == "" {
				continue
			}
			switch strings.ToUpper(strings.TrimSpace(p.Type)) {
			case "ADDRESS1", "ADDRESS2", "ADDRESS3":
				street = append(street, v)
			case "CITY":
				addr.City = v
			case "STATE/PROVINCE", "REGION":
				if addr.Region == "" {
					addr.Region = v
				} else {
					addr.Region += ", " + v
				}
			case "POSTAL CODE":
				addr.PostalCode = v
			default:
				if addr.Note == "" {
					addr.Note = v
				} else {
					addr.Note += ", " + v
				}
			}
		}
		addr.Street = strings.Join(street, ", ")
	}
	return addr, addr != (molehunt.Address{})
}

// mapFeature puts one feature into its field of e, or returns it as a
// remark fragment ("Type Value") when it has no field.
func mapFeature(e *molehunt.ListEntry, f xFeature) string {
	typ := strings.TrimSpace(f.Type)
	v := strings.TrimSpace(f.Value)
	switch typ {
	case "Birthdate":
		dates := parseDOB(v)
		if len(dates) == 0 {
			if d, ok := normDate(f.ValueDate.FromDateBegin); ok {
				dates = []string{d}
			}
		}
		for _, d := range dates {
			e.BirthDates = appendUnique(e.BirthDates, d)
		}
		if len(dates) > 0 {
			return ""
		}
	case "Place of Birth":
		e.BirthPlaces = appendUnique(e.BirthPlaces, v)
		return ""
	case "Nationality Country", "Nationality of Registration", "Vessel Flag":
		e.Nationalities = appendUnique(e.Nationalities, v)
		return ""
	case "Citizenship Country":
		e.Citizenships = appendUnique(e.Citizenships, v)
		return ""
	case "Email Address":
		e.Emails = appendUnique(e.Emails, v)
		return ""
	case "Website":
		e.Websites = appendUnique(e.Websites, v)
		return ""
	case "Phone Number", "Telephone", "Fax":
		e.Phones = appendUnique(e.Phones, v)
		return ""
	case "Gender":
		return ""
	}
	if cur, ok := strings.CutPrefix(typ, "Digital Currency Address - "); ok && v != "" {
		e.Crypto = appendCrypto(e.Crypto, molehunt.CryptoAddress{Currency: strings.TrimSpace(cur), Address: v})
		return ""
	}
	if d, rest, ok := lookupDocLabel(typ + " " + v); ok && v != "" {
		if doc, ok := parseDocValue(d, rest); ok {
			e.Documents = appendDoc(e.Documents, doc)
			return ""
		}
	}
	if typ == "" && v == "" {
		return ""
	}
	return strings.TrimSpace(typ + " " + v)
}
