// Package uscsl reads the US Consolidated Screening List (the CSV export
// trade.gov publishes at OfficialURL, plain or gzip-compressed) and maps each
// row to a molehunt.ListEntry.
//
// The CSL merges eleven export-control and sanctions lists of the
// Departments of Commerce, State and the Treasury. molehunt loads OFAC's own
// files directly, so DefaultOptions drops the Treasury rows and keeps what
// only the CSL provides: the BIS Entity List, Denied Persons, Unverified and
// Military End User lists, State's ITAR debarred and nonproliferation lists.
//
// Mapping choices a reader of the entries should know:
//   - SourceID is entity_number when present (OFAC's ent_num on Treasury
//     rows) and _id otherwise. The same OFAC party appears once per OFAC
//     sub-list it is on (SDN and SSI and CAPTA, say); such rows are merged
//     into one entry whose Programs name every sub-list.
//   - Programs start with the source's short code, the abbreviation in its
//     parentheses ("Entity List (EL) - Bureau of Industry and Security" →
//     "EL"), followed by the programs column.
//   - A row with an empty type is an organisation, as the brief for the
//     non-OFAC lists says; those lists do not type their rows.
//   - Multi-valued cells are ';'-separated. Addresses are
//     "street, city, state, postal code, country" with empty parts left out,
//     so they are read from the end: an ISO country code, then a postal code,
//     then a two-letter state, then the city; the rest is the street.
//   - ids items are "[country, ][expires, ][issued, ]number, type": the
//     type is last. "Digital Currency Address - XBT" items become Crypto,
//     websites, e-mail addresses and phone numbers their own fields, items
//     that are information rather than identifiers ("Organization
//     Established Date", "Secondary sanctions risk:", …) go to Remarks, and
//     Gender is dropped. With one date only, the CSV does not say whether it
//     is the issue or the expiry date, so it is kept in the document's Note.
//   - Birth dates are ISO prefixes; "circa 1944" is "1944" and "1969 to 1971"
//     is one year per year of the range, as in package un.
//   - Anything that cannot be parsed is kept as text in Remarks rather than
//     failing the list.
package uscsl

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"molehunt"
)

// File is the name trade.gov gives the CSV; it is the File of every
// *molehunt.RecordError Parse returns.
const File = "consolidated.csv"

// OfficialURL is where trade.gov publishes the current list.
const OfficialURL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"

// maxRangeYears bounds how many years a "1969 to 1971" birth date range is
// expanded into; wider ranges keep only their end years.
const maxRangeYears = 20

// requiredColumns must be in the header: without them no entry can be
// identified, attributed to its list, or named.
var requiredColumns = []string{"_id", "source", "name"}

// Options selects rows.
type Options struct {
	// ExcludeSources drops rows whose source matches any element,
	// compared without regard to case with the source's short code ("SDN",
	// "EL"), its full text, or its agency ("Treasury Department").
	ExcludeSources []string
}

// DefaultOptions excludes every OFAC-derived source, because molehunt loads
// OFAC's own files directly and would otherwise hold each party twice:
// Treasury Department sources, plus their codes in case a later file spells
// the agency differently.
func DefaultOptions() Options {
	return Options{ExcludeSources: []string{
		"Treasury Department",
		"SDN", "SSI", "PLC", "NS-PLC", "NS-MBS", "CMIC", "FSE", "CAP", "CAPTA",
	}}
}

