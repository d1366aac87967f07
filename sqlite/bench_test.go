package sqlite_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"molehunt"
	"molehunt/sqlite"
	"molehunt/storetest"
)

// BenchmarkAppendEvents measures batch inserts of realistic events (every
// kind, a raw payload of ~100 bytes, half resolved) in batches of 1,000,
// the ingestion path. Run with -benchtime=200x or more for a stable rate:
//
//	go test -run=^$ -bench=AppendEvents -benchtime=200x ./sqlite/
//
// Besides events/s it reports events/cpu-s (events per second of process
// CPU time), which stays meaningful when other work shares the machine.
func BenchmarkAppendEvents(b *testing.B) {
	for _, sync := range []string{"FULL", "NORMAL"} {
		for _, batch := range []int{1000, 5000} {
			b.Run(fmt.Sprintf("synchronous=%s/batch=%d", sync, batch), func(b *testing.B) {
				s, err := sqlite.Open(b.Context(), b.TempDir(), sqlite.Options{Synchronous: sync})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				benchAppend(b, s, batch)
			})
		}
	}
}

func benchAppend(b *testing.B, s molehunt.Store, batch int) {
	tmpl := storetest.Events(molehunt.SourceOkta, "x", "", time.Now())
	evs := make([]molehunt.Event, batch)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := range b.N {
		b.StopTimer()
		for j := range evs {
			e := tmpl[j%len(tmpl)]
			e.ID = ""
			e.SourceEventID = fmt.Sprintf("b%d-e%d", i, j)
			e.Time = e.Time.Add(time.Duration(i*batch+j) * time.Second)
			if j%2 == 0 {
				e.SubjectID = fmt.Sprintf("s%d", j%97)
			}
			evs[j] = e
		}
		b.StartTimer()
		res, err := s.AppendEvents(b.Context(), evs)
		if err != nil {
			b.Fatal(err)
		}
		if res.Accepted != batch {
			b.Fatalf("accepted %d of %d", res.Accepted, batch)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.N*batch)/(cpuTime()-cpu0).Seconds(), "events/cpu-s")
}

// cpuTime returns the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
