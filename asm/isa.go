package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// isa describes one instruction set the generator targets.
type isa struct {
	name    string // as in kernel names: AVX512, AVX2
	goISA   string // the kernels.ISA constant
	lanes   int    // float32 lanes per vector
	vecs    int    // vector registers
	avx512  bool   // opmasks and 32 registers
	vecSize int    // bytes per vector

	// The kernel shapes to generate.
	pixelKernels   []pixelShape
	channelKernels []channelShape
	// channel tiles of two runs of contiguous pixels (genChannelsRun)
	channelRunKernels []channelShape
}

type pixelShape struct{ mr, v int }   // MR output channels x v vectors of pixels
type channelShape struct{ v, nr int } // v vectors of output channels x NR pixels

// vec returns vector register i of the ISA's width.
func (x isa) vec(i int) VecPhysical {
	if x.avx512 {
		return zmm[i]
	}
	return ymm[i]
}

var zmm = []VecPhysical{Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15,
	Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23, Z24, Z25, Z26, Z27, Z28, Z29, Z30, Z31}
var ymm = []VecPhysical{Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15,
	Y16, Y17, Y18, Y19, Y20, Y21, Y22, Y23, Y24, Y25, Y26, Y27, Y28, Y29, Y30, Y31}

// Kernel shapes. AVX-512: the pixel GEMM tile 8 x 48 (24 accumulators, 3
// input vectors, 2 broadcast registers) with narrower 8 x 32 and 8 x 16 tiles
// for the last columns of a plane; MR = 1 tiles up to 16 vectors for the
// depthwise convolution and for layers with very few output channels. The
// channel tiles hold 16, 32 or 48 output channels by 6, 7 or 8 pixels (at
// most 24 accumulators; 8 general registers point at the pixels), and the
// run tiles 16 x 14 and 32 x 14 (28 accumulators) read two runs of 7
// contiguous pixels from two registers.
//
// AVX2: the pixel tile 6 x 16 (12 accumulators, 2 input vectors, a
// broadcast register and a mask register fill the 16 ymm), MR = 1 tiles up to
// 12 vectors, and channel tiles of 8, 16 or 24 channels by 4 pixels.
var (
	avx512 = isa{
		name: "AVX512", goISA: "AVX512", lanes: 16, vecs: 32, avx512: true, vecSize: 64,
		pixelKernels:      append(shapes(8, 1, 3), shapes(1, 1, 16)...),
		channelKernels:    channelShapes([]int{1, 2, 3}, []int{6, 7, 8}),
		channelRunKernels: channelShapes([]int{1, 2}, []int{14}),
	}
	avx2 = isa{
		name: "AVX2", goISA: "AVX2", lanes: 8, vecs: 16, vecSize: 32,
		pixelKernels:   append(shapes(6, 1, 2), shapes(1, 1, 12)...),
		channelKernels: channelShapes([]int{1, 2, 3}, []int{4}),
	}
)

func shapes(mr, v0, v1 int) []pixelShape {
	var s []pixelShape
	for v := v0; v <= v1; v++ {
		s = append(s, pixelShape{mr, v})
	}
	return s
}

func channelShapes(vs, nrs []int) []channelShape {
	var s []channelShape
	for _, v := range vs {
		for _, nr := range nrs {
			s = append(s, channelShape{v, nr})
		}
	}
	return s
}

func pixelName(x isa, mr, v int) string { return fmt.Sprintf("gemm%s_%dx%d", x.name, mr, v*x.lanes) }

func channelName(x isa, v, nr int) string {
	return fmt.Sprintf("gemmt%s_%dx%d", x.name, v*x.lanes, nr)
}

// zero clears a vector register (VPXORD on zmm needs only AVX512F, VXORPS
// would need AVX512DQ).
func zero(x isa, r VecPhysical) {
	if x.avx512 {
		VPXORD(r, r, r)
	} else {
		VXORPS(r, r, r)
	}
}

// clampAccumulators emits the output clamp shared by every kernel: load the
// clamp argument into ptr; if it is nil, skip to the label skip; else
// broadcast lo and hi and set each accumulator to min(max(acc, lo), hi).
// The accumulator is the second source of VMAXPS and VMINPS, which return
// it when it is NaN, so NaN passes the clamp as in the Go reference.
func clampAccumulators(ptr GPPhysical, lo, hi VecPhysical, skip string, accs ...VecPhysical) {
	Load(Param("clamp"), ptr)
	TESTQ(ptr, ptr)
	JZ(LabelRef(skip))
	VBROADCASTSS(Mem{Base: ptr}, lo)
	VBROADCASTSS(Mem{Base: ptr, Disp: 4}, hi)
	for _, a := range accs {
		VMAXPS(a, lo, a)
		VMINPS(a, hi, a)
	}
	Label(skip)
}

// flatten lists the registers of a two-level accumulator table in order.
func flatten(t [][]VecPhysical) []VecPhysical {
	var out []VecPhysical
	for _, row := range t {
		out = append(out, row...)
	}
	return out
}

// mem is the memory operand base+index*1+disp.
func mem(base, index Register, disp int) Mem {
	m := Mem{Base: base, Disp: disp}
	if index != nil {
		m.Index, m.Scale = index, 1
	}
	return m
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// regList names registers for comments: "R14, R15".
func regList(rs []GPPhysical) string {
	s := ""
	for i, r := range rs {
		if i > 0 {
			s += ", "
		}
		s += r.Asm()
	}
	return s
}
