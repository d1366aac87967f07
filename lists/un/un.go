// Package un reads the UN Security Council Consolidated List (the XML the
// UN publishes at OfficialURL) and maps each INDIVIDUAL and ENTITY element to
// a molehunt.ListEntry.
//
// The file is decoded as a stream: only one INDIVIDUAL or ENTITY is held as
// a small element tree at a time, so an error can name the record and the
// element inside it that the decoder had reached.
//
// Mapping choices a reader of the entries should know:
//   - SourceID is REFERENCE_NUMBER ("KPi.001"), or DATAID when that is empty.
//   - The primary name is FIRST_NAME … FOURTH_NAME joined with single spaces,
//     in list order. Family and Given are left empty: the UN does not say
//     which part is the family name, and DPRK and Chinese entries put it
//     first while most others put it last, so any guess would be wrong for
//     a large share of the list.
//   - NAME_ORIGINAL_SCRIPT becomes a strong NameOriginalScript name, kept
//     exactly as written (Arabic, Cyrillic, …). An alias written wholly in a
//     non-Latin script is also marked NameOriginalScript, and an alias like
//     "Jin Tiesan (金铁三)" is split into the Latin alias and the original.
//   - Alias QUALITY "Low" is weak, "f.k.a." is a strong former name, and
//     "Good", "a.k.a." or anything else is a strong alias.
//   - Birth dates are ISO prefixes. EXACT and APPROXIMATELY dates are kept
//     as given ("1966-02-06" or "1966"; "circa" is not part of the value).
//     A BETWEEN range becomes one year per year of the range (FROM_YEAR 1955,
//     TO_YEAR 1958 → "1955", "1956", "1957", "1958"), because ListEntry has
//     no range type and a year prefix matches any date inside its year; a
//     range longer than maxRangeYears keeps only its two end years. Dates
//     given on aliases are added too: the person used them.
//   - Anything that cannot be parsed (a bad date, a document without a
//     number) is kept as text in Remarks rather than failing the list.
package un

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"molehunt"
)

// File is the name the UN gives the consolidated list file; it is the File
// of every *molehunt.RecordError Parse returns.
const File = "consolidated.xml"

// OfficialURL is where the UN publishes the current consolidated list.
const OfficialURL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"

// maxRangeYears bounds how many years a BETWEEN birth date range is expanded
// into; wider ranges are too vague to help and would bloat the entry.
const maxRangeYears = 20

const rootElement = "CONSOLIDATED_LIST"

