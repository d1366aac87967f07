package screening_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"molehunt"
	"molehunt/internal/testdata"
	"molehunt/lists/ofac"
	"molehunt/lists/un"
	"molehunt/lists/uscsl"
	"molehunt/screening"
)

var (
	setOnce sync.Map // key → *loadedSet
)

type loadedSet struct {
	once sync.Once
	set  molehunt.ListSet
	err  error
}

// loadSet parses the real lists named in which ("sdn", "cons", "un",
// "csl") from the shared data, once per test binary.
func loadSet(tb testing.TB, which ...string) molehunt.ListSet {
	tb.Helper()
	key := strings.Join(which, "+")
	v, _ := setOnce.LoadOrStore(key, &loadedSet{})
	ls := v.(*loadedSet)
	dir := testdata.SharedData(tb, "sanctions")
	ls.once.Do(func() { ls.set, ls.err = readSet(dir, which) })
	if ls.err != nil {
		tb.Fatalf("load %s: %v", key, ls.err)
	}
	return ls.set
}

func readSet(dir string, which []string) (molehunt.ListSet, error) {
	var set molehunt.ListSet
	add := func(name molehunt.ListName, es []molehunt.ListEntry) {
		set.Entries = append(set.Entries, es...)
		set.Lists = append(set.Lists, molehunt.ListInfo{Name: name, Entries: len(es), Source: "snapshot"})
	}
	readFiles := func(sub string, names ...string) (map[string][]byte, error) {
		files := map[string][]byte{}
		for _, n := range names {
			b, err := os.ReadFile(filepath.Join(dir, sub, n))
			if err != nil {
				return nil, err
			}
			files[n] = b
		}
		return files, nil
	}
	for _, w := range which {
		switch w {
		case "sdn":
			files, err := readFiles("ofac/sdn", "sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
			if err != nil {
				return set, err
			}
			es, _, err := ofac.ParseCSV(molehunt.ListOFACSDN, files)
			if err != nil {
				return set, err
			}
			add(molehunt.ListOFACSDN, es)
		case "cons":
			files, err := readFiles("ofac/non-sdn", "cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")
			if err != nil {
				return set, err
			}
			es, _, err := ofac.ParseCSV(molehunt.ListOFACCons, files)
			if err != nil {
				return set, err
			}
			add(molehunt.ListOFACCons, es)
		case "un":
			b, err := os.ReadFile(filepath.Join(dir, "un", "consolidated.xml"))
			if err != nil {
				return set, err
			}
			es, _, err := un.Parse(b)
			if err != nil {
				return set, err
			}
			add(molehunt.ListUNSC, es)
		case "csl":
			b, err := os.ReadFile(filepath.Join(dir, "us-csl", "consolidated.csv.gz"))
			if err != nil {
				return set, err
			}
			es, _, err := uscsl.Parse(b, uscsl.DefaultOptions())
			if err != nil {
				return set, err
			}
			add(molehunt.ListUSCSL, es)
		default:
			return set, fmt.Errorf("unknown list %q", w)
		}
	}
	return set, nil
}

func readLabelled(tb testing.TB, name string) []screening.LabelledQuery {
	tb.Helper()
	p := filepath.Join(testdata.SharedData(tb, "screening"), name)
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	qs, err := screening.ReadLabelled(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	return qs
}

var allLists = []string{"sdn", "cons", "un", "csl"}

// TestDevSets runs the evaluation sets against the real lists and holds the
// targets: recall ≥ 0.97 and false hits ≤ 0.5 % at the default threshold,
// no name origin above twice the average false-hit rate, every Hangul
// query found.
func TestDevSets(t *testing.T) {
	for _, lists := range [][]string{{"sdn"}, allLists} {
		t.Run(strings.Join(lists, "+"), func(t *testing.T) {
			set := loadSet(t, lists...)
			ix, err := screening.New(set, screening.Options{})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			th := ix.DefaultThreshold()
			dev := readLabelled(t, "dev-queries.jsonl")
			rep, err := screening.Evaluate(ctx, ix, dev, th)
			if err != nil {
				t.Fatal(err)
			}
			logReport(t, rep)
			if rep.Recall < 0.97 {
				t.Errorf("dev recall = %.4f; want ≥ 0.97", rep.Recall)
			}
			if rep.FalseHitRate > 0.005 {
				t.Errorf("dev false-hit rate = %.4f; want ≤ 0.005", rep.FalseHitRate)
			}
			for _, o := range rep.ByOrigin {
				if rep.FalseHits > 0 && o.Rate > 2*rep.FalseHitRate {
					t.Errorf("origin %s false-hit rate %.4f > 2 × average %.4f", o.Key, o.Rate, rep.FalseHitRate)
				}
			}
			hq := readLabelled(t, "dev-hangul.jsonl")
			hrep, err := screening.Evaluate(ctx, ix, hq, th)
			if err != nil {
				t.Fatal(err)
			}
			logReport(t, hrep)
			if hrep.Found != hrep.Positives {
				t.Errorf("hangul: found %d of %d", hrep.Found, hrep.Positives)
			}
		})
	}
}

func logReport(t *testing.T, rep screening.EvalReport) {
	t.Helper()
	t.Logf("threshold %.2f: recall %.4f (%d/%d), false hits %.4f (%d/%d)", rep.Threshold, rep.Recall, rep.Found, rep.Positives, rep.FalseHitRate, rep.FalseHits, rep.Negatives)
	for _, r := range rep.ByVariant {
		t.Logf("  variant %-34s n=%3d hits=%3d rate=%.3f", r.Key, r.N, r.Hits, r.Rate)
	}
	for _, r := range rep.ByOrigin {
		t.Logf("  origin  %-34s n=%3d false=%3d rate=%.3f", r.Key, r.N, r.Hits, r.Rate)
	}
	if testing.Verbose() {
		for _, m := range rep.Misses {
			t.Logf("  MISS %-14s %q → want %s (%s) got %.3f; best %s %q %.3f", m.Variant, m.Query, m.Expected, m.ListedName, m.ExpectedScore, m.Best, m.BestName, m.BestScore)
		}
		for _, m := range rep.FalseHitList {
			t.Logf("  FALSE %-14s %q → %s %q %.3f", m.Origin, m.Query, m.Best, m.BestName, m.BestScore)
		}
	}
}
