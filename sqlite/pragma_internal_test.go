package sqlite

import (
	"testing"
)

// TestPragmas checks the settings the package promises: WAL, 4 KiB pages,
// foreign keys, the busy timeout, and a read pool that cannot write.
func TestPragmas(t *testing.T) {
	s, err := Open(t.Context(), t.TempDir(), Options{BusyTimeout: 1234e6})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []struct{ pragma, want string }{
		{"journal_mode", "wal"},
		{"page_size", "4096"},
		{"foreign_keys", "1"},
		{"busy_timeout", "1234"},
		{"synchronous", "2"},
		{"query_only", "1"},
	} {
		var got string
		if err := s.read.QueryRowContext(t.Context(), "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %s; want %s", c.pragma, got, c.want)
		}
	}
	if _, err := s.read.ExecContext(t.Context(), "DELETE FROM subjects"); err == nil {
		t.Error("the read pool could write")
	}
	var versions int
	if err := s.read.QueryRowContext(t.Context(), "SELECT count(*) FROM schema_migrations").Scan(&versions); err != nil || versions < 1 {
		t.Errorf("schema_migrations has %d rows (%v); want the applied migrations", versions, err)
	}
}
