package ofac

import (
	"slices"
	"strings"

	"molehunt"
)

// docLabel is one kind of identifier OFAC writes in Remarks as
// "<label> <number> (<country>) issued <date> expires <date>".
type docLabel struct {
	label string // as written in the remark, without the number
	typ   string // IdentityDocument.Type; the label when empty
}

// docLabels are the identifier labels seen in the SDN and consolidated
// lists (2024-2025). Labels not listed here stay in Remarks only.
var docLabels = []docLabel{
	// People.
	{label: "Passport"}, {label: "Diplomatic Passport"}, {label: "British National Overseas Passport"},
	{label: "Stateless Person Passport"}, {label: "Passport Booklet", typ: "Passport"},
	{label: "Passport No.", typ: "Passport"},
	{label: "National ID No."}, {label: "Personal ID Card"}, {label: "Tazkira National ID Card"},
	{label: "Kenyan ID No."}, {label: "Bosnian Personal ID No."}, {label: "Moroccan Personal ID No."},
	{label: "Stateless Person ID Card"}, {label: "Refugee ID Card"}, {label: "Citizen's Card Number"},
	{label: "Identification Number"}, {label: "Turkish Identification Number"}, {label: "UAE Identification"},
	{label: "Numero de Identidad"}, {label: "National Foreign ID Number"}, {label: "Residency Number"},
	{label: "Travel Document Number"}, {label: "Seafarer's Identification Document"},
	{label: "Cedula No."}, {label: "C.U.R.P."}, {label: "C.U.R.P. #", typ: "C.U.R.P."},
	{label: "R.F.C."}, {label: "R.F.C. #", typ: "R.F.C."}, {label: "RFC", typ: "R.F.C."},
	{label: "D.N.I."}, {label: "N.I.E."}, {label: "I.F.E."}, {label: "C.U.I."}, {label: "C.U.I.P."},
	{label: "C.U.I.T."}, {label: "RTN"}, {label: "SSN"}, {label: "Credencial electoral"},
	{label: "Electoral Registry No."}, {label: "Birth Certificate Number"},
	{label: "Cartilla de Servicio Militar Nacional"}, {label: "Military Registration Number"},
	{label: "Driver's License No."}, {label: "Pilot License Number"}, {label: "VisaNumberID"},
	{label: "SRE Permit No."}, {label: "Permit Number"}, {label: "Immigration No."},
	{label: "Public Security and Immigration No."}, {label: "CNP (Personal Numerical Code)"},
	{label: "Romanian Permanent Resident CAN"}, {label: "Italian Fiscal Code"}, {label: "Fiscal Code"},
	{label: "Tax ID No."}, {label: "NIT #", typ: "NIT"}, {label: "RUC #", typ: "RUC"}, {label: "RIF #", typ: "RIF"},
	{label: "Paraguayan tax identification number"}, {label: "Romanian Tax Registration"},
	{label: "Numero Unico de Identificacao Tributaria (NUIT)"}, {label: "LE Number"}, {label: "File Number"},
	// Organisations.
	{label: "Registration Number"}, {label: "Registration ID"}, {label: "Business Registration Number"},
	{label: "Business Registration Document #", typ: "Business Registration Document"},
	{label: "Business Number"}, {label: "Public Registration Number"}, {label: "Government Gazette Number"},
	{label: "Unified Social Credit Code (USCC)"}, {label: "United Social Credit Code Certificate (USCCC)"},
	{label: "Commercial Registry Number"}, {label: "Company Number"}, {label: "UK Company Number"},
	{label: "Legal Entity Number"}, {label: "License"}, {label: "Trade License No."}, {label: "Tourism License No."},
	{label: "V.A.T. Number"}, {label: "C.R. No."}, {label: "Romanian C.R."}, {label: "Economic Register Number (CBLS)"},
	{label: "Chamber of Commerce Number"}, {label: "Istanbul Chamber of Comm. No."},
	{label: "Dubai Chamber of Commerce Membership No."}, {label: "D-U-N-S Number"},
	{label: "Central Registration System Number"}, {label: "Matricula Mercantil No"}, {label: "Folio Mercantil No."},
	{label: "Enterprise Number"}, {label: "Branch Unit Number"}, {label: "Certificate of Incorporation Number"},
	{label: "Registration Certificate Number (Dubai)"}, {label: "MSB Registration Number"},
	{label: "Russian State Individual Business Registration Number Pattern (OGRNIP)"},
	{label: "Afghan Money Service Provider License Number"}, {label: "Registered Charity No."},
	{label: "Chinese Commercial Code"}, {label: "Trademark number"}, {label: "US FEIN"},
	{label: "C.I.F."}, {label: "N.I.F."}, {label: "C.I.N."},
	{label: "SWIFT/BIC"}, {label: "BIK (RU)"}, {label: "ISIN"},
	// Vessels.
	{label: "Vessel Registration Identification"}, // "IMO 1234567" becomes type IMO below
	{label: "Identification Number IMO", typ: "IMO"},
	{label: "International Maritime Organization No.", typ: "IMO"},
	{label: "Company Number IMO", typ: "IMO Company Number"},
	{label: "MMSI"}, {label: "Vessel Call Sign", typ: "Call Sign"}, {label: "Other Vessel Call Sign", typ: "Call Sign"},
	// Aircraft.
	{label: "Aircraft Manufacturer's Serial Number (MSN)", typ: "Aircraft MSN"},
	{label: "Aircraft Construction Number (also called L/N or S/N or F/N)", typ: "Aircraft Construction Number"},
	{label: "Aircraft Serial Identification"}, {label: "Aircraft Tail Number"},
	{label: "Previous Aircraft Tail Number", typ: "Aircraft Tail Number"},
	{label: "Aircraft Mode S Transponder Code"},
}

