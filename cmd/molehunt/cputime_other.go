//go:build !unix

package main

import "time"

// processCPU is unknown here; benchmarks then omit per-CPU rates.
func processCPU() time.Duration { return 0 }
