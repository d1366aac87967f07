package main

import (
	"encoding/json"
	"testing"
)

func TestBenchIngestRuns(t *testing.T) {
	for _, format := range []string{"okta", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := run(t, "", "bench", "ingest", "--events", "500", "--batch", "100", "--db", "none", "--format", format, "--json")
			if code != exitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			var res ingestBenchResult
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if len(res.Rows) != 2 || res.Rows[0].Events != 500 || res.Rows[1].Events != 2000 {
				t.Fatalf("runs %+v; want 500 and 2000 events into SQLite", res.Rows)
			}
			for _, r := range res.Rows {
				if r.PerSecond <= 0 || r.PeakHeapMiB <= 0 || r.Unresolved != 0 {
					t.Errorf("run %+v; want a rate, a heap peak and every event resolved", r)
				}
			}
		})
	}
	if code, _, _ := run(t, "", "bench", "ingest", "--format", "xml"); code != exitUsage {
		t.Errorf("unknown --format: exit %d; want 2", code)
	}
}