// docLabelsByWord indexes docLabels by their first word, longest label
// first, so each remark fragment is compared with a handful of labels only.
var docLabelsByWord = func() map[string][]docLabel {
	m := make(map[string][]docLabel)
	for _, d := range docLabels {
		if d.typ == "" {
			d.typ = d.label
		}
		w, _, _ := strings.Cut(d.label, " ")
		m[w] = append(m[w], d)
	}
	for _, l := range m {
		slices.SortFunc(l, func(a, b docLabel) int { return len(b.label) - len(a.label) })
	}
	return m
}()

// phoneLabels introduce phone and fax numbers; both are numbers a screened
// party may give, so both go to Phones.
var phoneLabels = []string{"Phone Number", "Telephone Number:", "Telephone No.", "Telephone:", "Telephone",
	"PHONE", "Fax No.", "Fax:", "Fax", "FAX"}

// lookupDocLabel finds the identifier label that starts fragment f and
// returns the rest of f after it.
func lookupDocLabel(f string) (docLabel, string, bool) {
	w, _, _ := strings.Cut(f, " ")
	for _, d := range docLabelsByWord[w] {
		rest, ok := strings.CutPrefix(f, d.label)
		if !ok || rest == "" {
			continue
		}
		// The label must end at a word boundary: "License" is not "Licensee".
		if rest[0] != ' ' && rest[0] != ':' {
			continue
		}
		return d, strings.TrimLeft(rest, ": "), true
	}
	return docLabel{}, "", false
}

// parseRemarks reads the structured facts out of an OFAC remark text into e:
// dates and places of birth, nationalities, citizenships, identity
// documents, digital currency addresses, e-mail addresses, websites, phone
// numbers and weak aliases. Fragments it does not understand are left for
// Remarks alone; it never fails.
func parseRemarks(e *molehunt.ListEntry, text string) {
	text = strings.TrimSpace(text)
	for text != "" {
		frag, rest, _ := strings.Cut(text, "; ")
		text = rest
		parseFragment(e, frag)
	}
}

func parseFragment(e *molehunt.ListEntry, f string) {
	f = strings.TrimSpace(f)
	f = strings.TrimSuffix(f, ".")
	if r, ok := cutPrefixFold(f, "alt. "); ok {
		f = strings.TrimSpace(r)
	}
	if f == "" {
		return
	}
	switch f[0] {
	case 'a', 'f', 'n':
		if len(f) > 8 && f[1:8] == ".k.a. '" {
			parseWeakAlias(e, f)
			return
		}
	}
	if v, ok := strings.CutPrefix(f, "DOB "); ok {
		for _, d := range parseDOB(v) {
			e.BirthDates = appendUnique(e.BirthDates, d)
		}
		return
	}
	if v, ok := strings.CutPrefix(f, "POB "); ok {
		e.BirthPlaces = appendUnique(e.BirthPlaces, strings.TrimSpace(v))
		return
	}
	if v, ok := strings.CutPrefix(f, "nationality "); ok {
		e.Nationalities = appendUnique(e.Nationalities, strings.TrimSpace(v))
		return
	}
	if v, ok := strings.CutPrefix(f, "Nationality of Registration "); ok {
		e.Nationalities = appendUnique(e.Nationalities, strings.TrimSpace(v))
		return
	}
	if v, ok := strings.CutPrefix(f, "citizen "); ok {
		e.Citizenships = appendUnique(e.Citizenships, strings.TrimSpace(v))
		return
	}
	if v, ok := strings.CutPrefix(f, "Digital Currency Address - "); ok {
		cur, addr, _ := strings.Cut(strings.TrimSpace(v), " ")
		addr, _, _ = strings.Cut(strings.TrimSpace(addr), " ")
		if cur != "" && addr != "" {
			e.Crypto = appendCrypto(e.Crypto, molehunt.CryptoAddress{Currency: cur, Address: addr})
		}
		return
	}
	for _, l := range [...]string{"Email Address ", "Email ", "EMAIL "} {
		if v, ok := strings.CutPrefix(f, l); ok {
			e.Emails = appendUnique(e.Emails, strings.TrimSpace(v))
			return
		}
	}
	for _, l := range [...]string{"Website ", "Website: "} {
		if v, ok := strings.CutPrefix(f, l); ok {
			e.Websites = appendUnique(e.Websites, strings.TrimSpace(v))
			return
		}
	}
	for _, l := range phoneLabels {
		if v, ok := strings.CutPrefix(f, l); ok && (v == "" || v[0] == ' ' || l[len(l)-1] == ':' || l[len(l)-1] == '.') {
			e.Phones = appendUnique(e.Phones, strings.TrimSpace(v))
			return
		}
	}
	if d, v, ok := lookupDocLabel(f); ok {
		if doc, ok := parseDocValue(d, v); ok {
			e.Documents = appendDoc(e.Documents, doc)
		}
		return
	}
	// Older entries list bare addresses: "www.almanar.com.lb",
	// "info@sanabel.org.uk (email)", "http://www.x.co.uk (website)".
	bare := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(f, " (email)"), " (website)"))
	if bare == "" || strings.ContainsAny(bare, " ,;'") {
		return
	}
	switch {
	case strings.HasPrefix(bare, "www.") || strings.HasPrefix(bare, "http://") || strings.HasPrefix(bare, "https://"):
		e.Websites = appendUnique(e.Websites, bare)
	case strings.Count(bare, "@") == 1 && strings.Contains(bare[strings.IndexByte(bare, '@'):], "."):
		e.Emails = appendUnique(e.Emails, bare)
	}
}

