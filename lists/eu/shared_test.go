package eu

import (
	"os"
	"path/filepath"
	"testing"

	"molehunt/internal/testdata"
)

// TestSharedFullList parses full copies of the list when they are dropped
// into the shared data (sanctions/eu/eu_fsf.xml, eu_fsf.csv); it skips
// otherwise.
func TestSharedFullList(t *testing.T) {
	// The full list is not among the shared data sets yet: skip, even in
	// CI, until someone drops a copy in.
	dir := filepath.Join(testdata.SharedData(t), "sanctions", "eu")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no full list at %s", dir)
	}
	found := false
	for _, name := range []string{FileXML, FileCSV} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		found = true
		t.Run(name, func(t *testing.T) {
			entries, version, err := Parse(data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if version == "" {
				t.Error("no generation date")
			}
			if len(entries) < 1000 {
				t.Errorf("%d entries; a full list has several thousand", len(entries))
			}
			for i := range entries {
				if err := entries[i].Validate(); err != nil {
					t.Errorf("entry %d: %v", i, err)
				}
			}
			t.Logf("%s: %d entries, version %s", name, len(entries), version)
		})
	}
	if !found {
		t.Skipf("no %s or %s in %s", FileXML, FileCSV, dir)
	}
}
