// Package eu reads the EU consolidated list of persons, groups and entities
// subject to EU financial sanctions (the "Financial Sanctions Files", FSF)
// and maps it to molehunt.ListEntry.
//
// Two of the Commission's formats are read: "XML 1.1" (an <export> of
// <sanctionEntity> elements whose data sit in attributes) and "CSV 1.1" (118
// ';'-separated columns, one row per name, address, birth date, document or
// citizenship, rows of one entity sharing Entity_LogicalId). Both carry the
// same model, so both are mapped through the same builder and give the same
// entries for the same list.
package eu

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"molehunt"
	"molehunt/lists/entrybuild"
)

// File names under which the list is stored and looked up.
const (
	FileXML = "eu_fsf.xml"
	FileCSV = "eu_fsf.csv"
)

// OfficialURL is the public download of the full list in XML 1.1. The token
// is not a secret: the Commission publishes it on data.europa.eu and every
// open tool uses the same value (opensanctions datasets/eu/fsf, moov-io
// watchman csl_eu), so it is a documented default that a configuration may
// override when the Commission rotates it.
const OfficialURL = "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"

// OfficialCSVURL is the same list in CSV 1.1, same token.
const OfficialCSVURL = "https://webgate.ec.europa.eu/fsd/fsf/public/files/csvFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"

// Errors wrapped in the *molehunt.RecordError the parsers return, so callers
// can tell a broken file from a wrong one with errors.Is.
var (
	// ErrMalformed means the file is not well-formed: truncated XML, a CSV
	// quote left open, a record without its identifier.
	ErrMalformed = errors.New("malformed file")
	// ErrMissingColumn means a CSV header lacks a column the parser needs.
	ErrMissingColumn = errors.New("missing required column")
	// ErrUnknownFormat means the data is neither the FSF XML nor the FSF CSV.
	ErrUnknownFormat = errors.New("not an EU FSF file")
)

// Parse reads either format: XML when the first non-space byte is '<', CSV
// otherwise. version is the file's generation date (YYYY-MM-DD) or "".
func Parse(data []byte) ([]molehunt.ListEntry, string, error) {
	if isXML(data) {
		return ParseXML(data)
	}
	return ParseCSV(data)
}

func isXML(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '<'
}

// The neutral forms below are what one XML element or one CSV row group
// says; both readers fill them and builder maps them, so the two formats
// cannot drift apart.

type rawName struct {
	Whole, First, Middle, Last string
	Lang, Title, Function      string
	Remark                     string
	Strong                     bool
}

type rawBirth struct {
	Date, Day, Month, Year string
	From, To               string
	City, Place, Region    string
	Country, CountryCode   string
	ZipCode                string
}

type rawAddress struct {
	Street, PoBox, City, Place, Region, ZipCode string
	Country, CountryCode                        string
	Remark, ContactInfo                         string
	// Contacts holds XML <contactInfo key= value=> pairs.
	Contacts [][2]string
}

type rawID struct {
	TypeCode, TypeDescription string
	Number, LatinNumber       string
	Country, CountryCode      string
	IssueDate, ValidTo        string
	IssuedBy, Remark          string
}

// builder accumulates one entity; entrybuild.Builder drops the exact
// repeats the CSV formats write on every row of an entity.
type builder struct {
	*entrybuild.Builder
}

func newBuilder(sourceID string) *builder {
	return &builder{entrybuild.New(molehunt.ListEUFSF, sourceID)}
}

func (b *builder) subjectType(codes ...string) {
	if b.E.Type != molehunt.EntityUnknown {
		return
	}
	for _, c := range codes {
		switch strings.ToLower(strings.TrimSpace(c)) {
		case "person", "p":
			b.E.Type = molehunt.EntityPerson
			return
		case "enterprise", "e":
			b.E.Type = molehunt.EntityOrganization
			return
		}
	}
}

func (b *builder) program(p string) { b.AppendUnique(&b.E.Programs, "program", p) }

// listedOn keeps the earliest ISO date offered: the designation date when
// the list gives one, else the first regulation that listed the entity.
func (b *builder) listedOn(d string) {
	d = strings.TrimSpace(d)
	if d == "" {
		return
	}
	iso, ok := isoDate(d)
	if !ok {
		b.BadValue("listing date", d)
		return
	}
	if b.Listed == "" || iso < b.Listed {
		b.Listed = iso
	}
}

