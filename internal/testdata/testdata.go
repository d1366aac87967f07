// Package testdata locates fixtures shared by the whole repository and the
// real data sets kept beside it in ../shared/data, by the module root rather
// than by relative paths like ../../.., so a test can move without breaking.
package testdata

import (
	"os"
	"path/filepath"
	"testing"
)

// ModuleRoot returns the directory holding go.mod, searching upwards from the
// working directory.
func ModuleRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatalf("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// SharedData returns the path of the shared real data sets (sanctions lists,
// screening sets, ...): $MOLEHUNT_SHARED_DATA if set, else ../shared/data
// beside the module root. It skips the test when the data is absent, unless
// MOLEHUNT_REQUIRE_DATA is set, in which case it fails.
func SharedData(tb testing.TB, elem ...string) string {
	tb.Helper()
	base := os.Getenv("MOLEHUNT_SHARED_DATA")
	if base == "" {
		base = filepath.Join(filepath.Dir(ModuleRoot(tb)), "shared", "data")
	}
	p := filepath.Join(append([]string{base}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("MOLEHUNT_REQUIRE_DATA") != "" {
			tb.Fatalf("shared data %s: %v", p, err)
		}
		tb.Skipf("shared data %s not present: %v", p, err)
	}
	return p
}
