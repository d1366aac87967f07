package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/schollz/progressbar/v3"

	"molehunt"
)

// screen screens one name, or every record of a file.
func (m *Main) screen(ctx context.Context, args []string) error {
	fs := m.flagSet("screen")
	data := fs.String("data", "", "data directory")
	file := fs.String("file", "", "screen every record of a CSV or JSON Lines file (- for standard input, with --format)")
	format := fs.String("format", "", "input format of --file: csv or jsonl (default: from the file name)")
	dob := fs.String("dob", "", "date of birth (YYYY, YYYY-MM or YYYY-MM-DD)")
	country := fs.String("country", "", "country of residence, address or registration")
	typ := fs.String("type", "", "person or company (default: any)")
	threshold := fs.Float64("threshold", 0, "match threshold in [0,1] (default: the matcher's)")
	limit := fs.Int("limit", 0, "most results per query (default 10)")
	asJSON := fs.Bool("json", false, "print JSON (JSON Lines with --file)")
	failOnMatch := fs.Bool("fail-on-match", false, "exit with code 3 when any query matches")
	var ids stringList
	fs.Var(&ids, "id", "an identifier to match exactly (document number, wallet, email, phone); repeatable")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *threshold < 0 || *threshold > 1 {
		return usagef("screen: --threshold %v is outside [0,1]", *threshold)
	}
	entityType, err := parseType(*typ)
	if err != nil {
		return usagef("screen: --type: %v", err)
	}
	if *file == "" && len(rest) == 0 && len(ids) == 0 {
		return usagef("screen: give a NAME or --file")
	}
	if *file != "" && len(rest) > 0 {
		return usagef("screen: give a NAME or --file, not both")
	}
	dir, err := m.dataDir(*data)
	if err != nil {
		return err
	}
	reg, _, err := m.openRegistry(ctx, registryOptions{dataDir: dir, threshold: *threshold})
	if err != nil {
		return err
	}
	if *file != "" {
		return m.screenFile(ctx, reg, *file, *format, *asJSON, *failOnMatch, *threshold, *limit)
	}
	q := molehunt.ScreenQuery{
		Names: []string{strings.Join(rest, " ")}, Type: entityType, Identifiers: ids,
		Threshold: *threshold, Limit: *limit,
	}
	if len(rest) == 0 {
		q.Names = nil
	}
	if *dob != "" {
		q.BirthDates = []string{*dob}
	}
	if *country != "" {
		q.Countries = []string{*country}
	}
	res, err := reg.Screen(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSONTo(m.Stdout, map[string]any{"query": q, "threshold": res.Threshold, "matches": res.Matches, "lists": res.Lists}); err != nil {
			return err
		}
	} else {
		printMatches(m, q, res)
	}
	if *failOnMatch && anyMatch(res) {
		return errMatchFound
	}
	return nil
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func parseType(s string) (molehunt.EntityType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "any":
		return molehunt.EntityUnknown, nil
	case "person", "individual":
		return molehunt.EntityPerson, nil
	case "company", "organization", "organisation", "business", "entity":
		return molehunt.EntityOrganization, nil
	case "vessel":
		return molehunt.EntityVessel, nil
	case "aircraft":
		return molehunt.EntityAircraft, nil
	}
	return "", fmt.Errorf("%q is not person, company, vessel or aircraft", s)
}

func anyMatch(res molehunt.ScreenResult) bool {
	for _, m := range res.Matches {
		if m.IsMatch {
			return true
		}
	}
	return false
}

