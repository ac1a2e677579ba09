package main

import (
	"fmt"
	"runtime"
	"slices"
	"time"
)

// maxBatches is the number of batches a measurement splits its time budget
// into (the suite's rounds); the reported time per call is that of the
// fastest batch, and the median over the batches is kept too. The peak loop
// runs in batches of the same length (budget/maxBatches), summarised the
// same way.
const maxBatches = 10

// statistic describes how measure summarises its batches, for the report
// and the JSON file.
const statistic = "fastest of up to 10 batches of -time/10, one per round of the suite, each after a warm-up call; the median kept too (naive: a single call when one call exceeds -time)"

// Measurement is the cost of one call of a forward function.
type Measurement struct {
	NsPerOp       float64 // time per call of the fastest batch
	MedianNsPerOp float64 // median over the batches of the time per call
	AllocsPerOp   float64 // heap allocations per call, over all timed calls
	Calls         int     // timed calls
}

// measure times f. Unless cold is set, it runs f once to warm up (caches,
// page faults, the plan's call contexts), then it splits budget into up to
// maxBatches batches of as many calls as fit, and reports the time per call
// of the fastest batch and the median over the batches. At least one call
// is timed, however long it takes. With cold set, f runs exactly once and
// that call is the measurement: the suite does this for the slow naive
// loops. Allocations are counted with runtime.MemStats around all timed
// calls.
//
// The fastest batch is the headline figure because a shared machine's
// disturbances only ever slow a batch down: on a virtual machine whose host
// runs other work on the same physical cores, batches run either at the
// machine's speed or at a fraction of it, and which fraction of a budget is
// disturbed varies from run to run. The median says how often that
// happened.
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
		NsPerOp:       slices.Min(perCall),
		MedianNsPerOp: median(perCall),
		AllocsPerOp:   float64(after.Mallocs-before.Mallocs) / float64(calls),
		Calls:         calls,
	}, nil
}

// median returns the median of xs (the mean of the middle two for an even
// count); xs is left as it is.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	xs = slices.Sorted(slices.Values(xs))
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
