package lists_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"molehunt"
	"molehunt/lists"
	"molehunt/lists/snapshot"
)

// setScreener stands in for the screening index: the registry's contract is
// about which list set is served, which this records. The real index is
// exercised end to end in cmd/molehunt's tests.
type setScreener struct{ set molehunt.ListSet }

func (s *setScreener) Screen(ctx context.Context, q molehunt.ScreenQuery) (molehunt.ScreenResult, error) {
	return molehunt.ScreenResult{Lists: s.set.Lists}, nil
}
func (s *setScreener) Lists() []molehunt.ListInfo { return s.set.Lists }

var builds atomic.Int64

func build(set molehunt.ListSet) (molehunt.Screener, error) {
	builds.Add(1)
	return &setScreener{set: set}, nil
}

func snapshotFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := snapshot.Files()
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	return files
}

func newRegistry(t *testing.T, cfg lists.Config) *lists.Registry {
	t.Helper()
	if cfg.Build == nil {
		cfg.Build = build
	}
	r, err := lists.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func info(r *lists.Registry, name molehunt.ListName) (molehunt.ListInfo, bool) {
	for _, l := range r.Lists() {
		if l.Name == name {
			return l, true
		}
	}
	return molehunt.ListInfo{}, false
}

func TestLoadSnapshot(t *testing.T) {
	r := newRegistry(t, lists.Config{})
	if r.Ready() {
		t.Fatal("Ready before Load; want not ready")
	}
	if _, err := r.Screen(context.Background(), molehunt.ScreenQuery{Names: []string{"x"}}); molehunt.ErrorCodeOf(err) != molehunt.EUnavailable {
		t.Fatalf("Screen before Load: got %v; want code unavailable", err)
	}
	rep, err := r.Load(context.Background(), snapshotFiles(t))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if !r.Ready() || !rep.Swapped {
		t.Fatalf("after Load: ready=%v swapped=%v; want both", r.Ready(), rep.Swapped)
	}
	for _, tc := range []struct {
		list       molehunt.ListName
		minEntries int
	}{
		{molehunt.ListOFACSDN, 14000},
		{molehunt.ListOFACCons, 400},
		{molehunt.ListUNSC, 1000},
		{molehunt.ListUSCSL, 1000},
	} {
		l, ok := info(r, tc.list)
		if !ok {
			t.Errorf("%s not loaded", tc.list)
			continue
		}
		if l.Entries < tc.minEntries || l.Source != "snapshot" || len(l.Hash) != 64 || l.Version == "" {
			t.Errorf("%s: got %+v; want ≥%d entries from the snapshot with a hash and version", tc.list, l, tc.minEntries)
		}
	}
	if _, ok := info(r, molehunt.ListEUFSF); ok {
		t.Errorf("eu_fsf loaded from a snapshot that has no EU file")
	}
	entries := r.Current().Entries[molehunt.ListOFACSDN]
	if e := entries[0]; e.ListVersion == "" || e.ContentHash == "" || e.List != molehunt.ListOFACSDN {
		t.Errorf("entry not stamped with list version and hash: %+v", e)
	}
}

// unXML returns the UN list from the snapshot with only the first keep
// INDIVIDUAL elements (and all entities).
func unXML(t *testing.T, keep int) []byte {
	t.Helper()
	full := string(snapshotFiles(t)["consolidated.xml"])
	start := strings.Index(full, "<INDIVIDUAL>")
	end := strings.LastIndex(full, "</INDIVIDUAL>") + len("</INDIVIDUAL>")
	if start < 0 || end < start {
		t.Fatal("snapshot UN list has no INDIVIDUAL elements")
	}
	body := full[start:end]
	parts := strings.SplitAfter(body, "</INDIVIDUAL>")
	if keep > len(parts) {
		keep = len(parts)
	}
	return []byte(full[:start] + strings.Join(parts[:keep], "") + full[end:])
}

// mirror serves list files by name, with per-file behaviour.
type mirror struct {
	files    map[string][]byte
	slow     map[string]time.Duration
	truncate map[string]bool
	status   map[string]int
}

func (m *mirror) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	if code, ok := m.status[name]; ok {
		http.Error(w, "failure", code)
		return
	}
	b, ok := m.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if d := m.slow[name]; d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}
	if m.truncate[name] {
		// Promise the whole file, send half, then drop the connection.
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b[:len(b)/2])
		panic(http.ErrAbortHandler)
	}
	w.Write(b)
}