// Parse reads the CSL CSV, plain or gzip-compressed (told by the gzip magic
// bytes). Entries are in file order, rows sharing a SourceID merged into the
// first.
//
// version is the newest valid start_date of any row, whether or not opts
// selects it, or "" when no row has one. The file carries no publication
// date; the newest listing date is the closest stand-in the content offers
// and it is a property of the file, not of the selection. It does not move
// when entries are only edited or removed, so the registry's content hash,
// not version, identifies an edition.
//
// Every error is a *molehunt.RecordError naming File, the line and the
// column.
func Parse(data []byte, opts Options) (entries []molehunt.ListEntry, version string, err error) {
	var r io.Reader = bytes.NewReader(data)
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, "", &molehunt.RecordError{File: File, Record: "gzip header", Err: err}
		}
		defer zr.Close()
		r = zr
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			err = errors.New("empty file")
		}
		return nil, "", &molehunt.RecordError{File: File, Record: "line 1", Err: err}
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		col[strings.TrimSpace(h)] = i
	}
	for _, c := range requiredColumns {
		if _, ok := col[c]; !ok {
			return nil, "", &molehunt.RecordError{File: File, Record: "line 1", Field: c, Err: errors.New("missing column")}
		}
	}

	sel := newSelector(opts)
	index := map[string]int{} // SourceID → position in entries
	line := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			} else {
				line++ // a read error (bad gzip data) after the last good line
			}
			return nil, "", &molehunt.RecordError{File: File, Record: fmt.Sprintf("line %d", line), Err: err}
		}
		line, _ = cr.FieldPos(0)
		row := row{rec: rec, col: col}
		if d := row.get("start_date"); d > version && isDate(d) {
			version = d
		}
		src := sel.source(row.get("source"))
		if src.excluded {
			continue
		}
		e, rerr := mapRow(row, src.code)
		if rerr != nil {
			rerr.File, rerr.Record = File, fmt.Sprintf("line %d", line)
			return nil, "", rerr
		}
		if i, dup := index[e.SourceID]; dup {
			merge(&entries[i], e)
			continue
		}
		index[e.SourceID] = len(entries)
		entries = append(entries, e)
	}
	return entries, version, nil
}

// row gives named access to one CSV record.
type row struct {
	rec []string
	col map[string]int
}

// get returns the trimmed cell of column name, or "" if the file has no
// such column.
func (r row) get(name string) string {
	if i, ok := r.col[name]; ok && i < len(r.rec) {
		return strings.TrimSpace(r.rec[i])
	}
	return ""
}

// list returns the non-empty ';'-separated values of column name.
func (r row) list(name string) []string {
	return splitList(r.get(name))
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, v := range strings.Split(s, ";") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// sourceInfo is what a source column value means for selection.
type sourceInfo struct {
	code     string
	excluded bool
}

// selector decides exclusion once per distinct source text; a file has a
// dozen of them and thousands of rows.
type selector struct {
	exclude map[string]bool
	seen    map[string]sourceInfo
}

func newSelector(opts Options) *selector {
	s := &selector{exclude: map[string]bool{}, seen: map[string]sourceInfo{}}
	for _, x := range opts.ExcludeSources {
		if x = strings.ToLower(strings.TrimSpace(x)); x != "" {
			s.exclude[x] = true
		}
	}
	return s
}

func (s *selector) source(src string) sourceInfo {
	if info, ok := s.seen[src]; ok {
		return info
	}
	info := sourceInfo{code: sourceCode(src)}
	agency := ""
	if i := strings.LastIndex(src, " - "); i >= 0 {
		agency = strings.TrimSpace(src[i+3:])
	}
	for _, k := range []string{info.code, src, agency} {
		if k != "" && s.exclude[strings.ToLower(k)] {
			info.excluded = true
		}
	}
	s.seen[src] = info
	return info
}

// sourceCode derives a stable short code from a source's text: the
// abbreviation in its first parentheses, without a trailing " List"
// ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department" →
// "NS-MBS"), else the text before " - ".
func sourceCode(src string) string {
	name := src
	if i := strings.Index(name, " - "); i >= 0 {
		name = name[:i]
	}
	if i := strings.Index(name, "("); i >= 0 {
		if j := strings.Index(name[i:], ")"); j > 1 {
			code := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(name[i+1:i+j]), " List"))
			if code != "" {
				return strings.ToUpper(code)
			}
		}
	}
	return strings.TrimSpace(name)
}

