package gen_test

import (
	"context"
	"testing"

	"molehunt/gen"
)

// BenchmarkGenerate generates a 2,000-worker organisation over two months
// per iteration and reports events per second.
func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	var events int
	for i := 0; i < b.N; i++ {
		st, err := gen.Generate(context.Background(), gen.Config{Workers: 2000, Months: 2, Seed: int64(i)}, b.TempDir(), nil)
		if err != nil {
			b.Fatal(err)
		}
		events += st.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
