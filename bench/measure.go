package main

import (
	"fmt"
	"runtime"
	"slices"
	"time"
)

// maxBatches is the number of batches a measurement splits its time budget
// into; the reported time per call is the median over the batches.
const maxBatches = 5

// statistic describes how measure summarises its batches, for the report
// and the JSON file.
const statistic = "median of up to 5 batches after one warm-up call (naive: a single call when one call exceeds -time)"

// Measurement is the cost of one call of a forward function.
type Measurement struct {
	NsPerOp     float64 // median over the batches of the time per call
	AllocsPerOp float64 // heap allocations per call, over all timed calls
	Calls       int     // timed calls
}

// measure times f. Unless cold is set, it runs f once to warm up (caches,
// page faults, the plan's call contexts), then it splits budget into up to
// maxBatches batches of as many calls as fit, and reports the median time
// per call over the batches. At least one call is timed, however long it
// takes. With cold set, f runs exactly once and that call is the
// measurement: the suite does this for the slow naive loops. Allocations
// are counted with runtime.MemStats around all timed calls.
func measure(f func() error, budget time.Duration, cold bool) (Measurement, error) {
	var est time.Duration
	batches, perBatch := 1, 1
	if !cold {
		t0 := time.Now()
		if err := f(); err != nil {
			return Measurement{}, err
		}
		est = max(time.Since(t0), time.Nanosecond)
		batches = int(min(max(budget/est, 1), maxBatches))
		perBatch = int(max(budget/(time.Duration(batches)*est), 1))
	}
	perCall := make([]float64, batches)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b := range perCall {
		t0 := time.Now()
		for range perBatch {
			if err := f(); err != nil {
				return Measurement{}, err
			}
		}
		perCall[b] = float64(time.Since(t0).Nanoseconds()) / float64(perBatch)
	}
	runtime.ReadMemStats(&after)
	calls := batches * perBatch
	return Measurement{
		NsPerOp:     median(perCall),
		AllocsPerOp: float64(after.Mallocs-before.Mallocs) / float64(calls),
		Calls:       calls,
	}, nil
}

// median returns the median of xs (the mean of the middle two for an even
// count); it sorts xs.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 0 {
		return (xs[m-1] + xs[m]) / 2
	}
	return xs[m]
}

// gflops converts a time per call into GFLOP/s for a layer of flops
// floating-point operations.
func gflops(flops int64, nsPerOp float64) float64 {
	if nsPerOp <= 0 {
		return 0
	}
	return float64(flops) / nsPerOp
}

// formatDuration prints a time per call with three significant digits in
// the unit that suits it.
func formatDuration(ns float64) string {
	switch {
	case ns <= 0:
		return "-"
	case ns < 1e3:
		return fmt.Sprintf("%.0fns", ns)
	case ns < 1e6:
		return fmt.Sprintf("%.3gµs", ns/1e3)
	case ns < 1e9:
		return fmt.Sprintf("%.3gms", ns/1e6)
	}
	return fmt.Sprintf("%.3gs", ns/1e9)
}
