package main

import (
	"context"
	"testing"
)

// BenchmarkOpenRegistry measures the time from the bundled snapshot to a
// served index: unpack, parse every list, build the screening index.
func BenchmarkOpenRegistry(b *testing.B) {
	m := NewMain()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := m.openRegistry(context.Background(), registryOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
