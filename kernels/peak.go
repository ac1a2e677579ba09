package kernels

import "runtime"

// PeakLoop runs the FMA-throughput loop of isa for iters iterations and
// returns the floating-point operations it performed (two per multiply-add,
// per lane). The loop keeps enough independent accumulators in registers to
// hide the FMA latency, so its rate is the core's peak for that ISA.
func PeakLoop(isa ISA, iters int) int64 {
	if isa != Generic {
		if f := archPeak[isa]; f != nil {
			return f(iters)
		}
	}
	return peakGo(iters)
}

// peakGo is the scalar Go peak: 12 independent multiply-add chains (a Go
// compiler without FMA emits a multiply and an add for each).
func peakGo(iters int) int64 {
	var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 float32 = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	const m, c = 0.999, 0.001
	for i := 0; i < iters; i++ {
		a0 = a0*m + c
		a1 = a1*m + c
		a2 = a2*m + c
		a3 = a3*m + c
		a4 = a4*m + c
		a5 = a5*m + c
		a6 = a6*m + c
		a7 = a7*m + c
		a8 = a8*m + c
		a9 = a9*m + c
		a10 = a10*m + c
		a11 = a11*m + c
	}
	runtime.KeepAlive(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11) // the loop must run
	return int64(iters) * 12 * 2
}
