//go:build race

package main

// raceEnabled tells slow tests that the race detector multiplies the cost
// of reading a store in the test process, so they use smaller inputs.
const raceEnabled = true
