package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

// TestGenThenIngest generates a small organisation with the gen command
// and ingests the whole directory into SQLite: nothing may be rejected.
func TestGenThenIngest(t *testing.T) {
	dir, data := t.TempDir(), t.TempDir()
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Now: time.Now, IsTerminal: func(io.Writer) bool { return false }}
	if err := m.gen(context.Background(), []string{"--workers", "120", "--months", "1", "--seed", "3", "--out", dir, "--json"}); err != nil {
		t.Fatalf("gen: %v\n%s", err, errOut.String())
	}
	var gs genSummary
	if err := json.Unmarshal(out.Bytes(), &gs); err != nil || gs.Stats.Events == 0 {
		t.Fatalf("gen summary %q: %v", out.String(), err)
	}
	code, sout, serr := run(t, "", "ingest", "--data", data, "--json", "--keyboard-locale", dir)
	if code != exitOK {
		t.Fatalf("ingest exit %d\n%s\n%s", code, sout, serr)
	}
	var s ingestSummary
	if err := json.Unmarshal([]byte(sout), &s); err != nil {
		t.Fatal(err)
	}
	if s.Rejected != 0 {
		t.Errorf("%d rejects: %+v", s.Rejected, s.Rejects)
	}
	if s.Accepted != gs.Stats.Events {
		t.Errorf("ingested %d events; gen wrote %d", s.Accepted, gs.Stats.Events)
	}
	if strings.Contains(serr, "skipped") {
		t.Errorf("ingest skipped generated files: %s", serr)
	}
	t.Logf("gen %+v; ingest: %d subjects, %d events, %d unresolved", gs.Stats, s.Subjects, s.Accepted, s.Unresolved)
}

func TestGenUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"--out", t.TempDir(), "--workers", "0"}, {"--out", t.TempDir(), "--start", "soon"}} {
		m := &Main{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Now: time.Now, IsTerminal: func(io.Writer) bool { return false }}
		err := m.gen(context.Background(), args)
		if _, ok := err.(usageError); !ok {
			t.Errorf("gen %v: %v; want a usage error", args, err)
		}
	}
}
