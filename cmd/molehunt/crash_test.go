package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"molehunt"
	"molehunt/postgres"
	"molehunt/sqlite"
)

// crashEvents is the size of the crash test's input (a quarter of it under
// the race detector, which slows the test's own reading of the stores, not
// the command's); MOLEHUNT_CRASH_EVENTS overrides it.
const crashEvents = 200000

// crashUsers is how many subjects the crash input's events belong to: every
// event resolves, so the stored events can be read back subject by subject
// through the store's own API, a page per subject.
const crashUsers = 200

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// molehuntBinary builds the command once per test process.
func molehuntBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "molehunt-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "molehunt")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// writeCrashInput writes the subjects and then n lean sign-in events in
// canonical JSON Lines (lean so that the test spends its time on commits,
// not on parsing), and returns the events' source ids in file order.
func writeCrashInput(t *testing.T, path string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	err := writeFile(path, func(w io.Writer) error {
		for u := range crashUsers {
			if _, err := fmt.Fprintf(w, `{"type":"subject","id":"crash-%d","role":"employee","names":[{"full":"Worker %d","kind":"primary"}],"identifiers":["email:w%d@example.com"]}`+"\n", u, u, u); err != nil {
				return err
			}
		}
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var b []byte
		for i := range n {
			ids[i] = "e" + strconv.Itoa(i)
			b = append(b[:0], `{"type":"event","kind":"authentication","source":"crash","source_event_id":"`...)
			b = append(b, ids[i]...)
			b = append(b, `","time":"`...)
			b = t0.Add(time.Duration(i)*time.Second).AppendFormat(b, time.RFC3339)
			b = fmt.Appendf(b, `","actor":["email:w%d@example.com"],"auth":{"outcome":"success"}}`+"\n", i%crashUsers)
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// postgresTestURL returns the server of the PostgreSQL tests, skipping (or,
// with MOLEHUNT_REQUIRE_POSTGRES=1, failing) when none answers.
func postgresTestURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("MOLEHUNT_POSTGRES_URL")
	if u == "" {
		u = defaultPostgresURL
	}
	if err := pingPostgres(t.Context(), u); err != nil {
		if os.Getenv("MOLEHUNT_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL at %s does not answer and MOLEHUNT_REQUIRE_POSTGRES=1: %v", redactURL(u), err)
		}
		t.Skipf("no PostgreSQL at %s (set MOLEHUNT_POSTGRES_URL; MOLEHUNT_REQUIRE_POSTGRES=1 makes this a failure): %v", redactURL(u), err)
	}
	return u
}

// TestIngestSurvivesSIGKILL kills `molehunt ingest` with SIGKILL in the
// middle of a large file, restarts it, and proves on each store that no
// acknowledged record was lost and none was duplicated. "Acknowledged"
// means counted by a --progress-json line, which the command prints only
// after the batch's commit returned.
func TestIngestSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test builds the binary and ingests a large file")
	}
	n := crashEvents
	if raceEnabled {
		n /= 4
	}
	if s := os.Getenv("MOLEHUNT_CRASH_EVENTS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 10000 {
			t.Fatalf("MOLEHUNT_CRASH_EVENTS=%q: want a number ≥ 10000", s)
		}
	}
	bin := molehuntBinary(t)
	input := filepath.Join(t.TempDir(), "events.jsonl")
	ids := writeCrashInput(t, input, n)

	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			var open func() molehunt.Store
			args := []string{"ingest", "--data", data, "--source", "jsonl", "--json", "--progress-json", "--batch", "1000"}
			switch name {
			case "sqlite":
				open = func() molehunt.Store {
					s, err := sqlite.Open(t.Context(), data, sqlite.Options{})
					if err != nil {
						t.Fatal(err)
					}
					return s
				}
			case "postgres":
				u, drop, err := tempSchema(t.Context(), postgresTestURL(t), "molehunt_crash_")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(drop)
				args = append(args, "--db", u)
				open = func() molehunt.Store {
					s, err := postgres.Open(t.Context(), u, postgres.Options{})
					if err != nil {
						t.Fatal(err)
					}
					return s
				}
			}
			args = append(args, input)
			crashAndRecover(t, bin, args, ids, open)
		})
	}
}

