package link_test

import (
	"encoding/hex"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"molehunt"
	"molehunt/link"
)

// synth makes synthetic subjects with ten identifiers each, nearly all
// distinct: e-mail, phone, device serial, hardware UUID, bank account,
// government ID, postal address, photo hash, resume signature, profile
// link. Every 500th subject starts a group of five sharing a shipping
// address (a farm), every 200th pair shares a home (a family), and one
// pooled account is held by every 100th subject (shared infrastructure).
type synth struct {
	buf [10][]byte
	ids [10]molehunt.Identifier
}

func (s *synth) subject(i int) molehunt.Subject {
	n := uint64(i)*0x9E3779B97F4A7C15 + 1
	hexN := func(k int, bytes int) string {
		var raw [16]byte
		x := n ^ uint64(k)*0xBF58476D1CE4E5B9
		for j := 0; j < bytes; j++ {
			x ^= x >> 31
			x *= 0x94D049BB133111EB
			raw[j] = byte(x >> 56)
		}
		s.buf[k] = hex.AppendEncode(s.buf[k][:0], raw[:bytes])
		return string(s.buf[k])
	}
	id := strconv.Itoa(i)
	addr := "subject " + id + " home"
	switch {
	case i%500 < 5:
		addr = "farm " + strconv.Itoa(i/500)
	case i%200 == 7 || i%200 == 8:
		addr = "family " + strconv.Itoa(i/200)
	}
	bank := "k1:" + hexN(4, 16) + hexN(9, 16)
	if i%100 == 50 {
		bank = "k1:pooled"
	}
	s.ids = [10]molehunt.Identifier{
		{Kind: molehunt.IDEmail, Value: "p" + id + "@example.com"},
		{Kind: molehunt.IDPhone, Value: "+1555" + id},
		{Kind: molehunt.IDDeviceSerial, Value: "SN" + hexN(2, 6)},
		{Kind: molehunt.IDHardwareUUID, Value: hexN(3, 16)},
		{Kind: molehunt.IDBankAccount, Value: bank},
		{Kind: molehunt.IDGovernmentID, Value: "k1:" + hexN(5, 16) + hexN(6, 16)},
		{Kind: molehunt.IDPostalAddress, Value: addr},
		{Kind: molehunt.IDPhotoHash, Value: hexN(7, 8)},
		{Kind: molehunt.IDResumeFingerprint, Value: "mh1:" + hexN(8, 16)},
		{Kind: molehunt.IDProfileURL, Value: "https://github.com/u" + id},
	}
	return molehunt.Subject{ID: "s" + id, Names: []molehunt.Name{{Full: "Person " + id}}, Identifiers: s.ids[:]}
}

func benchSubjects(def int) int {
	if v, err := strconv.Atoi(os.Getenv("LINK_BENCH_SUBJECTS")); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkBuild loads LINK_BENCH_SUBJECTS (default 100,000) synthetic
// subjects of ten identifiers each into a new graph, clustering as it
// goes, and reports the heap the graph holds.
func BenchmarkBuild(b *testing.B) {
	n := benchSubjects(100_000)
	b.ReportAllocs()
	var st link.Stats
	var heap uint64
	var cpu time.Duration
	for b.Loop() {
		c0 := cpuTime()
		g := link.New(link.Config{})
		g.Grow(n, 10*n)
		var s synth
		for i := 0; i < n; i++ {
			if err := g.Add(s.subject(i), nil); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		cpu += cpuTime() - c0
		st = g.Stats()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = ms.HeapAlloc
		runtime.KeepAlive(g)
		b.StartTimer()
	}
	b.ReportMetric(float64(n), "subjects")
	b.ReportMetric(float64(st.Identifiers), "identifiers")
	b.ReportMetric(float64(st.Clusters), "clusters")
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
	// CPU seconds of the process per build: on a shared machine the wall
	// time (ns/op) also counts other processes' turns.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRebuild recomputes every cluster of a loaded graph.
func BenchmarkRebuild(b *testing.B) {
	n := benchSubjects(100_000)
	g := link.New(link.Config{})
	g.Grow(n, 10*n)
	var s synth
	for i := 0; i < n; i++ {
		if err := g.Add(s.subject(i), nil); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		g.Rebuild()
	}
	b.ReportMetric(float64(n), "subjects")
}

// BenchmarkSynth is the cost of making the synthetic subjects alone, to
// subtract from BenchmarkBuild.
func BenchmarkSynth(b *testing.B) {
	n := benchSubjects(100_000)
	for b.Loop() {
		var s synth
		for i := 0; i < n; i++ {
			_ = s.subject(i)
		}
	}
}

// BenchmarkAddOne adds one subject with a day of login events to a graph
// of LINK_BENCH_SUBJECTS subjects; every added subject joins a farm.
func BenchmarkAddOne(b *testing.B) {
	n := benchSubjects(100_000)
	g := link.New(link.Config{})
	g.Grow(n, 10*n)
	var s synth
	for i := 0; i < n; i++ {
		if err := g.Add(s.subject(i), nil); err != nil {
			b.Fatal(err)
		}
	}
	day := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	i := n
	for b.Loop() {
		sub := s.subject(i)
		sub.Identifiers[6].Value = "farm " + strconv.Itoa((i-n)%(n/500)) // joins a farm
		evs := make([]molehunt.Event, 20)
		for k := range evs {
			evs[k] = molehunt.Event{Kind: molehunt.EventAuthentication, Source: molehunt.SourceOkta, SourceEventID: strconv.Itoa(k),
				Time: day.Add(time.Duration(k) * time.Minute), Actor: []molehunt.Identifier{sub.Identifiers[0]},
				Auth: &molehunt.AuthDetail{IP: netipFor(i)}}
		}
		if err := g.Add(sub, evs); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func netipFor(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{73, byte(i >> 16), byte(i >> 8), byte(i)})
}
