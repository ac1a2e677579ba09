package simdconv

import (
	"fmt"
	"slices"
	"time"

	"github.com/simdconv/simdconv/kernels"
)

// PeakGFLOPS measures the single-core floating-point peak of a kernel path:
// a loop of independent fused multiply-adds (for the generic and naive
// paths, scalar Go multiplies and adds) on the calling goroutine, for about
// d. It is the median of the rates of peakBatches batches of d/peakBatches
// each (see PeakRates), a sustained figure, not a best moment.
func PeakGFLOPS(path string, d time.Duration) (float64, error) {
	rates, err := PeakRates(path, d/peakBatches, peakBatches)
	if err != nil {
		return 0, err
	}
	slices.Sort(rates)
	return rates[peakBatches/2], nil
}

// PeakRates runs the peak loop of PeakGFLOPS on the calling goroutine in n
// batches of about batch each and returns each batch's rate in GFLOP/s: its
// operations over its whole wall time. The benchmark suite times layers in
// batches of the same length and summarises both the same way, so that a
// layer's percentage of the peak compares like with like; on a shared
// machine the spread of the batch rates shows how much the host disturbed
// the measurement.
func PeakRates(path string, batch time.Duration, n int) ([]float64, error) {
	choice, err := resolvePath(path, "PeakRates")
	if err != nil {
		return nil, err
	}
	if n < 1 || batch <= 0 {
		return nil, fmt.Errorf("simdconv: PeakRates: %d batches of %v: need at least one batch of positive length", n, batch)
	}
	isa := choice.isa
	if choice.naive {
		isa = kernels.Generic
	}
	// Size one run of the loop to about a millisecond, or the whole batch
	// if that is shorter.
	iters := 1 << 10
	for {
		t0 := time.Now()
		kernels.PeakLoop(isa, iters)
		if time.Since(t0) >= min(time.Millisecond, batch) {
			break
		}
		iters *= 2
	}
	rates := make([]float64, n)
	for b := range rates {
		var flops int64
		t0 := time.Now()
		for {
			flops += kernels.PeakLoop(isa, iters)
			if time.Since(t0) >= batch {
				break
			}
		}
		rates[b] = float64(flops) / time.Since(t0).Seconds() / 1e9
	}
	return rates, nil
}

// peakBatches is the number of batches PeakGFLOPS splits its time into.
const peakBatches = 5
