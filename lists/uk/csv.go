package uk

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"molehunt"
)

// csvLayout describes one of the two CSV formats: its file name for
// errors, the column that groups rows into a designation, the columns it
// cannot do without, how to read its banner line, and how to map a row.
type csvLayout struct {
	file     string
	key      string
	required []string
	banner   func(line []string) (version string, ok bool)
	row      func(b *builder, get func(string) string)
}

// fcdoCSV is the FCDO UK Sanctions List CSV: "Report Date: 13-Feb-2026",
// then a 58-column header.
var fcdoCSV = csvLayout{
	file:     FileCSV,
	key:      "Unique ID",
	required: []string{"Unique ID", "Name 6", "Name type"},
	banner: func(line []string) (string, bool) {
		s := strings.TrimSpace(strings.Join(line, ","))
		rest, ok := strings.CutPrefix(s, "Report Date:")
		if !ok {
			return "", false
		}
		for _, layout := range []string{"02-Jan-2006", "2-Jan-2006", "02/01/2006"} {
			if t, err := time.Parse(layout, strings.TrimSpace(rest)); err == nil {
				return t.Format("2006-01-02"), true
			}
		}
		return "", true
	},
	row: fcdoRow,
}

// conList is OFSI's ConList.csv: "Last Updated,dd/mm/yyyy", then a
// 36-column header.
var conList = csvLayout{
	file:     FileConList,
	key:      "Group ID",
	required: []string{"Group ID", "Name 6", "Group Type", "Alias Type"},
	banner: func(line []string) (string, bool) {
		if len(line) == 0 || !strings.EqualFold(strings.TrimSpace(line[0]), "Last Updated") {
			return "", false
		}
		if len(line) > 1 {
			if iso, ok := ukDate(line[1]); ok && len(iso) == 10 {
				return iso, true
			}
		}
		return "", true
	},
	row: conListRow,
}

func parseFCDOCSV(data []byte) ([]molehunt.ListEntry, string, error) {
	return parseCSV(data, fcdoCSV)
}

func parseConList(data []byte) ([]molehunt.ListEntry, string, error) {
	return parseCSV(data, conList)
}

func parseCSV(data []byte, l csvLayout) ([]molehunt.ListEntry, string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	fail := func(record, field string, err error) ([]molehunt.ListEntry, string, error) {
		return nil, "", &molehunt.RecordError{File: l.file, Record: record, Field: field, Err: err}
	}
	read := func() ([]string, string, error) {
		rec, err := r.Read()
		line, _ := r.FieldPos(0)
		return rec, fmt.Sprintf("line %d", line), err
	}

	// The banner line is optional: an archived copy may start at the header.
	var version string
	header, where, err := read()
	if err == nil {
		if v, ok := l.banner(header); ok {
			version = v
			header, where, err = read()
		}
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fail(where, "", fmt.Errorf("%w: no header", ErrMalformed))
		}
		return fail(where, "", fmt.Errorf("%w: %w", ErrMalformed, err))
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[strings.ToLower(clean(h))] = i
	}
	for _, c := range l.required {
		if _, ok := col[strings.ToLower(c)]; !ok {
			return fail(where, c, ErrMissingColumn)
		}
	}

	var (
		order []string
		byID  = map[string]*builder{}
	)
	for {
		rec, where, err := read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(where, "", fmt.Errorf("%w: %w", ErrMalformed, err))
		}
		get := func(name string) string {
			if i, ok := col[strings.ToLower(name)]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		id := get(l.key)
		if id == "" {
			if blank(rec) {
				continue
			}
			return fail(where, l.key, fmt.Errorf("%w: empty %s", ErrMalformed, l.key))
		}
		b, ok := byID[id]
		if !ok {
			b = newBuilder(id)
			byID[id] = b
			order = append(order, id)
		}
		l.row(b, get)
	}
	entries := make([]molehunt.ListEntry, 0, len(order))
	for _, id := range order {
		e := byID[id].finish()
		if len(e.Names) == 0 {
			return fail(l.key+" "+id, "Name 6", fmt.Errorf("%w: designation has no name", ErrMalformed))
		}
		entries = append(entries, e)
	}
	return entries, version, nil
}

func namesFrom(get func(string) string) [6]string {
	var p [6]string
	for i := range p {
		p[i] = get(fmt.Sprintf("Name %d", i+1))
	}
	return p
}

func fcdoRow(b *builder, get func(string) string) {
	b.entityType(get("Designation Type"))
	b.name(rawName{Parts: namesFrom(get), Type: get("Name type"), Quality: get("Alias strength")})
	b.originalScript(get("Name non-latin script"))
	b.AppendUnique(&b.Titles, "title", get("Title"))
	b.AppendUnique(&b.E.Programs, "program", get("Regime Name"))
	b.listedOn(get("Date Designated"))
	if un := get("UN Reference Number"); un != "" {
		b.Remark("UN reference number: " + un)
	}
	b.Remark(get("Other Information"))
	if s := get("UK Statement of Reasons"); s != "" {
		b.Remark("Statement of reasons: " + s)
	}
	var a rawAddress
	for i := range a.Lines {
		a.Lines[i] = get(fmt.Sprintf("Address Line %d", i+1))
	}
	a.PostalCode, a.Country = get("Address Postal Code"), get("Address Country")
	b.address(a)
	b.AppendUnique(&b.E.Phones, "phone", get("Phone number"))
	b.AppendUnique(&b.E.Websites, "website", get("Website"))
	b.email(get("Email address"))
	b.birthDate(get("D.O.B"))
	b.nationality(get("Nationality(/ies)"))
	b.document("national_id", get("National Identifier number"), get("National Identifier additional information"))
	b.document("passport", get("Passport number"), get("Passport additional information"))
	if p := get("Position"); p != "" {
		b.Remark("Position: " + p)
	}
	b.birthPlace(get("Town of birth"), get("Country of birth"))
	b.document("registration_number", get("Business registration number (s)"), "")
	b.document("imo", get("IMO number"), "")
	b.document("hull_id", get("Hull identification number (HIN)"), "")
}

func conListRow(b *builder, get func(string) string) {
	b.entityType(get("Group Type"))
	b.name(rawName{Parts: namesFrom(get), Type: get("Alias Type"), Quality: get("Alias Quality")})
	b.originalScript(get("Name Non-Latin Script"))
	b.AppendUnique(&b.Titles, "title", get("Title"))
	b.AppendUnique(&b.E.Programs, "program", get("Regime"))
	b.listedOn(get("Listed On"))
	b.Remark(get("Other Information"))
	var a rawAddress
	for i := range a.Lines {
		a.Lines[i] = get(fmt.Sprintf("Address %d", i+1))
	}
	a.PostalCode, a.Country = get("Post/Zip Code"), get("Country")
	b.address(a)
	b.birthDate(get("DOB"))
	b.nationality(get("Nationality"))
	b.document("passport", get("Passport Number"), get("Passport Details"))
	b.document("national_id", get("National Identification Number"), get("National Identification Details"))
	if p := get("Position"); p != "" {
		b.Remark("Position: " + p)
	}
	b.birthPlace(get("Town of Birth"), get("Country of Birth"))
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