func printMatches(m *Main, q molehunt.ScreenQuery, res molehunt.ScreenResult) {
	if len(res.Matches) == 0 {
		fmt.Fprintf(m.Stdout, "no listed party resembles %q (threshold %.2f)\n", strings.Join(q.Names, "; "), res.Threshold)
		return
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MATCH\tSCORE\tNAME\tLIST\tID\tCAPTION\tPROGRAMS")
	for _, r := range res.Matches {
		mark := "-"
		if r.IsMatch {
			mark = "MATCH"
		}
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%s\t%s\t%s\t%s\n", mark, r.Score, r.NameScore, r.List, r.SourceID, r.Caption, strings.Join(r.Programs, ","))
	}
	tw.Flush()
	best := res.Matches[0]
	fmt.Fprintf(m.Stdout, "\nwhy %s (%s):\n", best.Caption, best.MatchedName)
	for _, e := range best.Explanations {
		fmt.Fprintf(m.Stdout, "  %-10s %-24q ~ %-24q %-16s %.3f\n", e.Feature, e.Query, e.Listed, e.Rule, e.Score)
	}
	var vs []string
	for _, l := range res.Lists {
		vs = append(vs, string(l.Name)+" "+l.Version)
	}
	fmt.Fprintf(m.Stdout, "\nlists: %s\n", strings.Join(vs, ", "))
}

// fileRecord is one input record of `screen --file`.
type fileRecord struct {
	line int
	key  string
	q    molehunt.ScreenQuery
	err  error // the record's own defect, reported and skipped
}

// screenFile streams a file of records through the screener, writing one
// output row per match (and one per record without a match) as it goes. A
// bad record is reported with its line and field and does not stop the
// rest.
func (m *Main) screenFile(ctx context.Context, s molehunt.Screener, path, format string, asJSON, failOnMatch bool, threshold float64, limit int) error {
	// The reader goroutine stops when this returns early.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var in io.Reader
	var size int64 = -1
	if path == "-" {
		in = m.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("screen --file: %w", err)
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		in = f
	}
	if format == "" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".csv":
			format = "csv"
		case ".jsonl", ".ndjson", ".json":
			format = "jsonl"
		default:
			return usagef("screen --file %s: cannot tell the format from the name; give --format csv or --format jsonl", path)
		}
	}
	var bar *progressbar.ProgressBar
	if m.IsTerminal(m.Stderr) && size > 0 {
		bar = progressbar.NewOptions64(size, progressbar.OptionSetWriter(m.Stderr), progressbar.OptionSetDescription("screening"),
			progressbar.OptionShowBytes(true), progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish())
		in = io.TeeReader(in, bar)
	}
	records := make(chan fileRecord, 64)
	readErr := make(chan error, 1)
	go func() {
		defer close(records)
		switch format {
		case "csv":
			readErr <- readCSVRecords(ctx, in, path, records)
		case "jsonl":
			readErr <- readJSONLRecords(ctx, in, path, records)
		default:
			readErr <- usagef("screen: --format %q is not csv or jsonl", format)
		}
	}()
	out := bufio.NewWriter(m.Stdout)
	defer out.Flush()
	var cw *csv.Writer
	if !asJSON {
		cw = csv.NewWriter(out)
		cw.Write([]string{"line", "key", "query", "match", "score", "name_score", "list", "source_id", "caption", "matched_name", "programs", "error"})
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	var bad, matched, total int
	for rec := range records {
		total++
		var res molehunt.ScreenResult
		err := rec.err
		if err == nil {
			rec.q.Threshold, rec.q.Limit = threshold, limit
			res, err = s.Screen(ctx, rec.q)
			if code := molehunt.ErrorCodeOf(err); code != "" && code != molehunt.EInvalid {
				return fmt.Errorf("%s line %d: %w", path, rec.line, err)
			}
		}
		if err != nil {
			bad++
			fmt.Fprintf(m.Stderr, "molehunt: %v\n", err)
		}
		if anyMatch(res) {
			matched++
		}
		if asJSON {
			row := map[string]any{"line": rec.line, "key": rec.key, "query": rec.q, "matches": res.Matches}
			if err != nil {
				row["error"] = err.Error()
			}
			if res.Matches == nil {
				row["matches"] = []molehunt.Match{}
			}
			if encErr := enc.Encode(row); encErr != nil {
				return encErr
			}
			continue
		}
		name := strings.Join(rec.q.Names, "; ")
		if err != nil || len(res.Matches) == 0 {
			msg := ""
			if err != nil {
				msg = err.Error()
			}
			cw.Write([]string{strconv.Itoa(rec.line), rec.key, name, "", "", "", "", "", "", "", "", msg})
			continue
		}
		for _, r := range res.Matches {
			cw.Write([]string{strconv.Itoa(rec.line), rec.key, name, strconv.FormatBool(r.IsMatch),
				strconv.FormatFloat(r.Score, 'f', 4, 64), strconv.FormatFloat(r.NameScore, 'f', 4, 64),
				string(r.List), r.SourceID, r.Caption, r.MatchedName, strings.Join(r.Programs, ";"), ""})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	if err := <-readErr; err != nil {
		return err
	}
	if bar != nil {
		bar.Finish()
	}
	fmt.Fprintf(m.Stderr, "screened %d record(s): %d matched, %d rejected\n", total, matched, bad)
	if failOnMatch && matched > 0 {
		out.Flush()
		return errMatchFound
	}
	if bad > 0 {
		return fmt.Errorf("%d record(s) of %s were rejected; see the messages above", bad, path)
	}
	return nil
}

// readCSVRecords reads a header row naming the columns (name is required;
// id or key, type, dob or birth_date, country, identifiers are optional;
// several values in one cell are separated by ";").
func readCSVRecords(ctx context.Context, r io.Reader, path string, out chan<- fileRecord) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return &molehunt.RecordError{File: path, Record: "line 1", Field: "header", Err: err}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	find := func(names ...string) int {
		for _, n := range names {
			if i, ok := col[n]; ok {
				return i
			}
		}
		return -1
	}
	nameCol := find("name", "full_name", "fullname")
	if nameCol < 0 {
		return &molehunt.RecordError{File: path, Record: "line 1", Field: "header", Err: errors.New(`no "name" column`)}
	}
	keyCol, typeCol := find("id", "key", "ref"), find("type", "schema")
	dobCol, countryCol, idCol := find("dob", "birth_date", "birthdate", "date_of_birth"), find("country", "countries"), find("identifiers", "identifier")
	get := func(rec []string, i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return &molehunt.RecordError{File: path, Record: fmt.Sprintf("line %d", pe.StartLine), Err: pe.Err}
			}
			return &molehunt.RecordError{File: path, Err: err}
		}
		// FieldPos is defined only after a successful Read.
		line, _ := cr.FieldPos(0)
		if len(rec) == 0 {
			continue
		}
		fr := fileRecord{line: line, key: get(rec, keyCol)}
		if n := get(rec, nameCol); n != "" {
			fr.q.Names = []string{n}
		}
		fr.q.BirthDates = splitList(get(rec, dobCol))
		fr.q.Countries = splitList(get(rec, countryCol))
		fr.q.Identifiers = splitList(get(rec, idCol))
		if t, terr := parseType(get(rec, typeCol)); terr != nil {
			fr.err = &molehunt.RecordError{File: path, Record: fmt.Sprintf("line %d", line), Field: header[typeCol], Err: terr}
		} else {
			fr.q.Type = t
		}
		if fr.err == nil && len(fr.q.Names) == 0 && len(fr.q.Identifiers) == 0 {
			fr.err = &molehunt.RecordError{File: path, Record: fmt.Sprintf("line %d", line), Field: header[nameCol], Err: errors.New("empty")}
		}
		select {
		case out <- fr:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// jsonRecord is one line of `screen --file x.jsonl`.
type jsonRecord struct {
	ID          json.RawMessage `json:"id"`
	Key         string          `json:"key"`
	Name        string          `json:"name"`
	Names       []string        `json:"names"`
	Type        string          `json:"type"`
	DOB         string          `json:"dob"`
	BirthDate   string          `json:"birth_date"`
	BirthDates  []string        `json:"birth_dates"`
	Country     string          `json:"country"`
	Countries   []string        `json:"countries"`
	Identifiers []string        `json:"identifiers"`
}

func readJSONLRecords(ctx context.Context, r io.Reader, path string, out chan<- fileRecord) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		fr := fileRecord{line: line}
		var jr jsonRecord
		if err := json.Unmarshal([]byte(text), &jr); err != nil {
			fr.err = &molehunt.RecordError{File: path, Record: fmt.Sprintf("line %d", line), Err: err}
		} else {
			fr.key = jr.Key
			if len(jr.ID) > 0 {
				var s string
				if json.Unmarshal(jr.ID, &s) == nil {
					fr.key = s
				} else {
					fr.key = string(jr.ID)
				}
			}
			if jr.Name != "" {
				fr.q.Names = append(fr.q.Names, jr.Name)
			}
			fr.q.Names = append(fr.q.Names, jr.Names...)
			for _, d := range append([]string{jr.DOB, jr.BirthDate}, jr.BirthDates...) {
				if d != "" {
					fr.q.BirthDates = append(fr.q.BirthDates, d)
				}
			}
			if jr.Country != "" {
				fr.q.Countries = append(fr.q.Countries, jr.Country)
			}
			fr.q.Countries = append(fr.q.Countries, jr.Countries...)
			fr.q.Identifiers = jr.Identifiers
			t, terr := parseType(jr.Type)
			fr.q.Type = t
			switch {
			case terr != nil:
				fr.err = &molehunt.RecordError{File: path, Record: fmt.Sprintf("line %d", line), Field: "type", Err: terr}
			case len(fr.q.Names) == 0 && len(fr.q.Identifiers) == 0:
				fr.err = &molehunt.RecordError{File: path, Record: fmt.Sprintf("line %d", line), Field: "name", Err: errors.New("missing")}
			}
		}
		select {
		case out <- fr:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := sc.Err(); err != nil {
		return &molehunt.RecordError{File: path, Record: fmt.Sprintf("line %d", line+1), Err: err}
	}
	return nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
