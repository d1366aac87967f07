package ofac

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"molehunt"
)

// The column names of the legacy CSV files, as OFAC documents them; they
// name the field of a RecordError.
var (
	primaryColumns = []string{"ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign",
		"Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks"}
	altColumns     = []string{"ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"}
	addColumns     = []string{"ent_num", "add_num", "address", "city_state_postal", "country", "add_remarks"}
	commentColumns = []string{"ent_num", "remarks"}
)

// csvStats counts what a CSV set held, including the rows of the secondary
// files whose ent_num is not in the primary file. OFAC publishes the files
// separately, so a set downloaded over a few minutes, or assembled from
// different dates, has such orphans; they are skipped, not errors.
type csvStats struct {
	Primary, Alt, Addresses, Comments          int
	OrphanAlt, OrphanAddresses, OrphanComments int
}

// ParseCSV reads a legacy CSV set. files maps base names (SDNFiles or
// ConsFiles; case does not matter) to contents; the primary file (sdn.csv
// or cons_prim.csv) is required, the others optional. list is
// molehunt.ListOFACSDN or molehunt.ListOFACCons. version is always "": the
// CSV files carry no date.
//
// A structurally broken file (a bad quote, a wrong column count, an
// unparseable or duplicate ent_num, a primary record without a name) is a
// *molehunt.RecordError naming the file, the line and the column. A remark
// fragment that cannot be parsed is not an error; it stays in Remarks.
func ParseCSV(list molehunt.ListName, files map[string][]byte) (entries []molehunt.ListEntry, version string, err error) {
	entries, _, err = parseCSV(list, files)
	return entries, "", err
}

func parseCSV(list molehunt.ListName, files map[string][]byte) ([]molehunt.ListEntry, csvStats, error) {
	var st csvStats
	var names []string
	switch list {
	case molehunt.ListOFACSDN:
		names = SDNFiles
	case molehunt.ListOFACCons:
		names = ConsFiles
	default:
		return nil, st, molehunt.Errorf(molehunt.EInvalid, "ofac.ParseCSV", "list %q has no OFAC CSV files", list)
	}
	prim, ok := lookupFile(files, names[0])
	if !ok {
		return nil, st, &molehunt.RecordError{File: names[0], Err: fmt.Errorf("required file missing: %w", fs.ErrNotExist)}
	}

	// One record per line in all real files: size everything once.
	n := bytes.Count(prim, []byte{'\n'}) + 1
	p := &csvSet{list: list, index: make(map[int]int, n),
		entries: make([]molehunt.ListEntry, 0, n), remarks: make([]string, 0, n), extra: make([]string, 0, n)}
	if err := p.readPrimary(newCSVFile(names[0], prim, primaryColumns, true)); err != nil {
		return nil, st, err
	}
	st.Primary = len(p.entries)
	if data, ok := lookupFile(files, names[1]); ok {
		if err := p.readAlt(newCSVFile(names[1], data, altColumns, false), &st); err != nil {
			return nil, st, err
		}
	}
	if data, ok := lookupFile(files, names[2]); ok {
		if err := p.readAdd(newCSVFile(names[2], data, addColumns, false), &st); err != nil {
			return nil, st, err
		}
	}
	if data, ok := lookupFile(files, names[3]); ok {
		if err := p.readComments(newCSVFile(names[3], data, commentColumns, false), &st); err != nil {
			return nil, st, err
		}
	}
	p.finish()
	return p.entries, st, nil
}

// lookupFile finds name in files, first exactly, then ignoring case (the
// Sanctions List Service serves SDN.CSV, the old site sdn.csv).
func lookupFile(files map[string][]byte, name string) ([]byte, bool) {
	if b, ok := files[name]; ok {
		return b, true
	}
	for k, b := range files {
		if strings.EqualFold(k, name) {
			return b, true
		}
	}
	return nil, false
}

// csvSet accumulates the entries of one CSV set while its files are read.
type csvSet struct {
	list    molehunt.ListName
	entries []molehunt.ListEntry
	index   map[int]int // ent_num → position in entries
	remarks []string    // raw Remarks of the primary file, by position
	cont    []string    // remark continuations from the comments file
	extra   []string    // vessel columns without a field of their own
}

