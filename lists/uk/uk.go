// Package uk reads the UK's sanctions lists and maps them to
// molehunt.ListEntry. Three formats are read, and Parse tells them apart:
//
//   - the FCDO "UK Sanctions List" in XML (<Designations> of <Designation>),
//     the official list since OFSI's consolidated list was retired;
//   - the same list in CSV (a "Report Date: 13-Feb-2026" line, then a
//     58-column header, one row per name or address, rows of one
//     designation sharing "Unique ID");
//   - OFSI's older consolidated list "ConList.csv" (a "Last Updated,
//     dd/mm/yyyy" line, then a 36-column header, rows sharing "Group ID").
//
// The FCDO formats key entries by Unique ID (e.g. "RUS0251"), ConList by
// OFSI Group ID (e.g. "6897"); the two numbering schemes never collide.
package uk

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"molehunt"
	"molehunt/lists/entrybuild"
)

// File names under which the list is stored and looked up, one per format.
const (
	File        = "uk_sanctions.xml"
	FileCSV     = "uk_sanctions.csv"
	FileConList = "ConList.csv"
)

// OfficialURL is the FCDO's stable download of the UK Sanctions List in
// XML, linked from https://www.gov.uk/government/publications/the-uk-sanctions-list.
const OfficialURL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"

// OfficialCSVURL is the same list in CSV.
const OfficialCSVURL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"

// ConListURL is where OFSI published its consolidated list (2022 format)
// until it was retired; kept for reading archived copies.
const ConListURL = "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv"

// Errors wrapped in the *molehunt.RecordError that Parse returns.
var (
	// ErrMalformed means the file is not well-formed: truncated XML, a
	// record without its identifier or without any name.
	ErrMalformed = errors.New("malformed file")
	// ErrMissingColumn means a CSV header lacks a column the parser needs.
	ErrMissingColumn = errors.New("missing required column")
	// ErrUnknownFormat means the data is none of the three UK formats.
	ErrUnknownFormat = errors.New("not a UK sanctions list file")
)

// Parse reads any of the three formats, telling them apart by their first
// bytes and lines. version is the list's own date (YYYY-MM-DD) when the
// file states one, else "".
func Parse(data []byte) ([]molehunt.ListEntry, string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '<' {
		return parseXML(data)
	}
	switch sniffCSV(trimmed) {
	case formatFCDOCSV:
		return parseFCDOCSV(data)
	case formatConList:
		return parseConList(data)
	}
	return nil, "", &molehunt.RecordError{File: FileCSV, Record: "line 1", Err: ErrUnknownFormat}
}

type csvFormat int

const (
	formatUnknown csvFormat = iota
	formatFCDOCSV
	formatConList
)

// sniffCSV looks at the first two lines: the banner line of each format, or
// failing that the key column of its header.
func sniffCSV(data []byte) csvFormat {
	lines := bytes.SplitN(data, []byte("\n"), 3)
	for i, l := range lines {
		if i > 1 {
			break
		}
		s := strings.ToLower(strings.Trim(string(l), "\"\r "))
		switch {
		case strings.HasPrefix(s, "report date"):
			return formatFCDOCSV
		case strings.HasPrefix(s, "last updated,") && i == 0:
			return formatConList
		case strings.Contains(s, "unique id"):
			return formatFCDOCSV
		case strings.Contains(s, "group id"):
			return formatConList
		}
	}
	return formatUnknown
}

// rawName is one name as any of the formats gives it.
type rawName struct {
	Parts   [6]string // Name 1 … Name 6; Name 6 is the family name
	Type    string    // "Primary Name", "Primary name variation", "Alias", "AKA", ...
	Quality string    // "Good quality a.k.a", "Low quality a.k.a", "Good", "Low", ""
}

type rawAddress struct {
	Lines      [6]string
	PostalCode string
	Country    string
}

// builder accumulates one entity; entrybuild.Builder drops the exact
// repeats the CSV formats write on every row of an entity.
type builder struct {
	*entrybuild.Builder
}

func newBuilder(sourceID string) *builder {
	return &builder{entrybuild.New(molehunt.ListUKHMT, sourceID)}
}

