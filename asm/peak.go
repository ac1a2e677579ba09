package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// peakAccumulators is the number of independent FMA chains in the peak
// loop: more than FMA latency times the FMA ports of any current core (4
// cycles x 2 ports on Zen 4 and 5, Intel client and server): 24 zmm or 12
// ymm, two more registers hold the operands.
func peakAccumulators(x isa) int { return x.vecs * 3 / 4 }

// peakFlops is the floating-point operations of one peak-loop iteration.
func peakFlops(x isa) int { return peakAccumulators(x) * x.lanes * 2 }

// genPeak writes the FMA peak loop: iters iterations (iters >= 1) of
// peakAccumulators independent VFMADD231PS on full-width registers.
func genPeak(x isa) {
	name := "peak" + x.name
	TEXT(name, NOSPLIT, "func(iters int)")
	Doc(fmt.Sprintf("%s runs iters (>= 1) iterations of %d independent %d-lane FMAs.", name, peakAccumulators(x), x.lanes))
	n := peakAccumulators(x)
	a, b := x.vec(n), x.vec(n+1)
	Load(Param("iters"), RCX)
	for i := 0; i <= n+1; i++ {
		zero(x, x.vec(i))
	}
	Label(name + "_loop")
	for i := 0; i < n; i++ {
		VFMADD231PS(a, b, x.vec(i))
	}
	DECQ(RCX)
	JNZ(LabelRef(name + "_loop"))
	VZEROUPPER()
	RET()
}
