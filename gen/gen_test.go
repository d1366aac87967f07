package gen_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"molehunt"
	"molehunt/gen"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/ats"
	"molehunt/ingest/canonical"
	"molehunt/ingest/nacha"
	"molehunt/ingest/okta"
	"molehunt/ingest/osquery"
	"molehunt/ingest/payroll"
	"molehunt/ingest/persona"
	"molehunt/ingest/shipping"
)

// parsed is everything the ingestion parsers read from a generated
// directory.
type parsed struct {
	subjects map[string]molehunt.Subject // last record of each id wins, as in the store
	events   []molehunt.Event
	rejects  []molehunt.Reject
	perFile  map[string]int
}

var (
	smallOnce sync.Once
	smallDir  string
	smallSt   gen.Stats
	smallErr  error
	smallPars *parsed
)

var smallCfg = gen.Config{Workers: 200, Months: 2, Seed: 42}

// small generates the shared 200-worker organisation once per test binary.
func small(t *testing.T) (string, gen.Stats, *parsed) {
	t.Helper()
	smallOnce.Do(func() {
		smallDir, smallErr = os.MkdirTemp("", "molehunt-gen-*")
		if smallErr != nil {
			return
		}
		smallSt, smallErr = gen.Generate(context.Background(), smallCfg, smallDir, nil)
		if smallErr == nil {
			smallPars, smallErr = parseDir(smallDir)
		}
	})
	if smallErr != nil {
		t.Fatal(smallErr)
	}
	return smallDir, smallSt, smallPars
}

func TestMain(m *testing.M) {
	code := m.Run()
	if smallDir != "" {
		os.RemoveAll(smallDir)
	}
	os.Exit(code)
}

// testKey is a fixed digest key: the generator writes numbers in clear, as
// exports do, and the parsers digest them.
func digester() *ident.Digester {
	k, err := ident.NewKey([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		panic(err)
	}
	return ident.NewDigester(k)
}

func parserFor(name string) ingest.Parser {
	switch {
	case strings.HasPrefix(name, "greenhouse"):
		return ats.New(molehunt.SourceGreenhouse)
	case name == "people.jsonl":
		return canonical.New()
	case strings.HasPrefix(name, "okta"):
		return okta.New()
	case strings.HasPrefix(name, "osquery"):
		return osquery.New(osquery.Config{KeyboardAndLocale: true})
	case strings.HasPrefix(name, "payroll"), strings.HasPrefix(name, "ap-"):
		return payroll.New(payroll.Config{})
	case strings.HasSuffix(name, ".ach"):
		return nacha.New()
	case strings.HasPrefix(name, "shipping"):
		return shipping.New(shipping.Config{})
	case strings.HasPrefix(name, "persona"):
		return persona.New()
	}
	return nil
}

func parseDir(dir string) (*parsed, error) {
	d := digester()
	out := &parsed{subjects: map[string]molehunt.Subject{}, perFile: map[string]int{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if name == gen.TruthFile {
			continue
		}
		p := parserFor(name)
		if p == nil {
			out.rejects = append(out.rejects, molehunt.Reject{File: name, Reason: "no parser"})
			continue
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		opts := ingest.Options{File: name, Canon: &ident.Canonicalizer{Digester: d, DefaultRegion: "US"}, Digest: d, DefaultRegion: "US",
			Now: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }}
		err = p.Parse(context.Background(), f, opts, func(r ingest.Record) error {
			switch {
			case r.Subject != nil:
				out.subjects[r.Subject.ID] = *r.Subject
			case r.Event != nil:
				out.events = append(out.events, *r.Event)
				out.perFile[name]++
			case r.Reject != nil:
				out.rejects = append(out.rejects, *r.Reject)
			}
			return nil
		})
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func TestRoundTripEveryParser(t *testing.T) {
	dir, st, p := small(t)
	for i, r := range p.rejects {
		if i == 20 {
			t.Errorf("... %d rejects in all", len(p.rejects))
			break
		}
		t.Errorf("reject: %s %s field %s: %s", r.File, r.Record, r.Field, r.Reason)
	}
	if got, want := len(p.events), st.Events; got != want {
		t.Errorf("parsers read %d events; Generate counted %d (per file %v)", got, want, p.perFile)
	}
	if got, want := len(p.subjects), st.Subjects; got != want {
		t.Errorf("parsers read %d subjects; Generate counted %d", got, want)
	}
	for _, name := range []string{"greenhouse-candidates.json", "okta-system-log.ndjson", "osquery-results.log", "payroll-payments.csv",
		"payroll-bank-changes.csv", "ap-vendor-payments.csv", "shipping-equipment.csv", "persona-inquiries.ndjson"} {
		if p.perFile[name] == 0 {
			t.Errorf("%s: no events", name)
		}
	}
	achs, _ := filepath.Glob(filepath.Join(dir, "*.ach"))
	if len(achs) != 4 {
		t.Errorf("%d NACHA files for two months; want 4", len(achs))
	}
	seen := map[string]bool{}
	for _, e := range p.events {
		if err := e.Validate(); err != nil {
			t.Fatalf("event does not validate: %v", err)
		}
		key := molehunt.EventID(e.Source, e.SourceEventID)
		if seen[key] {
			t.Errorf("event id %s repeats: it would be absorbed as a duplicate", key)
		}
		seen[key] = true
	}
	t.Logf("stats %+v; per file %v", st, p.perFile)
}