func (b *builder) entityType(v string) {
	if b.E.Type != molehunt.EntityUnknown {
		return
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "individual":
		b.E.Type = molehunt.EntityPerson
	case "entity":
		b.E.Type = molehunt.EntityOrganization
	case "ship":
		b.E.Type = molehunt.EntityVessel
	case "":
	default:
		b.BadValue("designation type", v)
	}
}

func (b *builder) name(n rawName) {
	given := joinNonEmpty(" ", n.Parts[:5]...)
	family := clean(n.Parts[5])
	full := joinNonEmpty(" ", given, family)
	if full == "" {
		return
	}
	kind := molehunt.NameAlias
	switch t := strings.ToLower(clean(n.Type)); {
	case t == "primary name":
		kind = molehunt.NamePrimary
	case strings.Contains(t, "fka") || strings.Contains(t, "formerly"):
		kind = molehunt.NameFormerly
	case strings.Contains(t, "nka") || strings.Contains(t, "now known"):
		kind = molehunt.NameNow
	}
	if nonLatin(full) {
		kind = molehunt.NameOriginalScript
	}
	quality := molehunt.NameStrong
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(n.Quality)), "low") {
		quality = molehunt.NameWeak
	}
	nm := molehunt.Name{Full: full, Kind: kind, Quality: quality}
	if given != "" && family != "" && kind != molehunt.NameOriginalScript {
		nm.Family, nm.Given = family, given
	}
	b.addName(nm)
}

func (b *builder) originalScript(v string) {
	if v = clean(v); v != "" {
		b.addName(molehunt.Name{Full: v, Kind: molehunt.NameOriginalScript, Quality: molehunt.NameStrong})
	}
}

func (b *builder) addName(nm molehunt.Name) {
	i, ok := b.Names[nm.Full]
	if !ok {
		b.Names[nm.Full] = len(b.E.Names)
		b.E.Names = append(b.E.Names, nm)
		return
	}
	old := &b.E.Names[i]
	if nm.Quality == molehunt.NameStrong {
		old.Quality = molehunt.NameStrong
	}
	if nm.Kind == molehunt.NamePrimary {
		old.Kind = molehunt.NamePrimary
	}
	if old.Family == "" && old.Given == "" {
		old.Family, old.Given = nm.Family, nm.Given
	}
}

func (b *builder) address(a rawAddress) {
	addr := molehunt.Address{
		Street:     joinNonEmpty(", ", a.Lines[:4]...),
		Region:     clean(a.Lines[4]),
		City:       clean(a.Lines[5]),
		PostalCode: clean(a.PostalCode),
		Country:    clean(a.Country),
	}
	if addr == (molehunt.Address{}) || !b.Once(fmt.Sprintf("address\x00%v", addr)) {
		return
	}
	b.E.Addresses = append(b.E.Addresses, addr)
}

func (b *builder) document(typ, number, note string) {
	number = clean(number)
	if number == "" {
		return
	}
	if typ == "imo" {
		number = strings.TrimSpace(strings.TrimPrefix(strings.ToUpper(number), "IMO"))
	}
	doc := molehunt.IdentityDocument{Type: typ, Number: number, Note: clean(note)}
	if !b.Once(fmt.Sprintf("doc\x00%s\x00%s", typ, number)) {
		// The lists repeat a document on several rows, sometimes with a
		// note on one copy only: keep the first note seen.
		for i := range b.E.Documents {
			d := &b.E.Documents[i]
			if d.Type == typ && d.Number == number && d.Note == "" {
				d.Note = doc.Note
			}
		}
		return
	}
	b.E.Documents = append(b.E.Documents, doc)
}

func (b *builder) birthDate(v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	iso, ok := ukDate(v)
	if !ok {
		b.BadValue("date of birth", v)
		return
	}
	b.AppendUnique(&b.E.BirthDates, "dob", iso)
}

func (b *builder) birthPlace(town, country string) {
	b.AppendUnique(&b.E.BirthPlaces, "birthplace", joinNonEmpty(", ", town, country))
}

var enumerated = regexp.MustCompile(`\(\d+\)`)

