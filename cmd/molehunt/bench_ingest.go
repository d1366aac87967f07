package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math/bits"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"molehunt"
	"molehunt/ident"
	"molehunt/ingest"
	"molehunt/ingest/canonical"
	"molehunt/ingest/okta"
	"molehunt/postgres"
	"molehunt/sqlite"
)

// defaultPostgresURL is where `bench ingest` looks for PostgreSQL when
// neither --db nor $MOLEHUNT_DB nor $MOLEHUNT_POSTGRES_URL names one: the
// local server the tests use.
const defaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// ingestBenchRow is one measured ingestion: one store, one input size.
type ingestBenchRow struct {
	Store     string  `json:"store"`
	Events    int     `json:"events"`
	FileMiB   float64 `json:"file_mib"`
	Batch     int     `json:"batch"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"events_per_second"`
	// PerCPUSecond is events per second of this process's CPU time (all
	// cores): unlike PerSecond, other load on the machine barely moves it.
	PerCPUSecond float64 `json:"events_per_cpu_second,omitempty"`
	CPUSeconds   float64 `json:"cpu_seconds,omitempty"`
	PeakHeapMiB  float64 `json:"peak_heap_mib"`  // highest HeapAlloc sampled during the run
	PeakInuseMiB float64 `json:"peak_inuse_mib"` // highest HeapInuse sampled during the run
	HeapSysMiB   float64 `json:"heap_sys_mib"`   // heap address space obtained from the OS, at the end
	PeakRSSMiB   float64 `json:"peak_rss_mib,omitempty"`
	Accepted     int     `json:"accepted"`
	Unresolved   int     `json:"unresolved"`
}

// ingestBenchResult is what `bench ingest --json` prints.
type ingestBenchResult struct {
	Cores   int              `json:"cores"`
	Format  string           `json:"format"`
	Rows    []ingestBenchRow `json:"runs"`
	Skipped []string         `json:"skipped,omitempty"`
}