func crashAndRecover(t *testing.T, bin string, args []string, ids []string, open func() molehunt.Store) {
	start := time.Now()
	// Kill once at least a tenth of the file is acknowledged: several
	// batches are committed, most of the file is not.
	killAt := len(ids) / 10
	acked, killed := runUntilKilled(t, bin, args, killAt)
	if !killed {
		t.Fatalf("the first run finished before it could be killed (acknowledged %d of %d)", acked, len(ids))
	}
	if acked < killAt || acked >= len(ids) {
		t.Fatalf("killed with %d of %d events acknowledged; want a kill mid-file after %d", acked, len(ids), killAt)
	}

	// After the kill, before the restart: every acknowledged event is
	// stored (the first acked events of the file, since batches commit in
	// order), and nothing is stored twice.
	store := open()
	before := storedEvents(t, store)
	store.Close()
	for _, id := range ids[:acked] {
		if before[id] != 1 {
			t.Fatalf("acknowledged event %s stored %d times after the kill; want 1", id, before[id])
		}
	}
	t.Logf("killed after %d acknowledged events; %d stored (%.1fs)", acked, len(before), time.Since(start).Seconds())

	// The restart reads the whole file: what was stored comes back as
	// duplicates, the rest is accepted.
	code, stdout, stderr := runIngest(t, bin, args)
	if code != 0 {
		t.Fatalf("restart exited %d\n%s", code, stderr)
	}
	var sum ingestSummary
	if err := json.Unmarshal(stdout, &sum); err != nil {
		t.Fatalf("restart summary: %v\n%s", err, stdout)
	}
	if sum.Duplicates != len(before) || sum.Accepted != len(ids)-len(before) || sum.Rejected != 0 {
		t.Errorf("restart: %d accepted, %d duplicates, %d rejected; want %d accepted, %d duplicates (the events stored before the kill), 0 rejected",
			sum.Accepted, sum.Duplicates, sum.Rejected, len(ids)-len(before), len(before))
	}

	store = open()
	defer store.Close()
	after := storedEvents(t, store)
	if len(after) != len(ids) {
		t.Errorf("%d distinct events stored; want %d, one per source id in the file", len(after), len(ids))
	}
	for _, id := range ids {
		if after[id] != 1 {
			t.Fatalf("event %s stored %d times; want 1", id, after[id])
		}
	}
	t.Logf("recovered: %d events, each once (%.1fs in all)", len(after), time.Since(start).Seconds())
}

// runUntilKilled starts the command and kills it with SIGKILL once a
// progress line acknowledges at least killAt events. It returns the most
// events any progress line acknowledged (lines written just before the
// kill count too) and whether the kill happened before the command ended.
func runUntilKilled(t *testing.T, bin string, args []string, killAt int) (acked int, killed bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = crashEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var other []string
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		var p progressLine
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			other = append(other, sc.Text())
			continue
		}
		if p.CommittedEvents < acked {
			t.Errorf("progress went back from %d to %d", acked, p.CommittedEvents)
		}
		acked = max(acked, p.CommittedEvents)
		if !killed && acked >= killAt {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatalf("SIGKILL: %v", err)
			}
			killed = true
		}
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if killed {
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			// The command may have finished between the line and the signal.
			if err == nil {
				return acked, false
			}
			t.Fatalf("first run: %v; want death by SIGKILL", err)
		}
		if stdout.Len() > 0 {
			t.Errorf("a killed run printed a summary: %s", stdout.String())
		}
		return acked, true
	}
	if err != nil {
		t.Fatalf("first run failed before the kill: %v\n%s", err, strings.Join(other, "\n"))
	}
	return acked, false
}

// runIngest runs the command to its end.
func runIngest(t *testing.T, bin string, args []string) (int, []byte, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = crashEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), stdout.Bytes(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stdout.Bytes(), stderr.String()
}

// crashEnv is the child's environment: the test's, without settings that
// would point the command at another store or key.
func crashEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "MOLEHUNT_DB=") || strings.HasPrefix(kv, "MOLEHUNT_DATA=") || strings.HasPrefix(kv, "MOLEHUNT_HMAC_KEY=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// storedEvents reads every stored event back through the store's API, a
// subject at a time, and counts each source id: a count above 1 would be a
// duplicate.
func storedEvents(t *testing.T, store molehunt.Store) map[string]int {
	t.Helper()
	ctx := t.Context()
	seen := map[string]int{}
	for u := range crashUsers {
		q := molehunt.EventQuery{SubjectID: "crash-" + strconv.Itoa(u), Limit: molehunt.MaxPageLimit}
		for {
			page, err := store.Events(ctx, q)
			if err != nil {
				t.Fatalf("events of %s: %v", q.SubjectID, err)
			}
			for _, e := range page.Events {
				if e.Source != "crash" {
					t.Fatalf("foreign event %s stored", e.ID)
				}
				seen[e.SourceEventID]++
			}
			if page.Next == "" {
				break
			}
			q.After = page.Next
		}
	}
	page, err := store.UnresolvedEvents(ctx, molehunt.EventQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) > 0 {
		t.Fatalf("unresolved event %s stored; every event of the input has a subject", page.Events[0].ID)
	}
	return seen
}