// nationality splits ConList's "(1) Afghanistan (2) Pakistan" into items.
func (b *builder) nationality(v string) {
	for _, p := range enumerated.Split(v, -1) {
		b.AppendUnique(&b.E.Nationalities, "nationality", strings.Trim(clean(p), ",;"))
	}
}

func (b *builder) listedOn(v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	iso, ok := ukDate(v)
	if !ok || len(iso) != 10 {
		b.BadValue("designation date", v)
		return
	}
	if b.Listed == "" || iso < b.Listed {
		b.Listed = iso
	}
}

var emailSplit = regexp.MustCompile(`[;,\s]+`)

func (b *builder) email(v string) {
	for _, e := range emailSplit.Split(v, -1) {
		if strings.Contains(e, "@") {
			b.AppendUnique(&b.E.Emails, "email", e)
		}
	}
}

// finish makes exactly one name primary, puts it first, and fills the
// derived fields.
func (b *builder) finish() molehunt.ListEntry {
	primary := -1
	for i, n := range b.E.Names {
		if n.Kind == molehunt.NamePrimary {
			if primary < 0 {
				primary = i
			} else {
				// Some designations carry several "Primary Name" rows;
				// the first is the caption, the others are variants.
				b.E.Names[i].Kind = molehunt.NameAlias
			}
		}
	}
	if primary < 0 {
		primary = firstName(b.E.Names, func(n molehunt.Name) bool {
			return n.Kind == molehunt.NameAlias && n.Quality == molehunt.NameStrong
		})
	}
	if primary < 0 {
		primary = firstName(b.E.Names, func(n molehunt.Name) bool { return n.Kind != molehunt.NameOriginalScript })
	}
	if primary > 0 {
		p := b.E.Names[primary]
		copy(b.E.Names[1:primary+1], b.E.Names[:primary])
		b.E.Names[0] = p
	}
	if primary >= 0 {
		b.E.Names[0].Kind = molehunt.NamePrimary
	}
	if b.E.Type != molehunt.EntityPerson {
		for i := range b.E.Names {
			b.E.Names[i].Family, b.E.Names[i].Given = "", ""
		}
	}
	b.E.Title = strings.Join(b.Titles, "; ")
	b.E.Remarks = strings.Join(b.Remarks, "\n")
	b.E.ListedOn = b.Listed
	return b.E
}

func firstName(names []molehunt.Name, ok func(molehunt.Name) bool) int {
	for i, n := range names {
		if ok(n) {
			return i
		}
	}
	return -1
}

// ukDate reads the lists' dd/mm/yyyy, where an unknown day or month is
// written "dd", "mm" or "00": "dd/mm/1945" is "1945", "dd/06/1970" is
// "1970-06". A bare year or an ISO date passes through.
func ukDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if isYear(s) {
		return s, true
	}
	var day, month, year string
	if p := strings.Split(s, "/"); len(p) == 3 {
		day, month, year = strings.TrimSpace(p[0]), strings.TrimSpace(p[1]), strings.TrimSpace(p[2])
	} else if p := strings.Split(s, "-"); len(p) == 3 && len(p[0]) == 4 {
		year, month, day = p[0], p[1], p[2]
	} else {
		return "", false
	}
	if !isYear(year) {
		return "", false
	}
	m, mok := dayOrMonth(month, 12)
	d, dok := dayOrMonth(day, 31)
	if m < 0 || d < 0 {
		return "", false
	}
	if !mok {
		return year, true
	}
	if !dok {
		return fmt.Sprintf("%s-%02d", year, m), true
	}
	if d > daysIn(year, m) {
		return "", false
	}
	return fmt.Sprintf("%s-%02d-%02d", year, m, d), true
}

// dayOrMonth returns the number, ok=false for an "unknown" placeholder, or
// -1 for something that is neither.
func dayOrMonth(s string, max int) (int, bool) {
	switch strings.ToLower(s) {
	case "dd", "mm", "00", "0", "":
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return -1, false
	}
	return n, true
}

func daysIn(year string, month int) int {
	y, _ := strconv.Atoi(year)
	switch month {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func isYear(s string) bool {
	if len(s) != 4 || s == "0000" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// clean trims and collapses runs of white space.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = clean(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// nonLatin reports whether s has a letter outside the Latin script.
func nonLatin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}