func TestUpdateFromMirror(t *testing.T) {
	fewer := unXML(t, 700) // about 3% fewer entries: a plausible delisting
	tests := []struct {
		name       string
		mirror     mirror
		maxShrink  float64
		wantStatus lists.ListStatus
		wantErr    bool
	}{
		{name: "changed list is taken", mirror: mirror{files: map[string][]byte{"consolidated.xml": fewer}}, wantStatus: lists.StatusUpdated},
		{name: "same list is unchanged", mirror: mirror{files: map[string][]byte{"consolidated.xml": unXML(t, 100000)}}, wantStatus: lists.StatusUnchanged},
		{name: "truncated transfer", mirror: mirror{files: map[string][]byte{"consolidated.xml": fewer}, truncate: map[string]bool{"consolidated.xml": true}}, wantStatus: lists.StatusRefused, wantErr: true},
		{name: "truncated file", mirror: mirror{files: map[string][]byte{"consolidated.xml": fewer[:len(fewer)/2]}}, wantStatus: lists.StatusRefused, wantErr: true},
		{name: "corrupt file", mirror: mirror{files: map[string][]byte{"consolidated.xml": []byte("\x00\x01PK garbage <<<")}}, wantStatus: lists.StatusRefused, wantErr: true},
		{name: "server error", mirror: mirror{status: map[string]int{"consolidated.xml": 502}}, wantStatus: lists.StatusRefused, wantErr: true},
		{name: "slow server", mirror: mirror{files: map[string][]byte{"consolidated.xml": fewer}, slow: map[string]time.Duration{"consolidated.xml": 3 * time.Second}}, wantStatus: lists.StatusRefused, wantErr: true},
		{name: "shrunken list", mirror: mirror{files: map[string][]byte{"consolidated.xml": unXML(t, 50)}}, wantStatus: lists.StatusRefused, wantErr: true},
		{name: "shrink allowed when configured", mirror: mirror{files: map[string][]byte{"consolidated.xml": unXML(t, 50)}}, maxShrink: -1, wantStatus: lists.StatusUpdated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(&tc.mirror)
			defer srv.Close()
			r := newRegistry(t, lists.Config{DataDir: t.TempDir(), FetchTimeout: 500 * time.Millisecond, MaxShrink: tc.maxShrink})
			if _, err := r.Load(context.Background(), snapshotFiles(t)); err != nil {
				t.Fatalf("Load: %v", err)
			}
			before, _ := info(r, molehunt.ListUNSC)
			sdnBefore, _ := info(r, molehunt.ListOFACSDN)
			rep, err := r.Update(context.Background(), srv.URL)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Update error = %v; want error %v", err, tc.wantErr)
			}
			var got lists.ListOutcome
			for _, o := range rep.Lists {
				if o.Name == molehunt.ListUNSC {
					got = o
				}
			}
			if got.Status != tc.wantStatus {
				t.Fatalf("un_sc status = %q (%s); want %q", got.Status, got.Reason, tc.wantStatus)
			}
			after, _ := info(r, molehunt.ListUNSC)
			switch tc.wantStatus {
			case lists.StatusUpdated:
				if after.Hash == before.Hash || after.Source != srv.URL {
					t.Errorf("served un_sc %+v; want the mirror's new version", after)
				}
			default:
				if after != before {
					t.Errorf("served un_sc changed to %+v; want the last good %+v", after, before)
				}
				if tc.wantStatus == lists.StatusRefused && got.Reason == "" {
					t.Errorf("refusal without a reason")
				}
			}
			if sdnAfter, _ := info(r, molehunt.ListOFACSDN); sdnAfter != sdnBefore {
				t.Errorf("sdn changed by an update that did not carry it")
			}
		})
	}
}

