package simdconv

import (
	"slices"
	"time"

	"github.com/simdconv/simdconv/kernels"
)

// PeakGFLOPS measures the single-core floating-point peak of a kernel path:
// a loop of independent fused multiply-adds (for the generic and naive
// paths, scalar Go multiplies and adds) on the calling goroutine, for about
// d. Benchmarks report each layer's speed as a percentage of this figure,
// measured on the same machine in the same run.
//
// The figure is sustained, not a best moment: d is split into peakBatches
// batches, each batch's rate is its operations over its whole time, and the
// result is the median batch rate: the statistic the benchmark suite uses
// for layers. A virtual machine that loses some of its time slices slows
// the peak loop and a layer alike, so the ratio of the two measures the
// kernels, not the host's other tenants. (The best single millisecond is a
// few percent higher on a busy host.)
func PeakGFLOPS(path string, d time.Duration) (float64, error) {
	choice, err := resolvePath(path, "PeakGFLOPS")
	if err != nil {
		return 0, err
	}
	isa := choice.isa
	if choice.naive {
		isa = kernels.Generic
	}
	// Size one run of the loop to about a millisecond.
	iters := 1 << 10
	for {
		t0 := time.Now()
		kernels.PeakLoop(isa, iters)
		if time.Since(t0) >= time.Millisecond {
			break
		}
		iters *= 2
	}
	rates := make([]float64, peakBatches)
	for b := range rates {
		var flops int64
		t0 := time.Now()
		for {
			flops += kernels.PeakLoop(isa, iters)
			if time.Since(t0) >= d/peakBatches {
				break
			}
		}
		rates[b] = float64(flops) / time.Since(t0).Seconds() / 1e9
	}
	slices.Sort(rates)
	return rates[peakBatches/2], nil
}

// peakBatches is the number of batches PeakGFLOPS splits its time into.
const peakBatches = 5