func (b *builder) name(n rawName) {
	full := clean(n.Whole)
	if full == "" {
		full = joinNonEmpty(" ", n.First, n.Middle, n.Last)
	}
	if t := clean(n.Title); t != "" {
		b.AppendUnique(&b.Titles, "title", t)
	}
	if f := clean(n.Function); f != "" {
		b.Remark("Function: " + f)
	}
	quality := molehunt.NameStrong
	if !n.Strong {
		quality = molehunt.NameWeak
	}
	if r := strings.TrimSpace(n.Remark); r != "" {
		// The FSF marks some weak aliases only in a remark ("low quality
		// alias"); everything else in a name remark is worth keeping.
		if l := strings.ToLower(r); strings.Contains(l, "low quality") {
			quality = molehunt.NameWeak
		} else if !strings.Contains(l, "quality") {
			b.Remark(r)
		}
	}
	if full == "" {
		return
	}
	kind := molehunt.NameAlias
	if nonLatin(full) {
		kind = molehunt.NameOriginalScript
	}
	nm := molehunt.Name{Full: full, Kind: kind, Quality: quality}
	if b.E.Type != molehunt.EntityOrganization && kind != molehunt.NameOriginalScript {
		nm.Family = clean(n.Last)
		nm.Given = joinNonEmpty(" ", n.First, n.Middle)
	}
	if i, ok := b.Names[full]; ok {
		if quality == molehunt.NameStrong {
			b.E.Names[i].Quality = molehunt.NameStrong
		}
		if b.E.Names[i].Family == "" && b.E.Names[i].Given == "" {
			b.E.Names[i].Family, b.E.Names[i].Given = nm.Family, nm.Given
		}
		return
	}
	b.Names[full] = len(b.E.Names)
	b.E.Names = append(b.E.Names, nm)
}

func (b *builder) citizenship(desc, code string) {
	b.AppendUnique(&b.E.Citizenships, "citizenship", country(desc, code))
}

func (b *builder) birth(r rawBirth) {
	for _, d := range b.birthDates(r) {
		b.AppendUnique(&b.E.BirthDates, "birthdate", d)
	}
	place := joinNonEmpty(", ", r.City, r.Place, r.Region, country(r.Country, r.CountryCode))
	// A birth row that only names a country is still a birth place.
	b.AppendUnique(&b.E.BirthPlaces, "birthplace", place)
}

func (b *builder) birthDates(r rawBirth) []string {
	if d := strings.TrimSpace(r.Date); d != "" {
		if iso, ok := isoDate(d); ok {
			return []string{iso}
		}
		b.BadValue("birth date", d)
	}
	if y := strings.TrimSpace(r.Year); y != "" {
		if !isYear(y) {
			b.BadValue("birth year", y)
			return nil
		}
		m, mok := smallInt(r.Month, 12)
		if !mok {
			return []string{y}
		}
		d, dok := smallInt(r.Day, 31)
		if !dok {
			return []string{fmt.Sprintf("%s-%02d", y, m)}
		}
		iso := fmt.Sprintf("%s-%02d-%02d", y, m, d)
		if _, ok := isoDate(iso); !ok {
			b.BadValue("birth date", joinNonEmpty("-", y, r.Month, r.Day))
			return []string{fmt.Sprintf("%s-%02d", y, m)}
		}
		return []string{iso}
	}
	from, to := strings.TrimSpace(r.From), strings.TrimSpace(r.To)
	if from == "" && to == "" {
		return nil
	}
	if (from != "" && !isYear(from)) || (to != "" && !isYear(to)) {
		b.BadValue("birth year range", from+"-"+to)
		return nil
	}
	if from == "" || to == "" {
		return []string{from + to}
	}
	f, _ := strconv.Atoi(from)
	t, _ := strconv.Atoi(to)
	if t < f || t-f > 10 {
		// A wide or inverted range says little; keep its ends only.
		return []string{from, to}
	}
	var out []string
	for y := f; y <= t; y++ {
		out = append(out, strconv.Itoa(y))
	}
	return out
}

func (b *builder) address(a rawAddress) {
	street := joinNonEmpty(", ", a.Street, poBox(a.PoBox))
	addr := molehunt.Address{
		Street:     street,
		City:       clean(a.City),
		Region:     joinNonEmpty(", ", a.Place, a.Region),
		PostalCode: clean(a.ZipCode),
		Country:    country(a.Country, a.CountryCode),
		Note:       joinNonEmpty("; ", a.Remark, a.ContactInfo),
	}
	for _, kv := range a.Contacts {
		b.contact(kv[0], kv[1])
	}
	if addr == (molehunt.Address{}) {
		return
	}
	key := fmt.Sprintf("address\x00%v", addr)
	if !b.Once(key) {
		return
	}
	b.E.Addresses = append(b.E.Addresses, addr)
}

// contact files an XML <contactInfo> by its key; values may list several
// items separated by commas or semicolons.
func (b *builder) contact(key, value string) {
	var dst *[]string
	switch strings.ToUpper(strings.TrimSpace(key)) {
	case "PHONE", "FAX":
		dst = &b.E.Phones
	case "EMAIL":
		dst = &b.E.Emails
	case "WEB":
		dst = &b.E.Websites
	default:
		b.Remark(joinNonEmpty(": ", key, value))
		return
	}
	for _, v := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ';' }) {
		b.AppendUnique(dst, key, v)
	}
}