// benchIngest measures ingestion end to end: an Okta System Log NDJSON
// export is generated into a temporary file and read through the real
// parser, resolution and store, in batches, as `molehunt ingest` does. It
// runs N and 4N events into SQLite (a temporary data directory) and, when
// one answers, PostgreSQL (a temporary schema, dropped afterwards), so the
// peaks of the two sizes show whether memory follows the batch or the file.
func (m *Main) benchIngest(ctx context.Context, args []string) error {
	fs := m.flagSet("bench ingest")
	events := fs.Int("events", 100000, "events of the smaller run (the larger has 4×)")
	db := fs.String("db", "", "PostgreSQL URL to measure too (default $MOLEHUNT_DB, $MOLEHUNT_POSTGRES_URL, else the local server); \"none\" skips PostgreSQL")
	batch := fs.Int("batch", 1000, "records per committed batch")
	users := fs.Int("users", 0, "distinct workers the events belong to (default events/200, at least 50)")
	synchronous := fs.String("sqlite-sync", "FULL", "SQLite synchronous setting: FULL (the default of the store) or NORMAL")
	asJSON := fs.Bool("json", false, "print JSON")
	format := fs.String("format", "okta", "input format generated: okta (Okta System Log NDJSON, about 1.5 KB an event) or jsonl (molehunt's canonical JSON Lines, about 0.6 KB)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the timed runs to this file")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("bench ingest: unexpected argument %q", rest[0])
	}
	if *events <= 0 || *batch <= 0 {
		return usagef("bench ingest: --events and --batch must be positive")
	}
	if *users <= 0 {
		*users = max(50, *events/200)
	}
	var writeEvents func(w io.Writer, n, users int, seed uint64) error
	var parser ingest.Parser
	switch *format {
	case "okta":
		writeEvents, parser = writeOktaNDJSON, okta.New()
	case "jsonl":
		writeEvents, parser = writeEventsJSONL, canonical.New()
	default:
		return usagef("bench ingest: --format %q: want okta or jsonl", *format)
	}
	tmp, err := os.MkdirTemp("", "molehunt-bench-ingest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	key, err := ident.NewKey(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		return err
	}
	digester := ident.NewDigester(key)
	opts := ingest.Options{Canon: &ident.Canonicalizer{Digester: digester, DefaultRegion: "US"}, Digest: digester, DefaultRegion: "US"}

	subjectsPath := filepath.Join(tmp, "subjects.jsonl")
	if err := writeFile(subjectsPath, func(w io.Writer) error { return writeSubjectsJSONL(w, *users) }); err != nil {
		return err
	}
	sizes := []int{*events, 4 * *events}
	inputs := make([]string, len(sizes))
	for i, n := range sizes {
		inputs[i] = filepath.Join(tmp, fmt.Sprintf("%s-%d.events", *format, n))
		if err := writeFile(inputs[i], func(w io.Writer) error { return writeEvents(w, n, *users, uint64(i+1)) }); err != nil {
			return err
		}
	}

	type target struct {
		name string
		open func(ctx context.Context, i int) (molehunt.Store, func(), error)
	}
	targets := []target{{name: "sqlite", open: func(ctx context.Context, i int) (molehunt.Store, func(), error) {
		dir := filepath.Join(tmp, fmt.Sprintf("data-%d", i))
		s, err := sqlite.Open(ctx, dir, sqlite.Options{Synchronous: *synchronous})
		if err != nil {
			return nil, nil, err
		}
		return s, func() { s.Close(); os.RemoveAll(dir) }, nil
	}}}
	result := ingestBenchResult{Cores: runtime.NumCPU(), Format: *format}
	pgURL := *db
	if pgURL == "" {
		pgURL = m.Getenv("MOLEHUNT_DB")
	}
	if pgURL == "" {
		pgURL = m.Getenv("MOLEHUNT_POSTGRES_URL")
	}
	if pgURL == "" {
		pgURL = defaultPostgresURL
	}
	switch {
	case pgURL == "none":
	case !isPostgresURL(pgURL):
		return usagef("bench ingest: --db %q: want a postgres:// URL or none", redactURL(pgURL))
	default:
		if err := pingPostgres(ctx, pgURL); err != nil {
			result.Skipped = append(result.Skipped, fmt.Sprintf("postgres: no server at %s: %v", redactURL(pgURL), err))
			break
		}
		targets = append(targets, target{name: "postgres", open: func(ctx context.Context, i int) (molehunt.Store, func(), error) {
			u, drop, err := tempSchema(ctx, pgURL, "molehunt_bench_")
			if err != nil {
				return nil, nil, err
			}
			s, err := postgres.Open(ctx, u, postgres.Options{})
			if err != nil {
				drop()
				return nil, nil, err
			}
			return s, func() { s.Close(); drop() }, nil
		}})
	}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for _, tg := range targets {
		for i, n := range sizes {
			if !*asJSON {
				fmt.Fprintf(m.Stderr, "bench ingest: %d events into %s ...\n", n, tg.name)
			}
			store, closeStore, err := tg.open(ctx, i)
			if err != nil {
				return fmt.Errorf("bench ingest: open %s: %w", tg.name, err)
			}
			row, err := benchIngestOne(ctx, store, parser, subjectsPath, inputs[i], *batch, opts)
			closeStore()
			if err != nil {
				return fmt.Errorf("bench ingest: %s: %w", tg.name, err)
			}
			row.Store, row.Batch = tg.name, *batch
			if row.Accepted != n {
				return fmt.Errorf("bench ingest: %s stored %d of %d events", tg.name, row.Accepted, n)
			}
			result.Rows = append(result.Rows, row)
		}
	}
	if *asJSON {
		return writeJSONTo(m.Stdout, result)
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "STORE\tEVENTS\tFILE MiB\tBATCH\tSECONDS\tEVENTS/S\tCPU SECONDS\tEVENTS/CPU-S\tPEAK HEAP MiB\tPEAK INUSE MiB\tHEAP SYS MiB\tPEAK RSS MiB\t")
	for _, r := range result.Rows {
		rss := "n/a"
		if r.PeakRSSMiB > 0 {
			rss = fmt.Sprintf("%.0f", r.PeakRSSMiB)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%d\t%.2f\t%.0f\t%.2f\t%.0f\t%.1f\t%.1f\t%.1f\t%s\t\n",
			r.Store, r.Events, r.FileMiB, r.Batch, r.Seconds, r.PerSecond, r.CPUSeconds, r.PerCPUSecond, r.PeakHeapMiB, r.PeakInuseMiB, r.HeapSysMiB, rss)
	}
	tw.Flush()
	for _, s := range result.Skipped {
		fmt.Fprintf(m.Stdout, "skipped %s\n", s)
	}
	fmt.Fprintf(m.Stdout, "%d cores, load average %s; %s events through their parser, resolution and the store. Memory bounded by the batch shows as equal heap peaks for N and 4N; RSS also holds SQLite's page cache (64 MiB a connection at most).\n", result.Cores, loadAverage(), result.Format)
	return nil
}

