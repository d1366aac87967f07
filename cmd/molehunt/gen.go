package main

import (
	"context"
	"fmt"
	"time"

	"molehunt/gen"
)

// genSummary is what `molehunt gen --json` prints.
type genSummary struct {
	Dir     string    `json:"dir"`
	Seed    int64     `json:"seed"`
	Months  int       `json:"months"`
	Stats   gen.Stats `json:"stats"`
	Seconds float64   `json:"seconds"`
}

// gen writes a generated organisation in the native export formats, with
// its ground truth: molehunt gen --workers N --months M --seed S --out DIR [--json].
func (m *Main) gen(ctx context.Context, args []string) error {
	fs := m.flagSet("gen")
	workers := fs.Int("workers", 1000, "employees and contractors (applicants come on top)")
	months := fs.Int("months", 3, "months of activity")
	seed := fs.Int64("seed", 1, "seed: the same seed writes the same bytes")
	out := fs.String("out", "", "output directory (created if missing)")
	start := fs.String("start", "2026-01-01", "first day of the period, YYYY-MM-DD")
	networks := fs.Int("networks", 0, "planted covert networks (default: scales with --workers)")
	asJSON := fs.Bool("json", false, "print one JSON object with the counts")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) > 0:
		return usagef("gen: unexpected argument %q", rest[0])
	case *out == "":
		return usagef("gen: --out DIR is required")
	case *workers <= 0 || *workers > gen.MaxWorkers:
		return usagef("gen: --workers must be between 1 and %d", gen.MaxWorkers)
	case *months <= 0 || *months > 120:
		return usagef("gen: --months must be between 1 and 120")
	case *networks < 0:
		return usagef("gen: --networks must not be negative")
	}
	st, err := time.Parse(time.DateOnly, *start)
	if err != nil {
		return usagef("gen: --start: want YYYY-MM-DD")
	}
	var progress func(gen.Stats)
	if m.IsTerminal(m.Stderr) {
		progress = func(s gen.Stats) {
			fmt.Fprintf(m.Stderr, "\r%d events, %s written", s.Events, mib(s.Bytes))
		}
	}
	began := m.Now()
	stats, err := gen.Generate(ctx, gen.Config{Workers: *workers, Months: *months, Seed: *seed, Start: st, Networks: *networks}, *out, progress)
	if progress != nil {
		fmt.Fprintln(m.Stderr)
	}
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	secs := m.Now().Sub(began).Seconds()
	if *asJSON {
		return writeJSONTo(m.Stdout, genSummary{Dir: *out, Seed: *seed, Months: *months, Stats: stats, Seconds: secs})
	}
	fmt.Fprintf(m.Stdout, "wrote %s: %d workers, %d subjects, %d events in %d files (%s), %d planted covert workers and vendors; ground truth in %s/%s (%.1fs)\n",
		*out, stats.Workers, stats.Subjects, stats.Events, stats.Files, mib(stats.Bytes),
		stats.Planted, *out, gen.TruthFile, secs)
	return nil
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