// docTypes maps FSF identificationTypeCode values to molehunt's document
// types; unknown codes pass through unchanged.
var docTypes = map[string]string{
	"passport":   "passport",
	"id":         "national_id",
	"regnumber":  "registration_number",
	"fiscalcode": "tax_number",
	"imo":        "imo",
	"swiftbic":   "swift_bic",
	"ssn":        "ssn",
}

func (b *builder) identification(r rawID) {
	number := clean(r.Number)
	if number == "" {
		number = clean(r.LatinNumber)
	}
	if number == "" {
		return
	}
	typ := strings.ToLower(clean(r.TypeCode))
	if t, ok := docTypes[typ]; ok {
		typ = t
	}
	if typ == "" {
		typ = "other"
	}
	doc := molehunt.IdentityDocument{
		Type:    typ,
		Number:  number,
		Country: country(r.Country, r.CountryCode),
		Note:    joinNonEmpty("; ", r.TypeDescription, r.IssuedBy, r.Remark),
	}
	if ln := clean(r.LatinNumber); ln != "" && ln != number {
		doc.Note = joinNonEmpty("; ", doc.Note, "latin number "+ln)
	}
	if d := strings.TrimSpace(r.IssueDate); d != "" {
		if iso, ok := isoDate(d); ok {
			doc.Issued = iso
		} else {
			b.BadValue("document issue date", d)
		}
	}
	if d := strings.TrimSpace(r.ValidTo); d != "" {
		if iso, ok := isoDate(d); ok {
			doc.Expires = iso
		} else {
			b.BadValue("document expiry date", d)
		}
	}
	if !b.Once(fmt.Sprintf("doc\x00%v", doc)) {
		return
	}
	b.E.Documents = append(b.E.Documents, doc)
}

// finish orders the names (the first Latin-script name becomes the primary
// name, as the FSF lists the main name first) and fills the derived fields.
func (b *builder) finish() molehunt.ListEntry {
	primary := -1
	for i, n := range b.E.Names {
		if n.Kind == molehunt.NameAlias && n.Quality == molehunt.NameStrong {
			primary = i
			break
		}
	}
	if primary < 0 {
		for i, n := range b.E.Names {
			if n.Kind == molehunt.NameAlias {
				primary = i
				break
			}
		}
	}
	if primary >= 0 {
		b.E.Names[primary].Kind = molehunt.NamePrimary
		if primary > 0 {
			p := b.E.Names[primary]
			copy(b.E.Names[1:primary+1], b.E.Names[:primary])
			b.E.Names[0] = p
		}
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

// country prefers the list's description (a readable name, as the other
// lists give) and falls back to the ISO code; "UNKNOWN" and "00" mean none.
func country(desc, code string) string {
	desc, code = clean(desc), clean(code)
	if strings.EqualFold(desc, "UNKNOWN") {
		desc = ""
	}
	if code == "00" {
		code = ""
	}
	if desc != "" {
		return desc
	}
	return code
}

func poBox(v string) string {
	v = clean(v)
	if v == "" {
		return ""
	}
	if strings.HasPrefix(strings.ToUpper(v), "P") {
		return v
	}
	return "PO Box " + v
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

// nonLatin reports whether s has a letter outside the Latin script: such a
// name is the original-script form and screening must not treat it as a
// romanised alias.
func nonLatin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}

func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != "0000"
}

// smallInt parses a day or month; empty, zero or out of range is "unknown".
func smallInt(s string, max int) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > max {
		return 0, false
	}
	return n, true
}

// isoDate normalises the dates the FSF uses: "2003-07-08", a timestamp
// "2024-12-11T21:24:35.826+01:00", or the CSV's "28/10/2022". Partial ISO
// prefixes ("1960", "1960-04") pass through.
func isoDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, 'T'); i == 10 {
		s = s[:10]
	}
	if p := strings.Split(s, "/"); len(p) == 3 {
		s = p[2] + "-" + p[1] + "-" + p[0]
	}
	parts := strings.Split(s, "-")
	if len(parts) == 0 || len(parts) > 3 || !isYear(parts[0]) {
		return "", false
	}
	if len(parts) >= 2 {
		m, ok := smallInt(parts[1], 12)
		if !ok || len(parts[1]) != 2 {
			return "", false
		}
		if len(parts) == 3 {
			d, ok := smallInt(parts[2], 31)
			if !ok || len(parts[2]) != 2 || d > daysIn(parts[0], m) {
				return "", false
			}
		}
	}
	return s, true
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

// inFileOrder finishes the builders in the order their ids first appeared,
// so output order follows the file.
func inFileOrder(order []string, byID map[string]*builder) []molehunt.ListEntry {
	out := make([]molehunt.ListEntry, 0, len(order))
	for _, id := range order {
		out = append(out, byID[id].finish())
	}
	return out
}
