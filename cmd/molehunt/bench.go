package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"molehunt"
	"molehunt/screening"
)

// bench measures molehunt on this machine; `bench screen` covers the
// screening engine: quality on a labelled set, speed, build time and heap;
// `bench ingest` covers ingestion into the stores.
func (m *Main) bench(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "ingest" {
		return m.benchIngest(ctx, args[1:])
	}
	if len(args) == 0 || args[0] != "screen" {
		return usagef("bench: want `bench screen` or `bench ingest`")
	}
	fs := m.flagSet("bench screen")
	queriesPath := fs.String("queries", "", "labelled queries, JSON Lines (default: ../shared/data/screening/dev-queries.jsonl)")
	hangulPath := fs.String("hangul", "", "more labelled queries, scored separately (default: dev-hangul.jsonl beside --queries, if present)")
	seconds := fs.Float64("seconds", 3, "how long each speed run lasts")
	threshold := fs.Float64("threshold", 0, "match threshold (default: the matcher's)")
	asJSON := fs.Bool("json", false, "print JSON")
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("bench screen: unexpected argument %q", rest[0])
	}
	if *queriesPath == "" {
		*queriesPath = m.sharedDataPath("screening", "dev-queries.jsonl")
		if *queriesPath == "" {
			return usagef("bench screen: no labelled set found; give --queries FILE")
		}
	}
	if *hangulPath == "" {
		p := filepath.Join(filepath.Dir(*queriesPath), "dev-hangul.jsonl")
		if _, err := os.Stat(p); err == nil {
			*hangulPath = p
		}
	}
	qs, err := readLabelledFile(*queriesPath)
	if err != nil {
		return err
	}

	// Build from the bundled snapshot, with no stored lists in the way.
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	reg, _, err := m.openRegistry(ctx, registryOptions{threshold: *threshold})
	if err != nil {
		return err
	}
	build := time.Since(start)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)

	if *threshold == 0 {
		*threshold = screening.DefaultThreshold
	}
	report, err := screening.Evaluate(ctx, reg, qs, *threshold)
	if err != nil {
		return err
	}
	var hangul *screening.EvalReport
	if *hangulPath != "" {
		hq, err := readLabelledFile(*hangulPath)
		if err != nil {
			return err
		}
		r, err := screening.Evaluate(ctx, reg, hq, *threshold)
		if err != nil {
			return err
		}
		hangul = &r
	}

	var texts []molehunt.ScreenQuery
	for _, q := range qs {
		texts = append(texts, molehunt.ScreenQuery{Names: []string{q.Query}, Type: labelledType(q.Type)})
	}
	dur := time.Duration(*seconds * float64(time.Second))
	single := speedRun(ctx, reg, texts, 1, dur)
	all := speedRun(ctx, reg, texts, runtime.NumCPU(), dur)

	entries := 0
	for _, l := range reg.Lists() {
		entries += l.Entries
	}
	result := benchResult{
		Lists: reg.Lists(), Entries: entries, Threshold: report.Threshold,
		BuildSeconds: build.Seconds(), HeapMiB: float64(heap) / (1 << 20),
		Quality: report, Hangul: hangul, Single: single, AllCores: all, Cores: runtime.NumCPU(),
	}
	if *asJSON {
		return writeJSONTo(m.Stdout, result)
	}
	printBench(m, result)
	return nil
}

type benchResult struct {
	Lists        []molehunt.ListInfo   `json:"lists"`
	Entries      int                   `json:"entries"`
	Threshold    float64               `json:"threshold"`
	BuildSeconds float64               `json:"index_build_seconds"`
	HeapMiB      float64               `json:"heap_mib"`
	Quality      screening.EvalReport  `json:"quality"`
	Hangul       *screening.EvalReport `json:"hangul,omitempty"`
	Single       speed                 `json:"single_core"`
	AllCores     speed                 `json:"all_cores"`
	Cores        int                   `json:"cores"`
}

type speed struct {
	Workers    int     `json:"workers"`
	Queries    int64   `json:"queries"`
	PerSecond  float64 `json:"queries_per_second"`
	P50Millis  float64 `json:"p50_ms"`
	P99Millis  float64 `json:"p99_ms"`
	MaxMillis  float64 `json:"max_ms"`
	GOMAXPROCS int     `json:"gomaxprocs"`
}

