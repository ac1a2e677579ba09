// Command asm generates simdconv's amd64 kernels with avo: the assembly
// (kernels/conv_amd64.s), its Go declarations (kernels/conv_amd64.go) and the
// kernel table that dispatch, tests and benchmarks read
// (kernels/ztable_amd64.go). Run it through `go generate ./...` at the
// repository root (kernels/gen.go holds the go:generate line); the output
// is deterministic, and CI checks that regenerating changes nothing.
//
// Three families of kernels, each for AVX-512 (32 zmm, opmasks) and
// AVX2+FMA (16 ymm):
//
//   - gemm<ISA>_<MR>x<NR>: the pixel-lane GEMM micro-kernel. It computes an
//     MR x NR tile of outputs, MR output channels by NR pixels of the
//     computed grid, with pixels in the vector lanes:
//     acc[i][p] = sum_k A[k][i] * vin[off[k] + p]. MR = 1 with a wide NR is the
//     depthwise kernel.
//   - gemmt<ISA>_<MR>x<NR>: the channel-lane GEMM micro-kernel, with output
//     channels in the lanes and NR output pixels broadcast from arbitrary
//     addresses; the tile is transposed in registers on the way out.
//   - dw<ISA>, dw<ISA>_masked: the depthwise kernel, one output channel from
//     one input channel, vector by vector from a list of output vectors.
//   - dwrows<ISA>_<k>x<k>: depthwise k x k stride-1 kernels that reuse each
//     loaded input row for several output rows (dwrows2<ISA>_<k>x<k>: the
//     same at stride 2, AVX2); dwshift<ISA>_<k>x<k> are
//     the same with each row vector loaded once and shifted in registers,
//     dwshift2<ISA>_<k>x<k> their stride-2 form (even and odd lanes).
//   - padCopy<ISA>, padCopy2<ISA>: copy input rows (every element, or every
//     other one for a column phase of a stride-2 layer) into the zero-padded
//     virtual input.
//   - peak<ISA>: independent FMAs, to measure the core's peak.
//
// See kernels/layout.go for the virtual input that both GEMM kernels read.
package main

import (
	"flag"
	"fmt"
	"os"

	. "github.com/mmcloughlin/avo/build"
)

var tableOut = flag.String("table", "", "write the Go kernel table to `file`")

func main() {
	flag.Parse()
	ConstraintExpr("!purego")

	genConstants()
	genPadConstants()
	var t table
	for _, x := range []isa{avx512, avx2} {
		for _, k := range x.pixelKernels {
			genPixels(x, k.mr, k.v)
			t.pixels = append(t.pixels, tableEntry{isa: x, mr: k.mr, v: k.v, name: pixelName(x, k.mr, k.v)})
		}
		for _, k := range x.channelKernels {
			genChannels(x, k.v, k.nr)
			t.channels = append(t.channels, tableEntry{isa: x, v: k.v, nr: k.nr, name: channelName(x, k.v, k.nr)})
		}
		for _, k := range x.channelRunKernels {
			genChannelsRun(x, k.v, k.nr)
			t.channels = append(t.channels, tableEntry{isa: x, v: k.v, nr: k.nr, runs: 2, name: channelRunName(x, k.v, k.nr)})
		}
		genDepthwise(x, false)
		genDepthwise(x, true)
		t.depthwise = append(t.depthwise, x)
		for _, sh := range dwRowsShapes[x.avx512] {
			genDepthwiseRows(x, sh)
			t.dwRows = append(t.dwRows, tableEntry{isa: x, name: dwRowsName(x, sh), mr: sh.k, v: sh.rows, shift: sh.shift, nr: sh.stride})
		}
		genPadCopy(x, 1)
		genPadCopy(x, 2)
		genPeak(x)
	}
	Generate()

	if *tableOut != "" {
		if err := t.write(*tableOut, asmOut()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

// asmOut is the assembly file that avo's -out flag named.
func asmOut() string {
	if f := flag.Lookup("out"); f != nil {
		return f.Value.String()
	}
	return ""
}