// mapRow maps one row. Only a missing identity or name is an error; the
// returned error lacks File and Record, which the caller fills.
func mapRow(r row, code string) (molehunt.ListEntry, *molehunt.RecordError) {
	var e molehunt.ListEntry
	e.List = molehunt.ListUSCSL
	e.SourceID = r.get("entity_number")
	if e.SourceID == "" {
		e.SourceID = r.get("_id")
	}
	if e.SourceID == "" {
		return e, &molehunt.RecordError{Field: "_id", Err: errors.New("no _id or entity_number")}
	}
	e.ID = molehunt.EntryID(molehunt.ListUSCSL, e.SourceID)

	var rem remarks
	rem.add("", r.get("remarks"))

	switch t := r.get("type"); strings.ToLower(t) {
	case "individual":
		e.Type = molehunt.EntityPerson
	case "vessel":
		e.Type = molehunt.EntityVessel
	case "aircraft":
		e.Type = molehunt.EntityAircraft
	case "entity", "":
		e.Type = molehunt.EntityOrganization
	default:
		e.Type = molehunt.EntityOrganization
		rem.add("Type", t)
	}

	e.Names = addName(e.Names, r.get("name"), molehunt.NamePrimary, e.Type)
	for _, a := range r.list("alt_names") {
		e.Names = addName(e.Names, a, molehunt.NameAlias, e.Type)
	}
	if len(e.Names) == 0 {
		return e, &molehunt.RecordError{Field: "name", Err: errors.New("no name")}
	}

	e.Programs = appendUnique(e.Programs, code)
	e.Programs = appendUnique(e.Programs, r.list("programs")...)
	e.Title = r.get("title")
	for _, d := range r.list("dates_of_birth") {
		e.BirthDates = birthDates(e.BirthDates, d, &rem)
	}
	e.BirthPlaces = appendUnique(e.BirthPlaces, r.list("places_of_birth")...)
	e.Nationalities = appendUnique(e.Nationalities, r.list("nationalities")...)
	e.Citizenships = appendUnique(e.Citizenships, r.list("citizenships")...)
	for _, a := range r.list("addresses") {
		if addr := parseAddress(a); addr != (molehunt.Address{}) {
			e.Addresses = appendUnique(e.Addresses, addr)
		}
	}
	for _, id := range r.list("ids") {
		addID(&e, id, &rem)
	}
	if cs := r.get("call_sign"); cs != "" {
		e.Documents = appendUnique(e.Documents, molehunt.IdentityDocument{Type: "Call Sign", Number: cs})
	}
	rem.add("Vessel type", r.get("vessel_type"))
	rem.add("Vessel flag", r.get("vessel_flag"))
	rem.add("Vessel owner", r.get("vessel_owner"))
	rem.add("Gross tonnage", r.get("gross_tonnage"))
	rem.add("Gross registered tonnage", r.get("gross_registered_tonnage"))
	if d := r.get("start_date"); d != "" {
		if isDate(d) {
			e.ListedOn = d
		} else {
			rem.add("Start date (unparsed)", d)
		}
	}
	rem.add("End date", r.get("end_date"))
	rem.add("Federal Register", r.get("federal_register_notice"))
	rem.add("License requirement", r.get("license_requirement"))
	rem.add("License policy", r.get("license_policy"))
	e.Remarks = rem.String()
	return e, nil
}

// addName appends a name unless its text is already there. Treasury rows
// write individuals "FAMILY, Given"; with exactly one comma that split is
// reliable enough to fill Family and Given.
func addName(names []molehunt.Name, full string, kind molehunt.NameKind, t molehunt.EntityType) []molehunt.Name {
	full = strings.Join(strings.Fields(full), " ")
	if full == "" {
		return names
	}
	for _, n := range names {
		if n.Full == full {
			return names
		}
	}
	n := molehunt.Name{Full: full, Kind: kind, Quality: molehunt.NameStrong}
	if t == molehunt.EntityPerson && strings.Count(full, ",") == 1 {
		family, given, _ := strings.Cut(full, ",")
		n.Family, n.Given = strings.TrimSpace(family), strings.TrimSpace(given)
		if n.Family == "" || n.Given == "" {
			n.Family, n.Given = "", ""
		}
	}
	return append(names, n)
}

// infoTypes are ids item types that describe the party or its sanctions
// rather than identify it; they go to Remarks.
var infoTypes = map[string]bool{
	"Target Type": true, "Organization Type": true, "Aircraft Model": true,
	"Aircraft Operator": true, "Former Vessel Flag": true, "Other Vessel Type": true,
	"Other Vessel Flag": true, "Nationality of Registration": true,
	"Registration Country": true, "Issuer Name": true,
	"Executive Order 14024 Directive Information": true,
}

