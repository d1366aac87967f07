package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/schollz/progressbar/v3"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/formats"
)

// ingestSummary is what `molehunt ingest --json` prints.
type ingestSummary struct {
	Run        string            `json:"run"`
	Files      []ingest.Summary  `json:"files"`
	Subjects   int               `json:"subjects"`
	Accepted   int               `json:"accepted"`
	Duplicates int               `json:"duplicates"`
	Rejected   int               `json:"rejected"`
	Unresolved int               `json:"unresolved"`
	Resolved   int               `json:"resolved_later"`
	Rejects    []molehunt.Reject `json:"rejects,omitempty"`
}

// progressLine is what `molehunt ingest --progress-json` prints to
// standard error after each committed batch: running totals of the whole
// command, all of them committed.
type progressLine struct {
	File            string `json:"file"`
	CommittedEvents int    `json:"committed_events"` // accepted + duplicates
	Accepted        int    `json:"accepted"`
	Duplicates      int    `json:"duplicates"`
	Subjects        int    `json:"subjects"`
	Rejected        int    `json:"rejected"`
}

// ingestCmd reads exported files into the store.
func (m *Main) ingestCmd(ctx context.Context, args []string) error {
	fs := m.flagSet("ingest")
	data := fs.String("data", "", "data directory (holds the HMAC key, and the SQLite database unless --db says otherwise)")
	db := fs.String("db", "", "store: a postgres:// URL, or empty for SQLite in the data directory (default $MOLEHUNT_DB)")
	source := fs.String("source", "auto", "format of the inputs: auto or one of "+strings.Join(formats.Names(), ", "))
	asJSON := fs.Bool("json", false, "print one JSON object with the counts")
	batch := fs.Int("batch", 1000, "records per committed batch")
	region := fs.String("region", "US", "country assumed for phone numbers without a country code")
	dayFirst := fs.Bool("day-first", false, "read slashed dates in CSV exports as day/month/year")
	keyboard := fs.Bool("keyboard-locale", false, "keep keyboard-layout and locale facts from osquery (policy opt-in)")
	strict := fs.Bool("strict", false, "exit with code 1 when any record is rejected")
	progressJSON := fs.Bool("progress-json", false, "print a JSON line to standard error after each committed batch, with the events committed so far")
	paths, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("ingest: give one or more files or directories (or - with --source)")
	}
	if *batch <= 0 {
		return usagef("ingest: --batch must be positive")
	}
	cfg := formats.Config{KeyboardAndLocale: *keyboard, DayFirst: *dayFirst}
	var fixed ingest.Parser
	if *source != "auto" {
		if fixed, err = formats.ByName(*source, cfg); err != nil {
			return usagef("ingest: %s", molehunt.ErrorMessageOf(err))
		}
	}
	files, fromDir, err := expandPaths(paths)
	if err != nil {
		return err
	}
	for _, f := range files {
		if f == "-" && fixed == nil {
			return usagef("ingest: standard input needs --source")
		}
	}
	dir, err := m.dataDir(*data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	key, err := ident.LoadOrCreateKey(dir, m.Getenv("MOLEHUNT_HMAC_KEY"))
	if err != nil {
		return err
	}
	digester := ident.NewDigester(key)
	store, err := m.openStore(ctx, dir, *db)
	if err != nil {
		return err
	}
	defer store.Close()

	run := m.runID()
	total := ingestSummary{Run: run}
	runner := &ingest.Runner{Store: store, BatchSize: *batch, Now: m.Now}
	if *progressJSON {
		// Each line is written after its batch's commit returned, so every
		// event it counts is durable: a caller that saw the line may rely
		// on those events even if this process dies right after.
		runner.Progress = func(s ingest.Summary) {
			line, _ := json.Marshal(progressLine{
				File:            s.File,
				CommittedEvents: total.Accepted + total.Duplicates + s.Accepted + s.Duplicates,
				Accepted:        total.Accepted + s.Accepted,
				Duplicates:      total.Duplicates + s.Duplicates,
				Subjects:        total.Subjects + s.Subjects,
				Rejected:        total.Rejected + s.Rejected,
			})
			m.Stderr.Write(append(line, '\n'))
		}
	}
	for _, path := range files {
		p := fixed
		var in io.Reader
		var size int64 = -1
		if path == "-" {
			in = m.Stdin
		} else {
			f, err := os.Open(path)
			if err != nil {
				return fmt.Errorf("ingest: %w", err)
			}
			defer f.Close()
			if fi, err := f.Stat(); err == nil {
				size = fi.Size()
			}
			br := bufio.NewReaderSize(f, 64<<10)
			if p == nil {
				head, _ := br.Peek(8 << 10)
				name, err := formats.Detect(path, head)
				if err != nil && fromDir[path] {
					// A directory of exports may hold other files too.
					fmt.Fprintf(m.Stderr, "molehunt: skipped %s: %s\n", path, molehunt.ErrorMessageOf(err))
					continue
				}
				if err != nil {
					return fmt.Errorf("ingest: %s", molehunt.ErrorMessageOf(err))
				}
				if p, err = formats.ByName(name, cfg); err != nil {
					return err
				}
			}
			in = br
		}
		var bar *progressbar.ProgressBar
		if m.IsTerminal(m.Stderr) && size > 0 {
			bar = progressbar.NewOptions64(size, progressbar.OptionSetWriter(m.Stderr), progressbar.OptionSetDescription(filepath.Base(path)),
				progressbar.OptionShowBytes(true), progressbar.OptionClearOnFinish())
			in = io.TeeReader(in, bar)
		}
		opts := ingest.Options{File: path, Canon: &ident.Canonicalizer{Digester: digester, DefaultRegion: *region}, Digest: digester, DefaultRegion: *region, Now: m.Now}
		sum, err := runner.Ingest(ctx, p, in, opts, run)
		if bar != nil {
			bar.Finish()
		}
		total.Files = append(total.Files, sum)
		total.Subjects += sum.Subjects
		total.Accepted += sum.Accepted
		total.Duplicates += sum.Duplicates
		total.Rejected += sum.Rejected
		total.Unresolved += sum.Unresolved
		if err != nil {
			m.printIngest(total, *asJSON)
			return fmt.Errorf("%w (everything counted above was committed; rerun to continue, duplicates are absorbed)", err)
		}
	}
	resolved, remaining, err := ingest.ResolvePending(ctx, store)
	if err != nil {
		return err
	}
	total.Resolved = resolved
	total.Unresolved = remaining
	if total.Rejected > 0 {
		if total.Rejects, err = store.Rejects(ctx, run); err != nil {
			return err
		}
	}
	m.printIngest(total, *asJSON)
	if *strict && total.Rejected > 0 {
		return fmt.Errorf("%d record(s) rejected", total.Rejected)
	}
	return nil
}