func (p *csvSet) readPrimary(f *csvFile) error {
	for {
		rec, err := f.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		n, err := f.entNum(rec)
		if err != nil {
			return err
		}
		if _, dup := p.index[n]; dup {
			return f.errAt(0, fmt.Errorf("duplicate ent_num %d", n))
		}
		name := null(rec[1])
		if name == "" {
			return f.errAt(1, errors.New("empty name"))
		}
		id := strconv.Itoa(n)
		e := molehunt.ListEntry{
			ID:       molehunt.EntryID(p.list, id),
			SourceID: id,
			List:     p.list,
			Type:     entityType(null(rec[2])),
			Programs: splitPrograms(null(rec[3])),
			Title:    null(rec[4]),
		}
		primary := molehunt.Name{Full: name, Kind: molehunt.NamePrimary, Quality: molehunt.NameStrong}
		if e.Type == molehunt.EntityPerson {
			primary.Family, primary.Given = splitPersonName(name)
		}
		e.Names = []molehunt.Name{primary}
		if cs := null(rec[5]); cs != "" {
			e.Documents = append(e.Documents, molehunt.IdentityDocument{Type: "Call Sign", Number: cs})
		}
		if flag := null(rec[9]); flag != "" {
			e.Nationalities = append(e.Nationalities, flag)
		}
		var extra []string
		for _, c := range [...]struct {
			label string
			col   int
		}{{"Vessel Type", 6}, {"Vessel Flag", 9}, {"Vessel Owner", 10}, {"Tonnage", 7}, {"GRT", 8}} {
			if v := null(rec[c.col]); v != "" {
				extra = append(extra, c.label+" "+v)
			}
		}
		remark := rec[11]
		if strings.TrimSpace(remark) == "-0-" {
			remark = ""
		}
		p.index[n] = len(p.entries)
		p.entries = append(p.entries, e)
		p.remarks = append(p.remarks, remark)
		p.extra = append(p.extra, strings.Join(extra, "; "))
	}
}

func (p *csvSet) readAlt(f *csvFile, st *csvStats) error {
	for {
		rec, err := f.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		n, err := f.entNum(rec)
		if err != nil {
			return err
		}
		st.Alt++
		i, ok := p.index[n]
		if !ok {
			st.OrphanAlt++
			continue
		}
		full := null(rec[3])
		if full == "" {
			continue
		}
		e := &p.entries[i]
		name := molehunt.Name{Full: full, Kind: altKind(null(rec[2])), Quality: molehunt.NameStrong}
		// OFAC's alt.csv leaves alt_remarks empty today; should it ever mark
		// an alias as low quality there, honour it.
		if r := strings.ToLower(null(rec[4])); strings.Contains(r, "weak") || strings.Contains(r, "low quality") {
			name.Quality = molehunt.NameWeak
		}
		if e.Type == molehunt.EntityPerson {
			name.Family, name.Given = splitPersonName(full)
		}
		e.Names = appendName(e.Names, name)
	}
}

func (p *csvSet) readAdd(f *csvFile, st *csvStats) error {
	for {
		rec, err := f.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		n, err := f.entNum(rec)
		if err != nil {
			return err
		}
		st.Addresses++
		i, ok := p.index[n]
		if !ok {
			st.OrphanAddresses++
			continue
		}
		a := molehunt.Address{Street: null(rec[2]), City: null(rec[3]), Country: null(rec[4]), Note: null(rec[5])}
		if a != (molehunt.Address{}) {
			p.entries[i].Addresses = append(p.entries[i].Addresses, a)
		}
	}
}

func (p *csvSet) readComments(f *csvFile, st *csvStats) error {
	for {
		rec, err := f.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		n, err := f.entNum(rec)
		if err != nil {
			return err
		}
		st.Comments++
		i, ok := p.index[n]
		if !ok {
			st.OrphanComments++
			continue
		}
		// The continuation is the rest of a Remarks value OFAC cut at 1,000
		// characters, often mid-word or right before a space: keep it raw.
		c := rec[1]
		if strings.TrimSpace(c) == "-0-" {
			continue
		}
		if p.cont == nil {
			p.cont = make([]string, len(p.entries))
		}
		p.cont[i] += c
	}
}