func TestUpdateFromDirKeepsVersionAcrossRestart(t *testing.T) {
	data := t.TempDir()
	src := t.TempDir()
	if err := os.MkdirAll(filepath.Join(src, "un"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "un", "consolidated.xml"), unXML(t, 720), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newRegistry(t, lists.Config{DataDir: data})
	if _, err := r.Load(context.Background(), snapshotFiles(t)); err != nil {
		t.Fatal(err)
	}
	rep, err := r.Update(context.Background(), src)
	if err != nil {
		t.Fatalf("Update from dir: %v", err)
	}
	updated, _ := info(r, molehunt.ListUNSC)
	if !rep.Swapped || updated.Source != src {
		t.Fatalf("report %+v; served %+v; want the directory's UN list", rep, updated)
	}
	for _, o := range rep.Lists {
		if o.Name == molehunt.ListOFACSDN && o.Status != lists.StatusMissing {
			t.Errorf("sdn status %q; want missing (not in the directory)", o.Status)
		}
	}

	// A second process over the same data directory serves the stored version.
	r2 := newRegistry(t, lists.Config{DataDir: data})
	if _, err := r2.Load(context.Background(), snapshotFiles(t)); err != nil {
		t.Fatal(err)
	}
	if got, _ := info(r2, molehunt.ListUNSC); got.Hash != updated.Hash {
		t.Fatalf("after restart un_sc hash %s; want stored %s", got.Hash[:12], updated.Hash[:12])
	}

	// A damaged stored copy is never served: the snapshot takes its place.
	matches, _ := filepath.Glob(filepath.Join(data, "lists", "un_sc", "*", "consolidated.xml"))
	if len(matches) != 1 {
		t.Fatalf("stored files %v; want one consolidated.xml", matches)
	}
	if err := os.WriteFile(matches[0], []byte("<broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	r3 := newRegistry(t, lists.Config{DataDir: data})
	if _, err := r3.Load(context.Background(), snapshotFiles(t)); err != nil {
		t.Fatal(err)
	}
	if got, _ := info(r3, molehunt.ListUNSC); got.Source != "snapshot" {
		t.Fatalf("with a damaged stored copy un_sc came from %q; want snapshot", got.Source)
	}
}

func TestReloadStoredPicksUpAnotherProcessUpdate(t *testing.T) {
	data, src := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "consolidated.xml"), unXML(t, 710), 0o644); err != nil {
		t.Fatal(err)
	}
	server := newRegistry(t, lists.Config{DataDir: data})
	if _, err := server.Load(context.Background(), snapshotFiles(t)); err != nil {
		t.Fatal(err)
	}
	cli := newRegistry(t, lists.Config{DataDir: data})
	if _, err := cli.Load(context.Background(), snapshotFiles(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Update(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	rep, err := server.ReloadStored(context.Background())
	if err != nil || !rep.Swapped {
		t.Fatalf("ReloadStored: %+v, %v; want a swap", rep, err)
	}
	want, _ := info(cli, molehunt.ListUNSC)
	if got, _ := info(server, molehunt.ListUNSC); got.Hash != want.Hash {
		t.Fatalf("server serves %s; want %s", got.Hash[:12], want.Hash[:12])
	}
}

func TestBuildFailureKeepsServing(t *testing.T) {
	fail := atomic.Bool{}
	r := newRegistry(t, lists.Config{Build: func(set molehunt.ListSet) (molehunt.Screener, error) {
		if fail.Load() {
			return nil, errors.New("index build failed")
		}
		return build(set)
	}})
	if _, err := r.Load(context.Background(), snapshotFiles(t)); err != nil {
		t.Fatal(err)
	}
	before := r.Current()
	fail.Store(true)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "consolidated.xml"), unXML(t, 700), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Update(context.Background(), dir); err == nil {
		t.Fatal("Update with a failing build: got nil error")
	}
	if r.Current() != before {
		t.Fatal("a failed build replaced the served generation")
	}
}

// TestSwapIsAtomic screens continuously while updates swap generations: every
// answer must come from one whole generation (all lists present).
func TestSwapIsAtomic(t *testing.T) {
	r := newRegistry(t, lists.Config{})
	if _, err := r.Load(context.Background(), snapshotFiles(t)); err != nil {
		t.Fatal(err)
	}
	want := len(r.Lists())
	dirs := []string{t.TempDir(), t.TempDir()}
	for i, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, "consolidated.xml"), unXML(t, 700+i), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var bad atomic.Int64
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				res, err := r.Screen(ctx, molehunt.ScreenQuery{Names: []string{"x"}})
				if err != nil || len(res.Lists) != want {
					bad.Add(1)
				}
			}
		}()
	}
	for i := 0; i < 4; i++ {
		if _, err := r.Update(context.Background(), dirs[i%2]); err != nil {
			t.Errorf("update %d: %v", i, err)
		}
	}
	cancel()
	wg.Wait()
	if bad.Load() > 0 {
		t.Fatalf("%d screenings saw an incomplete generation", bad.Load())
	}
}

func TestUpdateFromConfiguredOfficialURL(t *testing.T) {
	srv := httptest.NewServer(&mirror{files: map[string][]byte{"un.xml": unXML(t, 700)}})
	defer srv.Close()
	var sources []lists.Source
	for _, s := range lists.DefaultSources() {
		if s.Name == molehunt.ListUNSC {
			sources = append(sources, s)
		}
	}
	r := newRegistry(t, lists.Config{Sources: sources, URLs: map[molehunt.ListName]map[string]string{
		molehunt.ListUNSC: {"consolidated.xml": srv.URL + "/un.xml"},
	}})
	if _, err := r.Load(context.Background(), snapshotFiles(t)); err != nil {
		t.Fatal(err)
	}
	rep, err := r.Update(context.Background(), "")
	if err != nil || !rep.Swapped {
		t.Fatalf("Update from the configured address: %+v, %v", rep, err)
	}
	if got, _ := info(r, molehunt.ListUNSC); got.Source != "official" {
		t.Fatalf("un_sc source %q; want official", got.Source)
	}
}