func (m *Main) printIngest(s ingestSummary, asJSON bool) {
	if asJSON {
		writeJSONTo(m.Stdout, s)
		return
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tSOURCE\tSUBJECTS\tACCEPTED\tDUPLICATES\tREJECTED\tUNRESOLVED")
	for _, f := range s.Files {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\n", f.File, f.Source, f.Subjects, f.Accepted, f.Duplicates, f.Rejected, f.Unresolved)
	}
	tw.Flush()
	fmt.Fprintf(m.Stdout, "run %s: %d subjects, %d events accepted, %d duplicates, %d rejected, %d unresolved (%d resolved after all files were read)\n",
		s.Run, s.Subjects, s.Accepted, s.Duplicates, s.Rejected, s.Unresolved, s.Resolved)
	for i, r := range s.Rejects {
		if i == 20 {
			fmt.Fprintf(m.Stderr, "... and %d more rejects (--json lists them all)\n", len(s.Rejects)-20)
			break
		}
		fmt.Fprintf(m.Stderr, "rejected: %s: %s: field %s: %s\n", r.File, r.Record, r.Field, r.Reason)
	}
}

func (m *Main) runID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "run-" + m.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// expandPaths turns directories into the regular files under them, in
// name order, and marks which files came from a directory; "-" stays as
// standard input.
func expandPaths(paths []string) ([]string, map[string]bool, error) {
	var out []string
	fromDir := map[string]bool{}
	for _, p := range paths {
		if p == "-" {
			out = append(out, p)
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("ingest: %w", err)
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != p {
				return filepath.SkipDir
			}
			if d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") && !strings.HasSuffix(d.Name(), ".md") && d.Name() != "truth.json" {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("ingest: %w", err)
		}
		sort.Strings(found)
		for _, f := range found {
			fromDir[f] = true
		}
		out = append(out, found...)
	}
	return out, fromDir, nil
}