// finish joins remark continuations and parses the remarks. A continuation
// the primary remark already ends with is not added again: it comes from a
// comments file of another date than a primary file whose remark was not cut.
func (p *csvSet) finish() {
	for i := range p.entries {
		e := &p.entries[i]
		r := p.remarks[i]
		if p.cont != nil && p.cont[i] != "" && !strings.HasSuffix(r, p.cont[i]) {
			r += p.cont[i]
		}
		r = strings.TrimSpace(r)
		parseRemarks(e, r)
		switch {
		case p.extra[i] == "":
			e.Remarks = r
		case r == "":
			e.Remarks = p.extra[i]
		default:
			e.Remarks = r + " " + p.extra[i]
		}
	}
}

// entityType maps SDN_Type; null means an organisation.
func entityType(s string) molehunt.EntityType {
	switch strings.ToLower(s) {
	case "individual":
		return molehunt.EntityPerson
	case "vessel":
		return molehunt.EntityVessel
	case "aircraft":
		return molehunt.EntityAircraft
	case "", "entity":
		return molehunt.EntityOrganization
	}
	return molehunt.EntityUnknown
}

// altKind maps alt_type ("aka", "fka", "nka", also with dots).
func altKind(s string) molehunt.NameKind {
	switch strings.ToLower(strings.ReplaceAll(s, ".", "")) {
	case "fka":
		return molehunt.NameFormerly
	case "nka":
		return molehunt.NameNow
	}
	return molehunt.NameAlias
}

// splitPrograms turns the Program column ("SDGT] [IRGC", "[DPRK3]", "CUBA")
// into program codes.
func splitPrograms(s string) []string {
	var out []string
	for s != "" {
		part, rest, _ := strings.Cut(s, "]")
		s = rest
		part = strings.Trim(part, "[] ")
		out = appendUnique(out, part)
	}
	return out
}

// null returns the trimmed field, or "" for OFAC's null marker "-0-".
func null(s string) string {
	s = strings.TrimSpace(s)
	if s == "-0-" {
		return ""
	}
	return s
}

// csvFile reads one header-less OFAC CSV file and reports errors with its
// name, line and column name.
type csvFile struct {
	name   string
	cols   []string
	strict bool // the record must have exactly len(cols) fields
	r      *csv.Reader
}

func newCSVFile(name string, data []byte, cols []string, strict bool) *csvFile {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	// OFAC ends its files with a DOS end-of-file byte (0x1A), sometimes
	// followed by a line break.
	for {
		t := bytes.TrimRight(data, " \t\r\n")
		t = bytes.TrimSuffix(t, []byte{0x1a})
		if len(t) == len(data) {
			break
		}
		data = t
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	return &csvFile{name: name, cols: cols, strict: strict, r: r}
}

// next returns the next record, io.EOF at the end, or a *RecordError.
func (f *csvFile) next() ([]string, error) {
	rec, err := f.r.Read()
	if err == io.EOF {
		return nil, err
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &molehunt.RecordError{File: f.name, Record: fmt.Sprintf("line %d", pe.Line), Err: pe.Err}
		}
		return nil, &molehunt.RecordError{File: f.name, Err: err}
	}
	if len(rec) < len(f.cols) || (f.strict && len(rec) != len(f.cols)) {
		line, _ := f.r.FieldPos(0)
		return nil, &molehunt.RecordError{File: f.name, Record: fmt.Sprintf("line %d", line),
			Err: fmt.Errorf("%d columns, want %d", len(rec), len(f.cols))}
	}
	return rec, nil
}

// entNum parses the ent_num column of rec.
func (f *csvFile) entNum(rec []string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(rec[0]))
	if err != nil || n <= 0 {
		return 0, f.errAt(0, fmt.Errorf("ent_num %q is not a positive integer", rec[0]))
	}
	return n, nil
}

// errAt reports err at column col of the last record read.
func (f *csvFile) errAt(col int, err error) error {
	line, _ := f.r.FieldPos(col)
	return &molehunt.RecordError{File: f.name, Record: fmt.Sprintf("line %d", line), Field: f.cols[col], Err: err}
}