// parseWeakAlias reads "a.k.a. 'X'" (or f.k.a., n.k.a.): the names OFAC
// marks as low quality. A fragment without its closing quote was cut off
// and is not a name.
func parseWeakAlias(e *molehunt.ListEntry, f string) {
	kind := molehunt.NameAlias
	switch f[0] {
	case 'f':
		kind = molehunt.NameFormerly
	case 'n':
		kind = molehunt.NameNow
	}
	inner, ok := strings.CutSuffix(f[8:], "'")
	inner = strings.TrimSpace(inner)
	if !ok || inner == "" {
		return
	}
	n := molehunt.Name{Full: inner, Kind: kind, Quality: molehunt.NameWeak}
	if e.Type == molehunt.EntityPerson {
		n.Family, n.Given = splitPersonName(inner)
	}
	e.Names = appendName(e.Names, n)
}

// parseDocValue reads "<number> (<country>) issued <date> expires <date>",
// every part but the number optional. Parenthesised text before the
// country ("HRA 738077 (Stuttgart) (Germany)") goes to Note.
func parseDocValue(d docLabel, v string) (molehunt.IdentityDocument, bool) {
	doc := molehunt.IdentityDocument{Type: d.typ}
	head := strings.TrimSpace(v)
	var issued, expires string
	if i := strings.Index(head, " expires "); i >= 0 {
		head, expires = head[:i], strings.TrimSpace(head[i+len(" expires "):])
	}
	if i := strings.Index(head, " issued "); i >= 0 {
		head, issued = head[:i], strings.TrimSpace(head[i+len(" issued "):])
	}
	if strings.HasSuffix(head, ")") {
		if i := strings.LastIndex(head, "("); i >= 0 {
			doc.Country = strings.TrimSpace(head[i+1 : len(head)-1])
			head = strings.TrimSpace(head[:i])
		}
	}
	if i := strings.Index(head, " ("); i >= 0 {
		doc.Note = strings.TrimSpace(head[i:])
		head = strings.TrimSpace(head[:i])
	}
	// "International Maritime Organization No. (5777731)": the number is
	// the parenthesised part.
	if head == "" && doc.Country != "" && strings.ContainsAny(doc.Country, "0123456789") {
		head, doc.Country = doc.Country, ""
	}
	if d.typ == "Vessel Registration Identification" {
		if n, ok := strings.CutPrefix(head, "IMO "); ok {
			doc.Type, head = "IMO", n
		}
	}
	doc.Number = strings.TrimSpace(head)
	if doc.Number == "" {
		return doc, false
	}
	doc.Issued = normOrKeep(issued)
	doc.Expires = normOrKeep(expires)
	return doc, true
}

// normOrKeep returns the ISO form of an OFAC date, or the text as written
// when it is not a plain date ("1999 in Amman, Jordan").
func normOrKeep(s string) string {
	if d, ok := normDate(s); ok {
		return d
	}
	return s
}

// splitPersonName splits OFAC's "FAMILY, Given Names" at the first ", ".
func splitPersonName(full string) (family, given string) {
	f, g, ok := strings.Cut(full, ", ")
	if !ok {
		return "", ""
	}
	return strings.TrimSpace(f), strings.TrimSpace(g)
}

func appendUnique(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func appendCrypto(list []molehunt.CryptoAddress, c molehunt.CryptoAddress) []molehunt.CryptoAddress {
	if slices.Contains(list, c) {
		return list
	}
	return append(list, c)
}

func appendDoc(list []molehunt.IdentityDocument, d molehunt.IdentityDocument) []molehunt.IdentityDocument {
	if slices.Contains(list, d) {
		return list
	}
	return append(list, d)
}

// appendName adds n unless a name with the same text and kind is already
// there: a weak alias repeated in alt.csv keeps its first form.
func appendName(list []molehunt.Name, n molehunt.Name) []molehunt.Name {
	for _, o := range list {
		if o.Full == n.Full && o.Kind == n.Kind {
			return list
		}
	}
	return append(list, n)
}