// addID maps one ids item.
func addID(e *molehunt.ListEntry, item string, rem *remarks) {
	parts := strings.Split(item, ", ")
	typ := strings.TrimSpace(parts[len(parts)-1])
	value := strings.TrimSpace(strings.Join(parts[:len(parts)-1], ", "))
	if len(parts) < 2 || value == "" {
		rem.add("", item)
		return
	}
	label := strings.TrimSpace(strings.TrimRight(typ, ":- "))
	switch {
	case strings.HasPrefix(typ, "Digital Currency Address - "):
		e.Crypto = appendUnique(e.Crypto, molehunt.CryptoAddress{
			Currency: strings.TrimSpace(strings.TrimPrefix(typ, "Digital Currency Address - ")),
			Address:  value,
		})
	case typ == "Website":
		e.Websites = appendUnique(e.Websites, value)
	case typ == "Email Address":
		e.Emails = appendUnique(e.Emails, value)
	case typ == "Phone Number":
		e.Phones = appendUnique(e.Phones, value)
	case typ == "Gender":
		// Not a ListEntry attribute, and not a screening input.
	case label != typ || infoTypes[label] || strings.Contains(typ, "Date"):
		rem.add(label, value)
	default:
		e.Documents = appendUnique(e.Documents, parseDocument(typ, parts[:len(parts)-1]))
	}
}

// parseDocument reads "[country, ][expires, ][issued, ]number" (the type
// already taken off the end).
func parseDocument(typ string, parts []string) molehunt.IdentityDocument {
	doc := molehunt.IdentityDocument{Type: typ}
	if len(parts) >= 2 && countryCodes[parts[0]] {
		doc.Country, parts = parts[0], parts[1:]
	}
	var dates []string
	for len(parts) >= 2 && isDate(parts[0]) {
		dates, parts = append(dates, parts[0]), parts[1:]
	}
	switch len(dates) {
	case 0:
	case 1:
		doc.Note = "issued or expires " + dates[0] + " (the list does not say which)"
	case 2:
		doc.Expires, doc.Issued = dates[0], dates[1]
	default:
		doc.Note = "dates " + strings.Join(dates, ", ")
	}
	doc.Number = strings.TrimSpace(strings.Join(parts, ", "))
	return doc
}

// parseAddress reads "street, city, state, postal code, country" with empty
// parts left out, from the end.
func parseAddress(s string) molehunt.Address {
	var parts []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	var a molehunt.Address
	pop := func() string {
		v := parts[len(parts)-1]
		parts = parts[:len(parts)-1]
		return v
	}
	if n := len(parts); n > 0 && countryCodes[parts[n-1]] {
		a.Country = pop()
	}
	if n := len(parts); n >= 2 && looksPostal(parts[n-1]) {
		a.PostalCode = pop()
	}
	if n := len(parts); n >= 2 && isUpperPair(parts[n-1]) {
		a.Region = pop()
	}
	if len(parts) > 0 {
		a.City = pop()
	}
	a.Street = strings.Join(parts, ", ")
	return a
}

// looksPostal: short, with a digit, at most one space ("75159", "SW1A 1AA").
func looksPostal(s string) bool {
	if len(s) > 10 || strings.Count(s, " ") > 1 {
		return false
	}
	return strings.ContainsAny(s, "0123456789")
}

