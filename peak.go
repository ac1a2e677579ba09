package simdconv

import (
	"time"

	"github.com/simdconv/simdconv/kernels"
)

// PeakGFLOPS measures the single-core floating-point peak of a kernel path:
// a loop of independent fused multiply-adds (for the generic and naive
// paths, scalar Go multiplies and adds) on the calling goroutine, for about
// d. Benchmarks report each layer's speed as a percentage of this figure,
// measured on the same machine in the same run.
func PeakGFLOPS(path string, d time.Duration) (float64, error) {
	choice, err := resolvePath(path, "PeakGFLOPS")
	if err != nil {
		return 0, err
	}
	isa := choice.isa
	if choice.naive {
		isa = kernels.Generic
	}
	iters := 1 << 10
	best := 0.0
	deadline := time.Now().Add(d)
	for {
		t0 := time.Now()
		flops := kernels.PeakLoop(isa, iters)
		el := time.Since(t0)
		if el < time.Millisecond {
			iters *= 2
			continue
		}
		best = max(best, float64(flops)/el.Seconds()/1e9)
		if time.Now().After(deadline) {
			return best, nil
		}
	}
}
