package sqlite_test

import (
	"sync"
	"testing"

	"molehunt"
	"molehunt/sqlite"
	"molehunt/storetest"
)

// opener opens a store in a data directory per test, the same one again
// when a test reopens.
func opener() storetest.Opener {
	var (
		mu   sync.Mutex
		dirs = map[*testing.T]string{}
	)
	return func(t *testing.T) molehunt.Store {
		mu.Lock()
		dir, ok := dirs[t]
		if !ok {
			dir = t.TempDir()
			dirs[t] = dir
		}
		mu.Unlock()
		s, err := sqlite.Open(t.Context(), dir, sqlite.Options{})
		if err != nil {
			t.Fatalf("sqlite.Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, opener())
}