// Parse reads the UN consolidated XML. version is the date of the root's
// dateGenerated attribute (YYYY-MM-DD), or "" when the attribute is missing
// or not a date. Entries are in file order, individuals before entities as
// the UN writes them. Every error is a *molehunt.RecordError naming File,
// the record ("INDIVIDUAL[12] (KPi.001)") and the element reached.
func Parse(data []byte) (entries []molehunt.ListEntry, version string, err error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var (
		stack   []string // open elements outside records
		sawRoot bool
		counts  = map[string]int{}
		seen    = map[string]string{} // SourceID → record label, to reject duplicates
		// lastLabel names the last record read, so an error between
		// records still says where in the file it happened.
		lastLabel string
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			rec := strings.Join(stack, "/")
			if lastLabel != "" {
				rec += " after " + lastLabel
			}
			return nil, "", &molehunt.RecordError{File: File, Record: rec, Field: last(stack), Err: err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if len(stack) == 0 {
				if name != rootElement {
					return nil, "", &molehunt.RecordError{File: File, Record: name, Field: rootElement,
						Err: fmt.Errorf("root element is %s; want %s", name, rootElement)}
				}
				sawRoot = true
				version = generatedDate(t.Attr)
			}
			if len(stack) > 0 && (name == "INDIVIDUAL" || name == "ENTITY") {
				counts[name]++
				label := fmt.Sprintf("%s[%d]", name, counts[name])
				n, path, err := readRecord(dec, t)
				if n != nil {
					if ref := n.val("REFERENCE_NUMBER"); ref != "" {
						label += " (" + ref + ")"
					}
				}
				if err != nil {
					return nil, "", &molehunt.RecordError{File: File, Record: label, Field: path, Err: err}
				}
				e, rerr := mapRecord(n)
				if rerr != nil {
					rerr.File, rerr.Record = File, label
					return nil, "", rerr
				}
				if prev, dup := seen[e.SourceID]; dup {
					return nil, "", &molehunt.RecordError{File: File, Record: label, Field: "REFERENCE_NUMBER",
						Err: fmt.Errorf("duplicate reference %q, first used by %s", e.SourceID, prev)}
				}
				seen[e.SourceID] = label
				lastLabel = label
				entries = append(entries, e)
				continue
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if !sawRoot {
		return nil, "", &molehunt.RecordError{File: File, Field: rootElement, Err: errors.New("no " + rootElement + " element")}
	}
	return entries, version, nil
}

// generatedDate returns the date part of the dateGenerated attribute
// ("2026-02-27T00:00:09.554Z" → "2026-02-27"), or "".
func generatedDate(attrs []xml.Attr) string {
	for _, a := range attrs {
		if a.Name.Local == "dateGenerated" {
			if d, ok := leadingDate(strings.TrimSpace(a.Value)); ok {
				return d
			}
		}
	}
	return ""
}

func last(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

// node is one element of a record: its name, its own text and its children.
// Records are small (a few kB), so a tree is the simplest faithful shape.
type node struct {
	name string
	text string
	kids []*node
}

// child returns the first child called name, or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// all returns the children called name.
func (n *node) all(name string) []*node {
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// val returns the whitespace-collapsed text of the first child called name.
func (n *node) val(name string) string {
	if c := n.child(name); c != nil {
		return clean(c.text)
	}
	return ""
}

// values returns the cleaned, non-empty VALUE texts under the first child
// called name (the UN's <NATIONALITY><VALUE>…</VALUE></NATIONALITY> shape).
func (n *node) values(name string) []string {
	var out []string
	for _, c := range n.all(name) {
		for _, v := range c.all("VALUE") {
			if s := clean(v.text); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// readRecord reads the element opened by start into a tree. On error it
// returns what it has read so far and the path of the element it was in,
// relative to the record ("INDIVIDUAL_ALIAS/ALIAS_NAME").
func readRecord(dec *xml.Decoder, start xml.StartElement) (*node, string, error) {
	root := &node{name: start.Name.Local}
	open := []*node{root}
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			names := make([]string, 0, len(open)-1)
			for _, o := range open[1:] {
				names = append(names, o.name)
			}
			return root, strings.Join(names, "/"), err
		}
		cur := open[len(open)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			text.Reset()
			k := &node{name: t.Name.Local}
			cur.kids = append(cur.kids, k)
			open = append(open, k)
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if len(cur.kids) == 0 {
				cur.text = text.String()
			}
			text.Reset()
			open = open[:len(open)-1]
			if len(open) == 0 {
				return root, "", nil
			}
		}
	}
}

// mapRecord maps one INDIVIDUAL or ENTITY tree. Only missing identity or a
// record with no name at all is an error; the returned error lacks File and
// Record, which the caller fills.
func mapRecord(n *node) (molehunt.ListEntry, *molehunt.RecordError) {
	e := molehunt.ListEntry{List: molehunt.ListUNSC, Type: molehunt.EntityOrganization}
	if n.name == "INDIVIDUAL" {
		e.Type = molehunt.EntityPerson
	}
	e.SourceID = n.val("REFERENCE_NUMBER")
	if e.SourceID == "" {
		e.SourceID = n.val("DATAID")
	}
	if e.SourceID == "" {
		return e, &molehunt.RecordError{Field: "REFERENCE_NUMBER", Err: errors.New("no REFERENCE_NUMBER or DATAID")}
	}
	e.ID = molehunt.EntryID(molehunt.ListUNSC, e.SourceID)

	var rem remarks
	rem.add("", n.val("COMMENTS1"))
	rem.add("Designation", strings.Join(n.values("DESIGNATION"), "; "))

	var parts []string
	for _, f := range []string{"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"} {
		if v := n.val(f); v != "" {
			parts = append(parts, v)
		}
	}
	names := nameSet{}
	// Dates and places given on aliases come after the record's own.
	var aliasDates, aliasPlaces []string
	names.add(molehunt.Name{Full: strings.Join(parts, " "), Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong})
	names.add(molehunt.Name{Full: n.val("NAME_ORIGINAL_SCRIPT"), Kind: molehunt.NameOriginalScript, Quality: molehunt.NameStrong})
	for _, a := range append(n.all("INDIVIDUAL_ALIAS"), n.all("ENTITY_ALIAS")...) {
		full := a.val("ALIAS_NAME")
		if full == "" {
			continue
		}
		kind, quality := molehunt.NameAlias, molehunt.NameStrong
		switch strings.ToLower(a.val("QUALITY")) {
		case "low":
			quality = molehunt.NameWeak
		case "f.k.a.":
			kind = molehunt.NameFormerly
		}
		latin, original := splitOriginal(full)
		if latin != "" {
			names.add(molehunt.Name{Full: latin, Kind: kind, Quality: quality})
		}
		if original != "" {
			names.add(molehunt.Name{Full: original, Kind: molehunt.NameOriginalScript, Quality: quality})
		}
		rem.add("Alias "+full, a.val("NOTE"))
		if d := a.val("DATE_OF_BIRTH"); d != "" {
			if iso, ok := isoPrefix(d); ok {
				aliasDates = appendUnique(aliasDates, iso)
			} else {
				rem.add("Date of birth of alias "+full+" (unparsed)", d)
			}
		}
		if p := joinNonEmpty(", ", a.val("CITY_OF_BIRTH"), a.val("COUNTRY_OF_BIRTH")); p != "" {
			aliasPlaces = appendUnique(aliasPlaces, p)
		}
	}
	e.Names = names.list
	if len(e.Names) == 0 {
		return e, &molehunt.RecordError{Field: "FIRST_NAME", Err: errors.New("no name")}
	}

	e.Programs = appendUnique(nil, n.val("UN_LIST_TYPE"))
	e.Title = strings.Join(n.values("TITLE"), "; ")
	for _, d := range n.all("INDIVIDUAL_DATE_OF_BIRTH") {
		e.BirthDates = birthDates(e.BirthDates, d, &rem)
	}
	for _, p := range n.all("INDIVIDUAL_PLACE_OF_BIRTH") {
		if s := joinNonEmpty(", ", p.val("STREET"), p.val("CITY"), p.val("STATE_PROVINCE"), p.val("COUNTRY")); s != "" {
			e.BirthPlaces = appendUnique(e.BirthPlaces, s)
		}
		rem.add("Place of birth note", p.val("NOTE"))
	}
	e.BirthDates = appendUnique(e.BirthDates, aliasDates...)
	e.BirthPlaces = appendUnique(e.BirthPlaces, aliasPlaces...)
	for _, v := range n.values("NATIONALITY") {
		e.Nationalities = appendUnique(e.Nationalities, v)
	}
	for _, a := range append(n.all("INDIVIDUAL_ADDRESS"), n.all("ENTITY_ADDRESS")...) {
		addr := molehunt.Address{
			Street:     a.val("STREET"),
			City:       a.val("CITY"),
			Region:     a.val("STATE_PROVINCE"),
			PostalCode: a.val("ZIP_CODE"),
			Country:    a.val("COUNTRY"),
			Note:       a.val("NOTE"),
		}
		if addr != (molehunt.Address{}) {
			e.Addresses = appendUnique(e.Addresses, addr)
		}
	}
	for _, d := range n.all("INDIVIDUAL_DOCUMENT") {
		e.Documents = addDocument(e.Documents, d, &rem)
	}
	if l := n.val("LISTED_ON"); l != "" {
		if d, ok := leadingDate(l); ok {
			e.ListedOn = d
		} else {
			rem.add("Listed on (unparsed)", l)
		}
	}
	e.Remarks = rem.String()
	return e, nil
}

// birthDates appends the ISO prefixes of one INDIVIDUAL_DATE_OF_BIRTH.
func birthDates(dates []string, d *node, rem *remarks) []string {
	date, year, from, to, note := d.val("DATE"), d.val("YEAR"), d.val("FROM_YEAR"), d.val("TO_YEAR"), d.val("NOTE")
	noteUsed := false
	switch {
	case date != "":
		if iso, ok := isoPrefix(date); ok {
			dates = appendUnique(dates, iso)
		} else {
			rem.add("Date of birth (unparsed)", date)
		}
	case year != "":
		if !isYear(year) {
			rem.add("Date of birth (unparsed)", year)
			break
		}
		// "YEAR 1958, NOTE Sep." says the month too.
		if m, ok := monthOf(note); ok {
			dates = appendUnique(dates, year+"-"+m)
			noteUsed = true
			break
		}
		dates = appendUnique(dates, year)
	case from != "" || to != "":
		f, t := atoiYear(from), atoiYear(to)
		switch {
		case f == 0 || t == 0 || f > t:
			rem.add("Date of birth (unparsed)", "between "+from+" and "+to)
		case t-f > maxRangeYears:
			dates = appendUnique(dates, from, to)
			rem.add("Date of birth", "between "+from+" and "+to)
		default:
			for y := f; y <= t; y++ {
				dates = appendUnique(dates, fmt.Sprintf("%04d", y))
			}
		}
	default:
		// Some records give the date only in the note: "Nov. 1973".
		if iso, ok := monthYear(note); ok {
			dates = appendUnique(dates, iso)
		}
	}
	if !noteUsed {
		rem.add("Date of birth note", note)
	}
	return dates
}

// addDocument appends one INDIVIDUAL_DOCUMENT. The UN sometimes lists the
// same passport three times, with the type in French, Spanish and English;
// those collapse into one document, keeping the English (ASCII) type.
func addDocument(docs []molehunt.IdentityDocument, d *node, rem *remarks) []molehunt.IdentityDocument {
	doc := molehunt.IdentityDocument{
		Type:    d.val("TYPE_OF_DOCUMENT"),
		Number:  d.val("NUMBER"),
		Country: d.val("ISSUING_COUNTRY"),
	}
	if doc.Country == "" {
		doc.Country = d.val("COUNTRY_OF_ISSUE")
	}
	var notes []string
	if t2 := d.val("TYPE_OF_DOCUMENT2"); t2 != "" && !strings.EqualFold(t2, doc.Type) {
		notes = append(notes, t2)
	}
	if c := d.val("CITY_OF_ISSUE"); c != "" {
		notes = append(notes, "issued in "+c)
	}
	if issued := d.val("DATE_OF_ISSUE"); issued != "" {
		if iso, ok := isoPrefix(issued); ok {
			doc.Issued = iso
		} else {
			notes = append(notes, "issued "+issued)
		}
	}
	if n := d.val("NOTE"); n != "" {
		notes = append(notes, n)
	}
	doc.Note = strings.Join(notes, "; ")
	if doc.Number == "" {
		rem.add("Document", joinNonEmpty(", ", doc.Type, doc.Country, doc.Issued, doc.Note))
		return docs
	}
	for i, old := range docs {
		if old.Number == doc.Number && old.Country == doc.Country && old.Issued == doc.Issued {
			if !isASCII(old.Type) && isASCII(doc.Type) {
				docs[i].Type = doc.Type
			}
			if old.Note == "" {
				docs[i].Note = doc.Note
			}
			return docs
		}
	}
	return append(docs, doc)
}

// splitOriginal separates a Latin alias from an original-script form the
// UN sometimes appends in parentheses. A name with letters but none of them
// Latin is returned as original only.
func splitOriginal(name string) (latin, original string) {
	if !hasLatin(name) {
		return "", name
	}
	if strings.HasSuffix(name, ")") {
		if i := strings.LastIndex(name, " ("); i > 0 {
			inner := name[i+2 : len(name)-1]
			if inner != "" && !hasLatin(inner) && hasLetter(inner) {
				return strings.TrimSpace(name[:i]), inner
			}
		}
	}
	return name, ""
}

func hasLatin(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// nameSet collects names in order, dropping a name whose text was already
// given (an alias repeating the primary name adds nothing).
type nameSet struct {
	list []molehunt.Name
}

func (s *nameSet) add(n molehunt.Name) {
	if n.Full == "" {
		return
	}
	for _, old := range s.list {
		if old.Full == n.Full {
			return
		}
	}
	s.list = append(s.list, n)
}

// remarks gathers free text for ListEntry.Remarks, one item per line.
type remarks struct {
	lines []string
}

func (r *remarks) add(label, text string) {
	if text == "" {
		return
	}
	if label != "" {
		text = label + ": " + text
	}
	r.lines = appendUnique(r.lines, text)
}

func (r *remarks) String() string { return strings.Join(r.lines, "\n") }

// clean collapses all runs of white space (the UN hard-wraps long values)
// into single spaces and trims the ends.
func clean(s string) string {
	if s == "" {
		return ""
	}
	return strings.Join(strings.Fields(s), " ")
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

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

// isoPrefix accepts "YYYY", "YYYY-MM" or "YYYY-MM-DD" that are real dates.
func isoPrefix(s string) (string, bool) {
	switch len(s) {
	case 4:
		return s, isYear(s)
	case 7:
		_, err := time.Parse("2006-01", s)
		return s, err == nil
	case 10:
		_, err := time.Parse("2006-01-02", s)
		return s, err == nil
	}
	return "", false
}

// leadingDate accepts a value starting with a YYYY-MM-DD date, such as the
// "2001-01-25-05:00" some LISTED_ON values carry.
func leadingDate(s string) (string, bool) {
	if len(s) < 10 {
		return "", false
	}
	if _, err := time.Parse("2006-01-02", s[:10]); err != nil {
		return "", false
	}
	return s[:10], true
}

func isYear(s string) bool { return atoiYear(s) != 0 }

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

var months = map[string]string{
	"jan": "01", "feb": "02", "mar": "03", "apr": "04", "may": "05", "jun": "06",
	"jul": "07", "aug": "08", "sep": "09", "oct": "10", "nov": "11", "dec": "12",
}

// monthOf reads a note that is only a month name: "Sep.", "August".
func monthOf(s string) (string, bool) {
	s = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
	if len(s) < 3 {
		return "", false
	}
	m, ok := months[s[:3]]
	if !ok {
		return "", false
	}
	for _, full := range []string{"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "sept", "october", "november", "december"} {
		if s == full || s == full[:3] {
			return m, true
		}
	}
	return "", false
}

// monthYear reads a note like "Nov. 1973" or "August 1961" as "1973-11".
func monthYear(s string) (string, bool) {
	f := strings.Fields(s)
	if len(f) != 2 || !isYear(f[1]) {
		return "", false
	}
	m, ok := monthOf(f[0])
	if !ok {
		return "", false
	}
	return f[1] + "-" + m, true
}
