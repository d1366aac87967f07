// Package gen writes a realistic generated organisation — applicants,
// employees, contractors and vendors with their logins, endpoint
// inventories, pay, bank changes, equipment shipments and identity checks —
// in the native export formats molehunt ingests, with planted covert
// worker networks modelled on the public DOJ cases and benign look-alikes,
// and a ground-truth file naming both.
//
// Files written (one per format; NACHA one per pay date):
//
//	greenhouse-candidates.json  Greenhouse Harvest "List Candidates" (JSON array)
//	people.jsonl                canonical subjects: HRIS record joined with ATS
//	                            attachment fingerprints, same subject ids as Greenhouse
//	okta-system-log.ndjson      Okta System Log events (NDJSON, time order)
//	osquery-results.log         osquery filesystem-logger results
//	payroll-payments.csv        pay-run export (employees and contractors)
//	payroll-bank-changes.csv    direct-deposit change log
//	ap-vendor-payments.csv      accounts-payable payments (payroll CSV format)
//	nacha-YYYY-MM-DD.ach        NACHA PPD payroll (+ CCD vendor) file per pay date
//	shipping-equipment.csv      equipment shipping export
//	persona-inquiries.ndjson    Persona inquiry webhooks
//	truth.json                  ground truth (Truth)
//
// Everything is a pure function of Config: the same seed gives
// byte-identical files. Events are streamed through buffered writers;
// memory grows with the number of workers (their profiles) and never with
// workers × months.
//
// Nothing planted is keyed on nationality, ethnicity or name origin:
// covert workers claim US identities drawn from the same name pools as
// every US worker, and East Asian names and residents are common among
// ordinary staff (DESIGN.md, INDICATORS.md §5.2).
package gen

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// TruthFile is the name of the ground-truth file in the output directory.
const TruthFile = "truth.json"

// Config says what organisation to generate.
type Config struct {
	// Workers is the number of employees and contractors (applicants who
	// were never hired come on top: half as many).
	Workers int
	// Months is the length of the observed period.
	Months int
	// Seed makes the organisation: the same seed, the same bytes.
	Seed int64
	// Start is the first day observed; default 2026-01-01 UTC.
	Start time.Time
	// Networks is the number of planted covert networks; default
	// max(5, Workers/2000). Kinds take turns: laptop farm, payment hub,
	// stolen identity, shared resume/photo, sanctioned front vendor.
	Networks int
}

// Stats counts what Generate wrote. Events counts the records the
// ingestion parsers turn into events; Subjects the distinct subjects.
type Stats struct {
	Workers  int   `json:"workers"`
	Subjects int   `json:"subjects"`
	Events   int   `json:"events"`
	Files    int   `json:"files"`
	Planted  int   `json:"planted"` // covert workers and applicants, plus sanctioned vendors
	Bytes    int64 `json:"bytes"`
}

// MaxWorkers bounds Config.Workers.
const MaxWorkers = 5_000_000

func (c *Config) normalise() error {
	if c.Workers <= 0 {
		return errors.New("gen: Workers must be positive")
	}
	if c.Workers > MaxWorkers {
		return fmt.Errorf("gen: Workers %d; at most %d", c.Workers, MaxWorkers)
	}
	if c.Months <= 0 {
		c.Months = 1
	}
	if c.Months > 120 {
		return errors.New("gen: Months must be at most 120")
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	y, m, d := c.Start.UTC().Date()
	c.Start = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if c.Networks <= 0 {
		c.Networks = c.Workers / 2000
		if c.Networks < 5 {
			c.Networks = 5
		}
	}
	return nil
}

// counter is the running count of one Generate call, shared by the file
// writers.
type counter struct {
	events, subjects, bytes, files atomic.Int64
}

// countingWriter counts bytes on their way to the file.
type countingWriter struct {
	w io.Writer
	n *atomic.Int64
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}

// output is one file being written.
type output struct {
	f *os.File
	*bufio.Writer
}

func (o *org) create(dir, name string, cnt *counter) (*output, error) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	cnt.files.Add(1)
	return &output{f: f, Writer: bufio.NewWriterSize(countingWriter{w: f, n: &cnt.bytes}, 1<<20)}, nil
}

func (out *output) close() error {
	if err := out.Flush(); err != nil {
		out.f.Close()
		return err
	}
	return out.f.Close()
}

// Generate writes the organisation into dir (created if missing) and
// returns what it wrote. progress, when not nil, is called about five
// times a second from one goroutine, and once at the end.
func Generate(ctx context.Context, cfg Config, dir string, progress func(Stats)) (Stats, error) {
	if err := cfg.normalise(); err != nil {
		return Stats{}, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return Stats{}, err
	}
	o := &org{cfg: cfg}
	o.build()
	planted := len(o.vendors) - countOrdinaryVendors(o.vendors)
	for _, p := range o.people {
		if p.covert != nil {
			planted++
		}
	}
	cnt := &counter{}
	snapshot := func() Stats {
		return Stats{Workers: cfg.Workers, Subjects: int(cnt.subjects.Load()), Events: int(cnt.events.Load()),
			Files: int(cnt.files.Load()), Planted: planted, Bytes: cnt.bytes.Load()}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		files    []string
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}
	run := func(jobs ...func(context.Context, string, *counter) ([]string, error)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, job := range jobs {
				names, err := job(ctx, dir, cnt)
				if err != nil {
					fail(err)
					return
				}
				mu.Lock()
				files = append(files, names...)
				mu.Unlock()
			}
		}()
	}
	// The log files are the bulk; each gets its own goroutine, the small
	// exports share one. Every file is written by one goroutine, in a fixed
	// order, so the bytes do not depend on scheduling.
	run(o.writeOkta)
	run(o.writeOsquery)
	run(o.writeGreenhouse, o.writePeople, o.writePersona, o.writeShipping, o.writePayroll, o.writeBankChanges, o.writeVendorPayments, o.writeNACHA)

	done := make(chan struct{})
	var pwg sync.WaitGroup
	if progress != nil {
		pwg.Add(1)
		go func() {
			defer pwg.Done()
			t := time.NewTicker(200 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					progress(snapshot())
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	pwg.Wait()
	if firstErr != nil {
		return snapshot(), firstErr
	}
	if err := ctx.Err(); err != nil {
		return snapshot(), err
	}
	sortStrings(files)
	b, err := json.MarshalIndent(o.truth(files), "", "  ")
	if err != nil {
		return snapshot(), err
	}
	b = append(b, '\n')
	if err := os.WriteFile(filepath.Join(dir, TruthFile), b, 0o640); err != nil {
		return snapshot(), err
	}
	cnt.files.Add(1)
	cnt.bytes.Add(int64(len(b)))
	st := snapshot()
	if progress != nil {
		progress(st)
	}
	return st, nil
}

func countOrdinaryVendors(vs []*vendor) int {
	n := 0
	for _, v := range vs {
		if !v.sanction {
			n++
		}
	}
	return n
}
