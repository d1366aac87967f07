package lists_test

import (
	"context"
	"testing"

	"molehunt/lists"
	"molehunt/lists/snapshot"
)

// BenchmarkSnapshotFiles measures unpacking the bundled snapshot.
func BenchmarkSnapshotFiles(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := snapshot.Files(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadSnapshot measures unpacking and parsing every bundled list,
// without building an index.
func BenchmarkLoadSnapshot(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		files, err := snapshot.Files()
		if err != nil {
			b.Fatal(err)
		}
		r, err := lists.New(lists.Config{Build: build})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Load(context.Background(), files); err != nil {
			b.Fatal(err)
		}
	}
}
