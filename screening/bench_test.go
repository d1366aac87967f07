package screening_test

import (
	"context"
	"runtime"
	"sort"
	"testing"
	"time"

	"molehunt"
	"molehunt/screening"
)

// benchQueries are the dev-set queries, so that the benchmark sees the mix
// of scripts, lengths and variants the matcher is judged on.
func benchQueries(b *testing.B) []molehunt.ScreenQuery {
	b.Helper()
	var qs []molehunt.ScreenQuery
	for _, lq := range append(readLabelled(b, "dev-queries.jsonl"), readLabelled(b, "dev-hangul.jsonl")...) {
		q := molehunt.ScreenQuery{Names: []string{lq.Query}}
		if lq.Type == "person" {
			q.Type = molehunt.EntityPerson
		} else {
			q.Type = molehunt.EntityOrganization
		}
		qs = append(qs, q)
	}
	return qs
}

func benchIndex(b *testing.B) *screening.Index {
	b.Helper()
	ix, err := screening.New(loadSet(b, allLists...), screening.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return ix
}

// BenchmarkScreen screens one query at a time against all lists and
// reports the 99th-percentile latency.
func BenchmarkScreen(b *testing.B) {
	ix := benchIndex(b)
	qs := benchQueries(b)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := ix.Screen(ctx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkScreenParallel screens from GOMAXPROCS goroutines; q/s is the
// throughput of the whole index.
func BenchmarkScreenParallel(b *testing.B) {
	ix := benchIndex(b)
	qs := benchQueries(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	t0 := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := ix.Screen(ctx, qs[i%len(qs)]); err != nil {
				b.Error(err)
				return
			}
			i += 7
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "q/s")
}

// BenchmarkBuild builds the index over all lists and reports the heap the
// index holds.
func BenchmarkBuild(b *testing.B) {
	set := loadSet(b, allLists...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := screening.New(set, screening.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix, _ := screening.New(set, screening.Options{})
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "index-MiB")
	b.ReportMetric(float64(after.HeapAlloc)/(1<<20), "heap-MiB")
	runtime.KeepAlive(ix)
}

// BenchmarkNormalize normalises a mix of Latin, Hangul, Cyrillic and
// Arabic names.
func BenchmarkNormalize(b *testing.B) {
	names := []string{"AL-KHUDAYR, Muhammad 'Arif al-Hasan", "김정은", "Владимир Путин", "محمد علي", "Sheikh Dr. José Núñez", "OOO REALEKSPORT"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = screening.NormalizeName(names[i%len(names)])
	}
}