// speedRun screens the queries round-robin from `workers` goroutines for
// dur, with GOMAXPROCS set to workers, and records every latency.
func speedRun(ctx context.Context, s molehunt.Screener, qs []molehunt.ScreenQuery, workers int, dur time.Duration) speed {
	prev := runtime.GOMAXPROCS(workers)
	defer runtime.GOMAXPROCS(prev)
	var n atomic.Int64
	lat := make([][]time.Duration, workers)
	var wg sync.WaitGroup
	deadline := time.Now().Add(dur)
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline) && ctx.Err() == nil; i += workers {
				t := time.Now()
				_, _ = s.Screen(ctx, qs[i%len(qs)])
				lat[w] = append(lat[w], time.Since(t))
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[int(p*float64(len(all)-1))]) / 1e6
	}
	return speed{Workers: workers, Queries: n.Load(), PerSecond: float64(n.Load()) / elapsed.Seconds(),
		P50Millis: pct(0.50), P99Millis: pct(0.99), MaxMillis: pct(1), GOMAXPROCS: workers}
}

func printBench(m *Main, r benchResult) {
	w := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "lists\t")
	for i, l := range r.Lists {
		if i > 0 {
			fmt.Fprint(w, ", ")
		}
		fmt.Fprintf(w, "%s %s (%d)", l.Name, l.Version, l.Entries)
	}
	fmt.Fprintf(w, "\nentries\t%d\n", r.Entries)
	fmt.Fprintf(w, "index build from snapshot\t%.3f s\n", r.BuildSeconds)
	fmt.Fprintf(w, "heap after build\t%.1f MiB\n", r.HeapMiB)
	fmt.Fprintf(w, "threshold\t%.3f\n", r.Threshold)
	q := r.Quality
	fmt.Fprintf(w, "recall\t%.4f (%d/%d)\n", q.Recall, q.Found, q.Positives)
	fmt.Fprintf(w, "false-hit rate\t%.4f (%d/%d)\n", q.FalseHitRate, q.FalseHits, q.Negatives)
	if r.Hangul != nil {
		fmt.Fprintf(w, "hangul recall\t%.4f (%d/%d)\n", r.Hangul.Recall, r.Hangul.Found, r.Hangul.Positives)
	}
	fmt.Fprintf(w, "single core\t%.0f q/s, p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", r.Single.PerSecond, r.Single.P50Millis, r.Single.P99Millis, r.Single.MaxMillis)
	fmt.Fprintf(w, "all cores (%d)\t%.0f q/s, p50 %.3f ms, p99 %.3f ms\n", r.Cores, r.AllCores.PerSecond, r.AllCores.P50Millis, r.AllCores.P99Millis)
	w.Flush()
	fmt.Fprintln(m.Stdout)
	w = tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "variant\tqueries\thits\trate\t")
	for _, row := range q.ByVariant {
		fmt.Fprintf(w, "%s\t%d\t%d\t%.3f\t\n", row.Key, row.N, row.Hits, row.Rate)
	}
	w.Flush()
	fmt.Fprintln(m.Stdout, "\n(positive variants: rate = recall; negative_* variants: rate = false-hit rate)")
	fmt.Fprintln(m.Stdout)
	w = tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "negatives by origin\tqueries\tfalse hits\trate\t")
	for _, row := range q.ByOrigin {
		fmt.Fprintf(w, "%s\t%d\t%d\t%.3f\t\n", row.Key, row.N, row.Hits, row.Rate)
	}
	w.Flush()
}

func labelledType(t string) molehunt.EntityType {
	switch t {
	case "person":
		return molehunt.EntityPerson
	case "business", "company", "organization":
		return molehunt.EntityOrganization
	}
	return molehunt.EntityUnknown
}

func readLabelledFile(path string) ([]screening.LabelledQuery, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("labelled queries: %w", err)
	}
	defer f.Close()
	qs, err := screening.ReadLabelled(f)
	if err != nil {
		return nil, fmt.Errorf("labelled queries %s: %w", path, err)
	}
	return qs, nil
}

// sharedDataPath finds a file of the shared data sets: under
// $MOLEHUNT_SHARED_DATA, or ../shared/data from the working directory or
// any parent. It returns "" when there is none.
func (m *Main) sharedDataPath(elem ...string) string {
	if base := m.Getenv("MOLEHUNT_SHARED_DATA"); base != "" {
		p := filepath.Join(append([]string{base}, elem...)...)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(append([]string{dir, "..", "shared", "data"}, elem...)...)
		if _, err := os.Stat(p); err == nil {
			return filepath.Clean(p)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