func isUpperPair(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// birthDates appends the ISO prefixes of one dates_of_birth value.
func birthDates(dates []string, s string, rem *remarks) []string {
	v := s
	if rest, ok := strings.CutPrefix(strings.ToLower(v), "circa "); ok {
		v = strings.TrimSpace(rest)
	}
	if iso, ok := isoPrefix(v); ok {
		return appendUnique(dates, iso)
	}
	for _, layout := range []string{"02 Jan 2006", "2 Jan 2006", "Jan 2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			if layout == "Jan 2006" {
				return appendUnique(dates, t.Format("2006-01"))
			}
			return appendUnique(dates, t.Format("2006-01-02"))
		}
	}
	if from, to, ok := strings.Cut(v, " to "); ok {
		f, t := atoiYear(strings.TrimSpace(from)), atoiYear(strings.TrimSpace(to))
		switch {
		case f == 0 || t == 0 || f > t:
		case t-f > maxRangeYears:
			rem.add("Date of birth", s)
			return appendUnique(dates, fmt.Sprintf("%04d", f), fmt.Sprintf("%04d", t))
		default:
			for y := f; y <= t; y++ {
				dates = appendUnique(dates, fmt.Sprintf("%04d", y))
			}
			return dates
		}
	}
	rem.add("Date of birth (unparsed)", s)
	return dates
}

// merge folds src, another row of the same party, into dst.
func merge(dst *molehunt.ListEntry, src molehunt.ListEntry) {
	for _, n := range src.Names {
		dst.Names = addNameValue(dst.Names, n)
	}
	dst.Programs = appendUnique(dst.Programs, src.Programs...)
	if dst.Title == "" {
		dst.Title = src.Title
	}
	dst.BirthDates = appendUnique(dst.BirthDates, src.BirthDates...)
	dst.BirthPlaces = appendUnique(dst.BirthPlaces, src.BirthPlaces...)
	dst.Nationalities = appendUnique(dst.Nationalities, src.Nationalities...)
	dst.Citizenships = appendUnique(dst.Citizenships, src.Citizenships...)
	dst.Addresses = appendUnique(dst.Addresses, src.Addresses...)
	dst.Documents = appendUnique(dst.Documents, src.Documents...)
	dst.Crypto = appendUnique(dst.Crypto, src.Crypto...)
	dst.Emails = appendUnique(dst.Emails, src.Emails...)
	dst.Websites = appendUnique(dst.Websites, src.Websites...)
	dst.Phones = appendUnique(dst.Phones, src.Phones...)
	if dst.ListedOn == "" {
		dst.ListedOn = src.ListedOn
	}
	if src.Remarks != "" {
		rem := remarks{lines: splitLines(dst.Remarks)}
		for _, l := range splitLines(src.Remarks) {
			rem.add("", l)
		}
		dst.Remarks = rem.String()
	}
}

func addNameValue(names []molehunt.Name, n molehunt.Name) []molehunt.Name {
	for _, old := range names {
		if old.Full == n.Full {
			return names
		}
	}
	return append(names, n)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// remarks gathers free text for ListEntry.Remarks, one item per line.
type remarks struct {
	lines []string
}

func (r *remarks) add(label, text string) {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return
	}
	if label != "" {
		text = label + ": " + text
	}
	r.lines = appendUnique(r.lines, text)
}

func (r *remarks) String() string { return strings.Join(r.lines, "\n") }

func appendUnique[T comparable](list []T, vs ...T) []T {
next:
	for _, v := range vs {
		var zero T
		if v == zero {
			continue
		}
		for _, old := range list {
			if old == v {
				continue next
			}
		}
		list = append(list, v)
	}
	return list
}

func isDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// isoPrefix accepts "YYYY", "YYYY-MM" or "YYYY-MM-DD" that are real dates.
func isoPrefix(s string) (string, bool) {
	switch len(s) {
	case 4:
		return s, atoiYear(s) != 0
	case 7:
		_, err := time.Parse("2006-01", s)
		return s, err == nil
	case 10:
		return s, isDate(s)
	}
	return "", false
}

// atoiYear returns the year of a four-digit string, or 0.
func atoiYear(s string) int {
	if len(s) != 4 {
		return 0
	}
	y := 0
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
		y = y*10 + int(s[i]-'0')
	}
	return y
}

// countryCodes holds the ISO 3166-1 alpha-2 codes, plus XK (Kosovo), which
// the CSL uses. Knowing them keeps a US state such as "TX" from being read
// as a country.
var countryCodes = func() map[string]bool {
	const codes = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
		"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
		"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
		"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
		"MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
		"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
		"UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK"
	m := map[string]bool{}
	for _, c := range strings.Fields(codes) {
		m[c] = true
	}
	return m
}()