// benchIngestOne loads the subjects (untimed), then times the ingestion of
// the events file while sampling the heap.
func benchIngestOne(ctx context.Context, store molehunt.Store, parser ingest.Parser, subjectsPath, eventsPath string, batch int, opts ingest.Options) (ingestBenchRow, error) {
	runner := &ingest.Runner{Store: store, BatchSize: batch}
	f, err := os.Open(subjectsPath)
	if err != nil {
		return ingestBenchRow{}, err
	}
	opts.File = subjectsPath
	_, err = runner.Ingest(ctx, canonical.New(), bufio.NewReaderSize(f, 64<<10), opts, "bench-subjects")
	f.Close()
	if err != nil {
		return ingestBenchRow{}, err
	}

	f, err = os.Open(eventsPath)
	if err != nil {
		return ingestBenchRow{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return ingestBenchRow{}, err
	}
	runtime.GC()
	resetPeakRSS()
	sampler := startHeapSampler(20 * time.Millisecond)
	opts.File = eventsPath
	start, cpu0 := time.Now(), processCPU()
	sum, err := runner.Ingest(ctx, parser, bufio.NewReaderSize(f, 64<<10), opts, "bench-events")
	elapsed, cpu := time.Since(start), processCPU()-cpu0
	peakAlloc, peakInuse, heapSys := sampler.stop()
	if err != nil {
		return ingestBenchRow{}, err
	}
	const mib = 1 << 20
	var perCPU float64
	if cpu > 0 {
		perCPU = float64(sum.Accepted+sum.Duplicates) / cpu.Seconds()
	}
	return ingestBenchRow{
		PerCPUSecond: perCPU, CPUSeconds: cpu.Seconds(),
		Events: sum.Accepted + sum.Duplicates, FileMiB: float64(fi.Size()) / mib,
		Seconds: elapsed.Seconds(), PerSecond: float64(sum.Accepted+sum.Duplicates) / elapsed.Seconds(),
		PeakHeapMiB: float64(peakAlloc) / mib, PeakInuseMiB: float64(peakInuse) / mib, HeapSysMiB: float64(heapSys) / mib,
		PeakRSSMiB: float64(peakRSS()) / mib, Accepted: sum.Accepted, Unresolved: sum.Unresolved,
	}, nil
}

// heapSampler records the highest heap figures seen while it runs.
type heapSampler struct {
	done              chan struct{}
	wg                sync.WaitGroup
	mu                sync.Mutex
	alloc, inuse, sys uint64
}

func startHeapSampler(every time.Duration) *heapSampler {
	h := &heapSampler{done: make(chan struct{})}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			h.sample()
			select {
			case <-h.done:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.mu.Lock()
	h.alloc = max(h.alloc, ms.HeapAlloc)
	h.inuse = max(h.inuse, ms.HeapInuse)
	h.sys = ms.HeapSys
	h.mu.Unlock()
}

// stop ends the sampling and returns the peaks and the final HeapSys.
func (h *heapSampler) stop() (peakAlloc, peakInuse, heapSys uint64) {
	close(h.done)
	h.wg.Wait()
	h.sample()
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.alloc, h.inuse, h.sys
}

// resetPeakRSS resets the kernel's high-water mark of this process's
// resident set (Linux ≥ 4.0), so VmHWM measures one run; elsewhere it does
// nothing.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS returns VmHWM from /proc/self/status in bytes, 0 when unknown.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// pingPostgres checks that a server answers at u within a few seconds.
func pingPostgres(ctx context.Context, u string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}

// tempSchema creates an empty schema named prefix+random in the database at
// base and returns a URL whose search_path selects it, and a func that
// drops it.
func tempSchema(ctx context.Context, base, prefix string) (string, func(), error) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := prefix + hex.EncodeToString(b[:])
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, err
	}
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, base); err == nil {
			_, _ = conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			conn.Close(ctx)
		}
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// writeFile creates path and fills it through a buffered writer.
func writeFile(path string, fill func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 256<<10)
	if err := fill(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Names, places and clients of the generated workforce: a few of each are
// plenty for realistic value spreads; the volume is in the events.
var (
	benchFirst = []string{"Alex", "Jordan", "Sam", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Dana", "Robin", "Jin", "Min", "Wei", "Priya", "Arjun", "Olga", "Ivan", "Lucia", "Mateo", "Noah", "Emma", "Liam"}
	benchLast  = []string{"Kim", "Park", "Lee", "Chen", "Wang", "Singh", "Patel", "Garcia", "Smith", "Johnson", "Brown", "Novak", "Müller", "Rossi", "Silva", "Nguyen", "Tanaka", "Cohen", "Okafor", "Andersen"}
	benchGeo   = []struct {
		city, state, country, postal, asOrg, domain string
		asn                                         int
		lat, lon                                    float64
	}{
		{"Chicago", "Illinois", "United States", "60601", "comcast", "comcast.net", 7922, 41.8781, -87.6298},
		{"Austin", "Texas", "United States", "73301", "charter communications", "spectrum.com", 11427, 30.2672, -97.7431},
		{"Seattle", "Washington", "United States", "98101", "centurylink", "centurylink.net", 209, 47.6062, -122.3321},
		{"New York", "New York", "United States", "10001", "verizon", "verizon.net", 701, 40.7128, -74.006},
		{"Toronto", "Ontario", "Canada", "M5H", "rogers", "rogers.com", 812, 43.6532, -79.3832},
		{"London", "England", "United Kingdom", "EC1A", "british telecommunications", "bt.com", 2856, 51.5072, -0.1276},
		{"Seoul", "Seoul", "South Korea", "04524", "korea telecom", "kt.com", 4766, 37.5665, 126.978},
		{"Shenyang", "Liaoning", "China", "110000", "china unicom", "chinaunicom.cn", 4837, 41.8057, 123.4315},
	}
	benchUA = []string{
		`Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36`,
		`Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15`,
		`Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0`,
	}
	benchApps = []string{"Okta Dashboard", "Slack", "GitHub Enterprise", "Google Workspace", "Jira", "AWS IAM Identity Center"}
)

// benchRand is a small deterministic generator (SplitMix64), so that the
// same seed writes the same file.
type benchRand struct{ s uint64 }

func (r *benchRand) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (r *benchRand) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

func benchEmail(i int) string {
	return strings.ToLower(benchFirst[i%len(benchFirst)]+"."+benchLast[(i/len(benchFirst))%len(benchLast)]) + strconv.Itoa(i) + "@example.com"
}

func benchName(i int) string {
	return benchFirst[i%len(benchFirst)] + " " + benchLast[(i/len(benchFirst))%len(benchLast)]
}

// writeSubjectsJSONL writes the workers as subjects in molehunt's canonical
// JSON Lines, each holding the e-mail its Okta events carry.
func writeSubjectsJSONL(w io.Writer, users int) error {
	var b []byte
	for i := range users {
		b = b[:0]
		b = append(b, `{"type":"subject","id":"emp-`...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, `","role":"employee","status":"active","names":[{"full":"`...)
		b = append(b, benchName(i)...)
		b = append(b, `","kind":"primary"}],"identifiers":["email:`...)
		b = append(b, benchEmail(i)...)
		b = append(b, "\"]}\n"...)
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// oktaUUID returns the uuid of the i-th generated event: unique by
// construction (the index is in the last group), random-looking elsewhere.
func oktaUUID(b []byte, r *benchRand, i int) []byte {
	x := r.next()
	b = fmt.Appendf(b, "%08x-%04x-11f0-%04x-%012x", uint32(x>>32), uint16(x>>16), uint16(x)|0x8000, uint64(i))
	return b
}

// writeOktaNDJSON writes n Okta System Log events (sign-ins, MFA, a few
// failures) of the given number of workers as NDJSON, one line at a time,
// in time order. The lines have the shape and size (about 1.5 KB) of a real
// export.
func writeOktaNDJSON(w io.Writer, n, users int, seed uint64) error {
	r := &benchRand{s: seed}
	t := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var b []byte
	for i := range n {
		t = t.Add(time.Duration(1+r.intn(4000)) * time.Millisecond)
		u := r.intn(users)
		g := benchGeo[u%len(benchGeo)]
		if r.intn(50) == 0 {
			g = benchGeo[r.intn(len(benchGeo))] // travel, a VPN
		}
		kind := r.intn(20)
		eventType, display, result, reason, uri := "user.session.start", "User login to Okta", "SUCCESS", "null", "/idp/idx/identify"
		switch {
		case kind < 4:
			eventType, display, uri = "user.authentication.auth_via_mfa", "Authentication of user via MFA", "/idp/idx/challenge/poll"
		case kind == 4:
			result, reason = "FAILURE", `"INVALID_CREDENTIALS"`
		case kind == 5:
			eventType, display = "user.authentication.sso", "User single sign on to app"
		}
		b = b[:0]
		b = append(b, `{"uuid":"`...)
		b = oktaUUID(b, r, i)
		b = append(b, `","published":"`...)
		b = t.AppendFormat(b, "2006-01-02T15:04:05.000Z")
		b = append(b, `","eventType":"`...)
		b = append(b, eventType...)
		b = append(b, `","version":"0","severity":"INFO","displayMessage":"`...)
		b = append(b, display...)
		b = fmt.Appendf(b, `","actor":{"id":"00u%016x","type":"User","alternateId":"%s","displayName":"%s","detailEntry":null},`, uint64(u)*0x9e3779b97f4a7c15, benchEmail(u), benchName(u))
		b = fmt.Appendf(b, `"client":{"userAgent":{"rawUserAgent":"%s","os":"Windows 10","browser":"CHROME"},"zone":"null","device":"Computer","id":null,"ipAddress":"%d.%d.%d.%d",`,
			benchUA[u%len(benchUA)], 24+u%170, (u/170)%250, r.intn(250), 1+r.intn(250))
		b = fmt.Appendf(b, `"geographicalContext":{"city":"%s","state":"%s","country":"%s","postalCode":"%s","geolocation":{"lat":%.4f,"lon":%.4f}}},"device":null,`,
			g.city, g.state, g.country, g.postal, g.lat, g.lon)
		b = fmt.Appendf(b, `"authenticationContext":{"authenticationProvider":null,"credentialProvider":null,"credentialType":null,"issuer":null,"interface":null,"authenticationStep":0,"externalSessionId":"102%020x"},`, r.next())
		b = fmt.Appendf(b, `"outcome":{"result":"%s","reason":%s},"securityContext":{"asNumber":%d,"asOrg":"%s","isp":"%s","domain":"%s","isProxy":false},`,
			result, reason, g.asn, g.asOrg, g.asOrg, g.domain)
		rid := r.next()
		b = fmt.Appendf(b, `"debugContext":{"debugData":{"requestId":"%016x","requestUri":"%s","threatSuspected":"false"}},"transaction":{"type":"WEB","id":"%016x","detail":{}},`, rid, uri, rid)
		app := benchApps[r.intn(len(benchApps))]
		b = fmt.Appendf(b, `"target":[{"id":"0oa%016x","type":"AppInstance","alternateId":"%s","displayName":"%s","detailEntry":null}]}`, uint64(len(app))*0x51ed27, app, app)
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// writeEventsJSONL writes n sign-in events of the given number of workers
// in molehunt's canonical JSON Lines, as a customer's own connector would:
// canonical fields plus a compact raw record.
func writeEventsJSONL(w io.Writer, n, users int, seed uint64) error {
	r := &benchRand{s: seed}
	t := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var b []byte
	for i := range n {
		t = t.Add(time.Duration(1+r.intn(4000)) * time.Millisecond)
		u := r.intn(users)
		g := benchGeo[u%len(benchGeo)]
		outcome := "success"
		if r.intn(20) == 0 {
			outcome = "failure"
		}
		ip := fmt.Sprintf("%d.%d.%d.%d", 24+u%170, (u/170)%250, r.intn(250), 1+r.intn(250))
		app := benchApps[r.intn(len(benchApps))]
		b = b[:0]
		b = append(b, `{"type":"event","kind":"authentication","source":"sso","source_event_id":"`...)
		b = oktaUUID(b, r, i)
		b = append(b, `","time":"`...)
		b = t.AppendFormat(b, time.RFC3339Nano)
		b = fmt.Appendf(b, `","actor":["email:%s"],"auth":{"ip":"%s","user_agent":"%s","outcome":"%s","application":"%s","geo":{"region":"%s","city":"%s","lat":%.4f,"lon":%.4f}},`,
			benchEmail(u), ip, benchUA[u%len(benchUA)], outcome, app, g.state, g.city, g.lat, g.lon)
		b = fmt.Appendf(b, `"raw":{"user":"%s","ip":"%s","app":"%s","result":"%s","session":"%016x","asn":%d}}`+"\n",
			benchEmail(u), ip, app, outcome, r.next(), g.asn)
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// loadAverage returns the one-minute load average, "n/a" when unknown: a
// loaded machine explains low events/s beside steady events/cpu-s.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "n/a"
}
