package eu

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"molehunt"
)

// The CSV 1.1 columns read, by header name. The file has 118 columns; the
// parser looks columns up by name, so added or reordered columns do not
// break it. Only the two below are required: without an id rows cannot be
// grouped, without a name column no entry can be screened.
const (
	colGenerationDate = "fileGenerationDate"
	colLogicalID      = "Entity_LogicalId"
	colWholeName      = "NameAlias_WholeName"
)

var requiredCSV = []string{colLogicalID, colWholeName}

// ParseCSV reads the FSF CSV 1.1 export. version is the fileGenerationDate
// of the first data row as YYYY-MM-DD, or "".
func ParseCSV(data []byte) ([]molehunt.ListEntry, string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = ';'
	r.FieldsPerRecord = -1
	// The Commission's CSV quotes inconsistently (a bare '"' inside an
	// unquoted remark); LazyQuotes reads those fields as written.
	r.LazyQuotes = true
	r.ReuseRecord = false

	fail := func(record, field string, err error) ([]molehunt.ListEntry, string, error) {
		return nil, "", &molehunt.RecordError{File: FileCSV, Record: record, Field: field, Err: err}
	}
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fail("line 1", "", fmt.Errorf("%w: empty file", ErrMalformed))
		}
		return fail("line 1", "", fmt.Errorf("%w: %w", ErrMalformed, err))
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, c := range requiredCSV {
		if _, ok := col[c]; !ok {
			if len(header) == 1 && !strings.Contains(header[0], ";") && !strings.HasPrefix(header[0], "fileGenerationDate") {
				return fail("line 1", c, fmt.Errorf("%w: header %q is not ';'-separated FSF CSV", ErrUnknownFormat, truncate(header[0])))
			}
			return fail("line 1", c, ErrMissingColumn)
		}
	}

	var (
		version string
		order   []string
		byID    = map[string]*builder{}
	)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		lineRec := fmt.Sprintf("line %d", line)
		if err != nil {
			return fail(lineRec, "", fmt.Errorf("%w: %w", ErrMalformed, err))
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		id := get(colLogicalID)
		if id == "" {
			if blank(rec) {
				continue
			}
			return fail(lineRec, colLogicalID, fmt.Errorf("%w: empty entity id", ErrMalformed))
		}
		if version == "" {
			if iso, ok := isoDate(get(colGenerationDate)); ok && len(iso) == 10 {
				version = iso
			}
		}
		b, ok := byID[id]
		if !ok {
			b = newBuilder(id)
			byID[id] = b
			order = append(order, id)
		}
		csvRow(b, get)
	}
	entries := inFileOrder(order, byID)
	for i, e := range entries {
		if len(e.Names) == 0 {
			return fail(fmt.Sprintf("Entity_LogicalId %s", e.SourceID), colWholeName,
				fmt.Errorf("%w: entity %d has no name", ErrMalformed, i+1))
		}
	}
	return entries, version, nil
}

// csvRow adds what one row says. A row may carry several parts (the export
// repeats the entity columns on every row and fills the part it is about),
// so every part is tried; the builder drops the repeats.
func csvRow(b *builder, get func(string) string) {
	b.subjectType(get("Entity_SubjectType_ClassificationCode"), get("Entity_SubjectType"))
	b.Remark(get("Entity_Remark"))
	b.Remark(get("Entity_DesignationDetails"))
	b.program(get("Entity_Regulation_Programme"))
	if d := get("Entity_DesignationDate"); d != "" {
		b.listedOn(d)
	} else {
		b.listedOn(get("Entity_Regulation_PublicationDate"))
	}

	if get("NameAlias_WholeName") != "" || get("NameAlias_LastName") != "" || get("NameAlias_FirstName") != "" {
		b.name(rawName{
			Whole: get("NameAlias_WholeName"), First: get("NameAlias_FirstName"),
			Middle: get("NameAlias_MiddleName"), Last: get("NameAlias_LastName"),
			Lang: get("NameAlias_NameLanguage"), Title: get("NameAlias_Title"),
			Function: get("NameAlias_Function"), Remark: get("NameAlias_Remark"),
			// CSV 1.1 has no strong/weak column; weak aliases are marked
			// only by their remark, which name() reads.
			Strong: !strings.EqualFold(get("NameAlias_Strong"), "false"),
		})
	}
	b.citizenship(get("Citizenship_CountryDescription"), get("Citizenship_CountryIso2Code"))
	if anyOf(get, "BirthDate_BirthDate", "BirthDate_Year", "BirthDate_YearRangeFrom", "BirthDate_YearRangeTo",
		"BirthDate_City", "BirthDate_Place", "BirthDate_CountryIso2Code", "BirthDate_CountryDescription") {
		b.birth(rawBirth{
			Date: get("BirthDate_BirthDate"), Day: get("BirthDate_Day"), Month: get("BirthDate_Month"),
			Year: get("BirthDate_Year"), From: get("BirthDate_YearRangeFrom"), To: get("BirthDate_YearRangeTo"),
			City: get("BirthDate_City"), Place: get("BirthDate_Place"), Region: get("BirthDate_Region"),
			ZipCode: get("BirthDate_ZipCode"),
			Country: get("BirthDate_CountryDescription"), CountryCode: get("BirthDate_CountryIso2Code"),
		})
	}
	b.address(rawAddress{
		Street: get("Address_Street"), PoBox: get("Address_PoBox"), City: get("Address_City"),
		Place: get("Address_Place"), Region: get("Address_Region"), ZipCode: get("Address_ZipCode"),
		Country: get("Address_CountryDescription"), CountryCode: get("Address_CountryIso2Code"),
		Remark: get("Address_Remark"), ContactInfo: get("Address_ContactInfo"),
	})
	b.identification(rawID{
		TypeCode: get("Identification_TypeCode"), TypeDescription: get("Identification_TypeDescription"),
		Number: get("Identification_Number"), LatinNumber: get("Identification_LatinNumber"),
		Country: get("Identification_CountryDescription"), CountryCode: get("Identification_CountryIso2Code"),
		IssueDate: get("Identification_IssuedDate"), ValidTo: get("Identification_ValidTo"),
		IssuedBy: get("Identification_IssuedBy"), Remark: get("Identification_Remark"),
	})
}

func anyOf(get func(string) string, names ...string) bool {
	for _, n := range names {
		if get(n) != "" {
			return true
		}
	}
	return false
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
