package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"
)

// TestLinkRebuild generates a small organisation, ingests it and runs
// `link rebuild --json` over the store: the planted networks come back as
// clusters with signals. (Called directly: the subcommand is wired by run.go.)
func TestLinkRebuild(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and ingests an organisation")
	}
	dir, data := t.TempDir(), t.TempDir()
	m := &Main{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Now: time.Now, Getenv: func(string) string { return "" }, IsTerminal: func(io.Writer) bool { return false }}
	if err := m.gen(context.Background(), []string{"--workers", "150", "--months", "1", "--seed", "5", "--out", dir}); err != nil {
		t.Fatal(err)
	}
	if code, _, serr := run(t, "", "ingest", "--data", data, dir); code != exitOK {
		t.Fatalf("ingest exit %d: %s", code, serr)
	}
	var out bytes.Buffer
	m.Stdout = &out
	if err := m.link(context.Background(), []string{"rebuild", "--data", data, "--json"}); err != nil {
		t.Fatal(err)
	}
	var sum linkSummary
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Networks) == 0 {
		t.Errorf("no network reported: %+v", sum.Stats)
	}
	for _, c := range sum.Networks {
		t.Logf("%s %d subjects %s: %s", c.ID, len(c.Subjects), c.Signals[0].Code, c.Signals[0].Sentence)
	}
	if err := m.link(context.Background(), []string{"frob"}); err == nil {
		t.Error("link frob: no error")
	} else if _, ok := err.(usageError); !ok {
		t.Errorf("link frob: %v; want a usage error", err)
	}
}
