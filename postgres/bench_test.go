package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"molehunt"
	"molehunt/postgres"
	"molehunt/storetest"
)

// BenchmarkAppendEvents measures batch inserts of realistic events in
// batches of 1,000 and 5,000, as the SQLite benchmark does:
//
//	go test -run=^$ -bench=AppendEvents -benchtime=200x ./postgres/
func BenchmarkAppendEvents(b *testing.B) {
	base := serverURL(b)
	for _, batch := range []int{1000, 5000} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			s, err := postgres.Open(b.Context(), freshSchema(b, base), postgres.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			tmpl := storetest.Events(molehunt.SourceOkta, "x", "", time.Now())
			evs := make([]molehunt.Event, batch)
			b.ReportAllocs()
			b.ResetTimer()
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
		})
	}
}
