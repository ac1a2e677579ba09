package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// dwRowsShape is a depthwise kernel specialised for a k x k kernel with
// stride 1 and dilation 1, computing rows output rows per pass. With shift
// set, each input row vector is loaded once and its k column taps are made
// by shifting it in registers; without, each tap is its own load.
type dwRowsShape struct {
	k, rows int
	shift   bool
	stride  int // 1, or 2 (the AVX-512 3x3 shift kernel, the AVX2 3x3 one)
}

// The specialised depthwise kernels. AVX-512: 3x3 with shifts, 7 rows of
// two column vectors per pass (9 weights and 14 accumulators in registers,
// 9 input-row pointers); the same at stride 2 with 4 rows (9 input rows);
// and 5x5 with 5 rows (weights broadcast from memory, 9 row pointers). On
// 28 to 112 pixel wide planes the shifts made the 3x3 kernel 12-20% faster
// than loading each tap. AVX2: 3x3 loading each tap, 5 rows per pass (5
// accumulators, 9 weights and 2 loads fill the 16 ymm; the clamp bounds
// reuse the load registers); at stride 2, 4 rows per pass (9 input rows),
// each tap two loads and the even lanes of the pair.
var dwRowsShapes = map[bool][]dwRowsShape{
	true:  {{3, 7, true, 1}, {3, 4, true, 2}, {5, 5, false, 1}},
	false: {{3, 5, false, 1}, {3, 4, false, 2}},
}

func dwRowsName(x isa, s dwRowsShape) string {
	if s.shift && s.stride == 2 {
		return fmt.Sprintf("dwshift2%s_%dx%d", x.name, s.k, s.k)
	}
	if s.shift {
		return fmt.Sprintf("dwshift%s_%dx%d", x.name, s.k, s.k)
	}
	if s.stride == 2 {
		return fmt.Sprintf("dwrows2%s_%dx%d", x.name, s.k, s.k)
	}
	return fmt.Sprintf("dwrows%s_%dx%d", x.name, s.k, s.k)
}

var dwRowPtrs = []GPPhysical{RAX, RBX, RDX, RDI, R8, R9, R10, R11, R12}

// dwColEntry is the number of int64 values of one entry of a depthwise
// column list: byte offset, kind (0: every load and store whole; 1: masked),
// store mask, then one load mask per kernel column kw (at most 5). A shift
// kernel's entry covers one or two column vectors: byte offset, kind, store
// mask of the first, the load masks of the three row vectors from the
// offset on, the store mask of the second, the number of column vectors; at
// stride 2, byte offset, kind, store mask of the first, the load masks of
// five row vectors, the store mask of the second, the number of column
// vectors.
const dwColEntry = 10

// genDepthwiseRows writes a depthwise kernel for output channels of a
// k x k, dilation-1 convolution with stride S (1, or 2 for the 3x3 shift
// kernel) that reads the caller's input planes directly, zero padding
// included:
//
//	for every channel c < nch, output row r < rows and column vector of cols:
//	    y_c[r*ldy/4 + j] = clamp(bias[c] + sum_{kh,kw} w[c*k*k + kh*k+kw] * X_c(row0+S*r+kh, S*j+kw))
//
// where channel c reads the plane at x + c*xStride and writes
// y_c = y + c*yStride (byte strides; xStride is 0 when the channels share
// one input plane). X_c(i, j) is its zero-padded input: row i is input row
// i (row0, the block's first, is negative in the top padding), column j is
// input column j - left/4, and zero outside the input. Input rows are
// rowBytes apart, h of them; a row outside them reads zero, a buffer of
// zeros at least as long as a padded row. The channels of one call let the
// caller make one call per task instead of one per plane.
// Columns come from a list (cols, ncols entries of dwColEntry values): each
// entry is a vector of 16 output columns at byte offset off in the padded
// row, either whole (every tap's lanes inside the input) or with a lane mask
// per kernel column for the loads (lanes that fall in the padding read
// nothing and count as zero) and one for the store. Masked-off lanes are
// never read or written.
//
// The kernel works on passes of R output rows and one column vector: each of
// the R+k-1 input rows is loaded once per kernel column and feeds every
// output row of the pass that reads it (up to k of them), so a pass makes
// (R+k-1)*k loads for R*k*k multiply-adds instead of one load per
// multiply-add. The rows left over (rows % R) take one pass of that many
// rows, not one-row passes, whose single accumulator chains wait on the
// multiply-add latency (on 7- to 30-row planes that made the AVX2 3x3
// kernel 10-40% faster and the AVX-512 5x5 one about 10%). A pass inside
// the plane takes consecutive rows; one that reaches the padding chooses each
// row pointer with conditional moves: an input row, or the zero row.
//
// A shift kernel computes two column vectors per entry (one for an odd
// last one). It loads three vectors per input row, the row's columns
// c-left/4 .. c-left/4+47 (masked with the entry's load masks), and makes
// tap kw of each column vector by shifting it and the next left by kw lanes
// (VALIGND): a shuffle in place of a load that would straddle two cache
// lines, so a pass makes 3(R+k-1) loads for 2R*k*k multiply-adds. Two
// column vectors also give twice the independent accumulators.
func genDepthwiseRows(x isa, s dwRowsShape) {
	name := dwRowsName(x, s)
	TEXT(name, NOSPLIT, "func(x *float32, left int, rowBytes int, h int, row0 int, zero *float32, w *float32, bias *float32, clamp *[2]float32, y *float32, ldy int, rows int, cols *int64, ncols int, nch int, xStride int, yStride int)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes %dx%d stride-%d depthwise output channels (see asm/dwrows.go).", name, s.k, s.k, s.stride))
	k, R, S := s.k, s.rows, s.stride
	taps := k * k
	inRows := S*(R-1) + k // input rows of a pass of R output rows
	if inRows > len(dwRowPtrs) || k+1 > 7 {
		panic(name + ": too many row pointers or masks")
	}
	// A shift kernel computes up to two column vectors per entry: its
	// accumulators are acc2[c][i] for column vector c and output row i.
	nacc := R
	if s.shift {
		nacc = 2 * R
	}
	if !x.avx512 && s.shift {
		panic(name + ": the shift kernels are AVX-512 only")
	}
	if S == 2 && !s.shift && (x.avx512 || k != 3) {
		panic(name + ": the stride-2 kernel without shifts is AVX2 3x3")
	}
	acc := make([]VecPhysical, R)
	for i := range acc {
		acc[i] = x.vec(i)
	}
	acc2 := [][]VecPhysical{zmm[:R], zmm[R:nacc]}
	// AVX-512: accumulators, weights, two loads, lo and hi; AVX2 keeps its
	// weights in registers, and lo and hi reuse the loads.
	wInRegs := nacc+taps+4 <= x.vecs
	if !x.avx512 {
		wInRegs = nacc+taps+2+(S-1) <= x.vecs // stride 2: a third temporary
		if !wInRegs {
			panic(name + ": an AVX2 kernel keeps its weights in registers")
		}
	}
	var wr []VecPhysical
	next := nacc
	if wInRegs {
		for t := 0; t < taps; t++ {
			wr = append(wr, x.vec(next))
			next++
		}
	}
	v0, v1 := x.vec(next), x.vec(next+1)
	lo, hi := v0, v1
	if x.avx512 {
		lo, hi = zmm[next+2], zmm[next+3]
	}
	// shift: the three row vectors an entry loads, and taps kw = 1..k-1 of
	// each column vector (lo and hi reuse them for the clamp).
	// Stride 2: five row vectors, the even and odd lanes and the even ones
	// shifted by one for each column vector, two permutation indices.
	var rowVecs []VecPhysical
	var shifted [2][]VecPhysical
	var idxEven, idxOdd VecPhysical
	switch {
	case s.shift && S == 2:
		if !wInRegs || k != 3 || next+5+6+2 > 32 {
			panic(name + ": a stride-2 shift kernel is 3x3 with its weights in registers")
		}
		rowVecs = zmm[next : next+5]
		shifted[0] = zmm[next+5 : next+8]
		shifted[1] = zmm[next+8 : next+11]
		idxEven, idxOdd = zmm[next+11], zmm[next+12]
		lo, hi = rowVecs[0], rowVecs[1]
	case s.shift:
		if !wInRegs || next+3+2*(k-1) > 32 {
			panic(name + ": a shift kernel keeps its weights in registers")
		}
		rowVecs = zmm[next : next+3]
		shifted[0] = zmm[next+3 : next+3+k-1]
		shifted[1] = zmm[next+3+k-1 : next+3+2*(k-1)]
		lo, hi = shifted[0][0], shifted[1][0]
	}
	// Locals: the next pass's first input row, rows left, the column list's
	// end; the channel's input, weights, bias and output; channels left.
	locRow, locLeft, locEnd := AllocLocal(8), AllocLocal(8), AllocLocal(8)
	locX, locW, locBias, locY, locCh := AllocLocal(8), AllocLocal(8), AllocLocal(8), AllocLocal(8), AllocLocal(8)
	// The shift kernels prefetch the next channel's input plane while they
	// compute this one, a fixed number of lines a pass: as many as one
	// entry's columns span in a pass's input rows, spread over its rows. The
	// locals hold the next address, the last address a pass may start on
	// and the step. Measured on 14- to 112-pixel planes of 128 to 512
	// channels (the AVX-512 path alone, builds alternated, best 3 of 7
	// rounds): 8% faster on mbv1_dw3x3, 11% on 56x56, 9-21% at stride 2,
	// 0-4% on 14x14 and 112x112. The AVX2 kernels and the AVX-512 5x5 one
	// (whose weights hold R15), bound by their arithmetic and loads, gained
	// nothing from it.
	var locPfNext, locPfLast, locPfStep Mem
	pfPerPass := (inRows*2*S*x.vecSize + 63) / 64
	if s.shift {
		locPfNext, locPfLast, locPfStep = AllocLocal(8), AllocLocal(8), AllocLocal(8)
	}

	Commentf("Registers: accumulators Z0..Z%d (one per output row of a pass and column vector); input row pointers %s..%s;", nacc-1, dwRowPtrs[0].Asm(), dwRowPtrs[inRows-1].Asm())
	if s.shift {
		Commentf("weights %s..%s; row vectors %s..%s, shifted %s..%s; column offset SI; column entry R14; output row R13; scratch CX, R15.",
			wr[0].Asm(), wr[taps-1].Asm(), rowVecs[0].Asm(), rowVecs[2].Asm(), shifted[0][0].Asm(), shifted[1][k-2].Asm())
	} else if wInRegs {
		Commentf("weights %s..%s; loads %s, %s; column offset SI; column entry R14; output row R13; scratch CX, R15.", wr[0].Asm(), wr[taps-1].Asm(), v0.Asm(), v1.Asm())
	} else {
		Commentf("weights broadcast from memory (R15); loads %s, %s; column offset SI; column entry R14; output row R13; scratch CX.", v0.Asm(), v1.Asm())
	}
	Load(Param("cols"), RCX)
	Load(Param("ncols"), RSI)
	IMUL3Q(U8(8*dwColEntry), RSI, RSI)
	ADDQ(RCX, RSI)
	MOVQ(RSI, locEnd)
	for _, a := range []struct {
		name string
		loc  Mem
	}{{"x", locX}, {"w", locW}, {"bias", locBias}, {"y", locY}, {"nch", locCh}} {
		Load(Param(a.name), RCX)
		MOVQ(RCX, a.loc)
	}
	CMPQ(locCh, U8(0))
	JLE(LabelRef(name + "_ret"))

	if S == 2 && s.shift {
		VMOVUPS(evenIndex, idxEven)
		VMOVUPS(oddIndex, idxOdd)
	}
	Comment("Channel loop: nch channels, their inputs xStride bytes apart, outputs yStride.")
	Label(name + "_channel")
	if s.shift {
		Commentf("Prefetch: the next channel's plane (this one's for the last), %d lines a pass from its start.", pfPerPass)
		XORQ(R15, R15)
		Load(Param("xStride"), RCX)
		CMPQ(locCh, U8(1))
		CMOVQGT(RCX, R15)
		ADDQ(locX, R15)
		MOVQ(R15, locPfNext)
		Commentf("Step: the longest of 64, 32, ..., 4 bytes whose %d prefetches fit in the plane, else 0.", pfPerPass)
		Load(Param("h"), RCX)
		IMULQ(param("rowBytes"), RCX)
		DECQ(RCX)
		XORQ(RSI, RSI)
		for _, st := range []int{4, 8, 16, 32, 64} {
			MOVQ(U32(st), R14)
			CMPQ(RCX, U32(st*(pfPerPass-1)))
			CMOVQCC(R14, RSI)
		}
		MOVQ(RSI, locPfStep)
		Comment("The last address a pass may start on: its last prefetch is the plane's last byte.")
		IMUL3Q(U32(pfPerPass-1), RSI, R14)
		SUBQ(R14, RCX)
		ADDQ(R15, RCX)
		MOVQ(RCX, locPfLast)
	}
	MOVQ(locW, R15)
	for t, r := range wr {
		VBROADCASTSS(Mem{Base: R15, Disp: 4 * t}, r)
	}
	Load(Param("row0"), RCX)
	MOVQ(RCX, locRow)
	Load(Param("rows"), RCX)
	MOVQ(RCX, locLeft)
	MOVQ(locY, R13)

	// setRows points row pointer j at input row row0+j, or at the zero row.
	setRows := func(n int) {
		Comment("Row pointers of the pass: input row i = row0 + j, or the zero row outside [0, h).")
		if !wInRegs {
			MOVQ(locW, R15)
		}
		l := fmt.Sprintf("%s_rows%d", name, n)
		Comment("SI: the address of row row0 + j (column -left/4), CX: row0 + j, R14: the zero row.")
		MOVQ(locRow, RCX)
		MOVQ(RCX, RSI)
		IMULQ(param("rowBytes"), RSI)
		ADDQ(locX, RSI)
		SUBQ(param("left"), RSI)
		Load(Param("zero"), R14)
		Comment("Inside the plane (no padding rows): consecutive rows.")
		CMPQ(RCX, U8(0))
		JL(LabelRef(l + "_edge"))
		in := S*(n-1) + k // input rows of the pass
		LEAQ(Mem{Base: RCX, Disp: in}, RDX)
		CMPQ(RDX, param("h"))
		JG(LabelRef(l + "_edge"))
		for j := 0; j < in; j++ {
			MOVQ(RSI, dwRowPtrs[j])
			if j < in-1 {
				ADDQ(param("rowBytes"), RSI)
			}
		}
		JMP(LabelRef(l + "_done"))
		Label(l + "_edge")
		for j := 0; j < in; j++ {
			p := dwRowPtrs[j]
			MOVQ(RSI, p)
			CMPQ(RCX, U8(0))
			CMOVQLT(R14, p)
			CMPQ(RCX, param("h"))
			CMOVQGE(R14, p)
			if j < in-1 {
				ADDQ(param("rowBytes"), RSI)
				INCQ(RCX)
			}
		}
		Label(l + "_done")
	}

	// prefetchStart loads the pass's prefetch pointer (R15) and step (CX),
	// the pointer no later than the last address a pass may start on. The
	// channel loop chose the step (64 bytes, or the longest power of two
	// down to 4 for which pfPerPass-1 steps fit in the plane, else 0) and
	// that last address (the plane's last byte minus pfPerPass-1 steps), so
	// a pass's at most pfPerPass prefetches all land inside the plane, and
	// the passes of a channel touch its lines in order, each line at least
	// once when there are enough of them, the plane's tail last.
	// prefetchEnd keeps the pointer for the next pass. Only the shift
	// passes call these.
	prefetchStart := func() {
		MOVQ(locPfNext, R15)
		CMPQ(R15, locPfLast)
		CMOVQHI(locPfLast, R15)
		MOVQ(locPfStep, RCX)
	}
	// prefetchLines emits pass row j's share of the pass's prefetches.
	prefetchLines := func(j int) {
		for range (j+1)*pfPerPass/inRows - j*pfPerPass/inRows {
			PREFETCHT0(Mem{Base: R15})
			ADDQ(RCX, R15)
		}
	}
	prefetchEnd := func() {
		MOVQ(R15, locPfNext)
	}

	// startColumns sets the accumulators of a shift pass (n rows, nc column
	// vectors) to the bias.
	startColumns := func(n, nc int) {
		MOVQ(locBias, RCX)
		for c := 0; c < nc; c++ {
			for i := 0; i < n; i++ {
				VBROADCASTSS(Mem{Base: RCX}, acc2[c][i])
			}
		}
	}
	// loadRow loads nv row vectors of pass row j from the entry's offset
	// on, vector h with load mask K(h+1) when masked.
	loadRow := func(j, nv int, masked bool) {
		for h := 0; h < nv; h++ {
			src := mem(dwRowPtrs[j], RSI, 64*h)
			if masked {
				VMOVUPS_Z(src, kreg(h+1), rowVecs[h])
			} else {
				VMOVUPS(src, rowVecs[h])
			}
		}
	}
	// finishColumns clamps the accumulators of a shift pass and stores them:
	// output row i of column vector c at R13 + i*ldy + off + 64c, with the
	// column vectors' store masks when masked.
	finishColumns := func(n, nc int, masked bool, off GPPhysical, storeMasks [2]OpmaskPhysical) {
		var out []VecPhysical
		for c := 0; c < nc; c++ {
			out = append(out, acc2[c][:n]...)
		}
		clampAccumulators(RCX, lo, hi, fmt.Sprintf("%s_noclamp_%d_%d_%v", name, n, nc, masked), out...)
		MOVQ(R13, RCX)
		for i := 0; i < n; i++ {
			if i > 0 {
				ADDQ(param("ldy"), RCX)
			}
			for c := 0; c < nc; c++ {
				dst := mem(RCX, off, 64*c)
				if masked {
					VMOVUPS(acc2[c][i], storeMasks[c], dst)
				} else {
					VMOVUPS(acc2[c][i], dst)
				}
			}
		}
	}

	// shift2Pass is shiftPass for stride 2: output column j of a column
	// vector reads input columns 2j+kw from its base, so the taps are the
	// even lanes of two row vectors (kw = 0), the odd ones (kw = 1) and the
	// even ones shifted by one lane with the third vector's first (kw = 2);
	// output row i reads input rows 2i+kh of the pass. The entry holds the
	// load masks of the five row vectors at e[3..7] and the second column
	// vector's store mask at e[8].
	shift2Pass := func(n, nc int, masked bool) {
		MOVQ(Mem{Base: R14}, RSI)
		nv := 2*nc + 1
		if masked {
			KMOVW(Mem{Base: R14, Disp: 16}, K6)
			KMOVW(Mem{Base: R14, Disp: 64}, K7)
			for h := 0; h < nv; h++ {
				KMOVW(Mem{Base: R14, Disp: 24 + 8*h}, kreg(h+1))
			}
		}
		startColumns(n, nc)
		prefetchStart()
		for j := 0; j < S*(n-1)+k; j++ {
			loadRow(j, nv, masked)
			prefetchLines(j)
			for c := 0; c < nc; c++ {
				a, b, cc := rowVecs[2*c], rowVecs[2*c+1], rowVecs[2*c+2]
				ev, od, sh := shifted[c][0], shifted[c][1], shifted[c][2]
				VMOVAPS(a, ev)
				VPERMT2PS(b, idxEven, ev)
				VMOVAPS(a, od)
				VPERMT2PS(b, idxOdd, od)
				VALIGND(U8(1), ev, cc, sh)
			}
			for kw := 0; kw < k; kw++ {
				for kh := 0; kh < k; kh++ {
					if (j-kh)%S != 0 {
						continue
					}
					i := (j - kh) / S
					if j < kh || i >= n {
						continue
					}
					for c := 0; c < nc; c++ {
						VFMADD231PS(shifted[c][kw], wr[kh*k+kw], acc2[c][i])
					}
				}
			}
		}
		prefetchEnd()
		Comment("Output column c is at y + 2c, half the entry's offset.")
		MOVQ(RSI, R15)
		SHRQ(U8(1), R15)
		finishColumns(n, nc, masked, R15, [2]OpmaskPhysical{K6, K7})
	}

	// shiftPass emits the code of one pass of a shift kernel: n output rows
	// of the nc (1 or 2) column vectors of the entry at R14, masked or not.
	shiftPass := func(n, nc int, masked bool) {
		if S == 2 {
			shift2Pass(n, nc, masked)
			return
		}
		MOVQ(Mem{Base: R14}, RSI)
		if masked {
			KMOVW(Mem{Base: R14, Disp: 16}, K4)
			KMOVW(Mem{Base: R14, Disp: 48}, K5)
			for h := 0; h <= nc; h++ {
				KMOVW(Mem{Base: R14, Disp: 24 + 8*h}, kreg(h+1))
			}
		}
		startColumns(n, nc)
		prefetchStart()
		for j := 0; j < n+k-1; j++ {
			loadRow(j, nc+1, masked)
			prefetchLines(j)
			for c := 0; c < nc; c++ {
				for kw := 1; kw < k; kw++ {
					VALIGND(U8(kw), rowVecs[c], rowVecs[c+1], shifted[c][kw-1])
				}
			}
			for kw := 0; kw < k; kw++ {
				for kh := 0; kh < k; kh++ {
					i := j - kh
					if i < 0 || i >= n {
						continue
					}
					for c := 0; c < nc; c++ {
						v := rowVecs[c]
						if kw > 0 {
							v = shifted[c][kw-1]
						}
						VFMADD231PS(v, wr[kh*k+kw], acc2[c][i])
					}
				}
			}
		}
		prefetchEnd()
		Comment("Output column c is at y + 4c, the entry's offset.")
		finishColumns(n, nc, masked, RSI, [2]OpmaskPhysical{K4, K5})
	}

	// finishRows clamps the accumulators of a pass of n rows and stores
	// them: output row i at R13 + i*ldy + off, through the entry's store
	// mask when masked (AVX-512: K(k+1); AVX2: made into the register mask,
	// free after the clamp).
	finishRows := func(n int, masked bool, off GPPhysical, mask VecPhysical) {
		clampAccumulators(RCX, lo, hi, fmt.Sprintf("%s_noclamp_%d_%v", name, n, masked), acc[:n]...)
		if masked && !x.avx512 {
			avx2Mask(Mem{Base: R14, Disp: 16}, mask)
		}
		MOVQ(R13, RCX)
		for i := 0; i < n; i++ {
			if i > 0 {
				ADDQ(param("ldy"), RCX)
			}
			dst := mem(RCX, off, 0)
			switch {
			case masked && x.avx512:
				VMOVUPS(acc[i], kreg(k+1), dst)
			case masked:
				VMASKMOVPS(acc[i], mask, dst)
			default:
				VMOVUPS(acc[i], dst)
			}
		}
	}

	// pass2 is pass at stride 2 (AVX2): output column j of the entry reads
	// padded columns 2j+kw, so tap kw loads the 16 columns from kw on (two
	// vectors, a and b) and takes their even lanes (VSHUFPS within 128-bit
	// halves, then VPERMPD across them); output row i reads pass rows 2i+kh.
	// A masked entry holds, for each kw, the load masks of a and b (the
	// even lanes that are inside the input and belong to an output) at
	// e[3+2kw] and e[4+2kw]; the outputs are at y + 2c, half the entry's
	// offset.
	// AVX2 has no opmasks: a masked pass turns the entry's load masks into
	// vectors once, kept in locMasks (k of them at stride 1, 2k at stride
	// 2), and loads each into a register right before its masked load.
	var locMasks Mem
	if !x.avx512 {
		locMasks = AllocLocal(S * k * x.vecSize)
	}
	pass2 := func(n int, masked bool) {
		a, b, t := v0, v1, x.vec(nacc+taps+2)
		MOVQ(Mem{Base: R14}, RSI)
		if masked {
			Comment("The entry's load masks as vectors, made once for the pass.")
			for m := 0; m < 2*k; m++ {
				avx2Mask(Mem{Base: R14, Disp: 24 + 8*m}, t)
				VMOVDQU(t, locMasks.Offset(m*x.vecSize))
			}
		}
		MOVQ(locBias, RCX)
		for i := 0; i < n; i++ {
			VBROADCASTSS(Mem{Base: RCX}, acc[i])
		}
		for j := 0; j < 2*(n-1)+k; j++ {
			for kw := 0; kw < k; kw++ {
				for h, v := range []VecPhysical{a, b} {
					src := mem(dwRowPtrs[j], RSI, 4*kw+x.vecSize*h)
					if masked {
						VMOVDQU(locMasks.Offset((2*kw+h)*x.vecSize), t)
						VMASKMOVPS(src, t, v)
					} else {
						VMOVUPS(src, v)
					}
				}
				VSHUFPS(U8(0x88), b, a, t)
				VPERMPD(U8(0xD8), t, t)
				for kh := 0; kh < k; kh++ {
					if (j-kh)%2 == 0 && j >= kh && (j-kh)/2 < n {
						VFMADD231PS(t, wr[kh*k+kw], acc[(j-kh)/2])
					}
				}
			}
		}
		Comment("Output column c is at y + 2c, half the entry's offset.")
		MOVQ(RSI, R15)
		SHRQ(U8(1), R15)
		finishRows(n, masked, R15, t)
	}

	// pass emits the code of one pass of n output rows for the column entry
	// at R14, masked or not.
	//
	// AVX2: a masked pass loads each tap's lane mask (locMasks) into v1
	// right before its load (into v0) and makes the store mask after the
	// clamp (in v0).
	pass := func(n int, masked bool) {
		if S == 2 {
			pass2(n, masked)
			return
		}
		MOVQ(Mem{Base: R14}, RSI)
		if masked && !x.avx512 {
			Comment("The entry's load masks as vectors, made once for the pass.")
			for kw := 0; kw < k; kw++ {
				avx2Mask(Mem{Base: R14, Disp: 24 + 8*kw}, v1)
				VMOVDQU(v1, locMasks.Offset(kw*x.vecSize))
			}
		}
		if masked && x.avx512 {
			KMOVW(Mem{Base: R14, Disp: 16}, kreg(k+1))
			for kw := 0; kw < k; kw++ {
				KMOVW(Mem{Base: R14, Disp: 24 + 8*kw}, kreg(kw+1))
			}
		}
		MOVQ(locBias, RCX)
		for i := 0; i < n; i++ {
			VBROADCASTSS(Mem{Base: RCX}, acc[i])
		}
		for j := 0; j < n+k-1; j++ {
			for kw := 0; kw < k; kw++ {
				v := []VecPhysical{v0, v1}[(j*k+kw)%2]
				src := mem(dwRowPtrs[j], RSI, 4*kw)
				switch {
				case masked && x.avx512:
					VMOVUPS_Z(src, kreg(kw+1), v)
				case masked:
					v = v0
					VMOVDQU(locMasks.Offset(kw*x.vecSize), v1)
					VMASKMOVPS(src, v1, v)
				default:
					VMOVUPS(src, v)
				}
				for kh := 0; kh < k; kh++ {
					if i := j - kh; i >= 0 && i < n {
						t := kh*k + kw
						if wInRegs {
							VFMADD231PS(v, wr[t], acc[i])
						} else {
							VFMADD231PS_BCST(Mem{Base: R15, Disp: 4 * t}, v, acc[i])
						}
					}
				}
			}
		}
		Comment("Stores: output column c is at y + 4c, the entry's offset.")
		finishRows(n, masked, RSI, v0)
	}

	// rowLoop emits the passes over every column entry for n output rows,
	// then advances the rows by n.
	rowLoop := func(n int) {
		l := fmt.Sprintf("%s_r%d", name, n)
		setRows(n)
		Load(Param("cols"), R14)
		Label(l + "_col")
		CMPQ(R14, locEnd)
		JGE(LabelRef(l + "_next"))
		if s.shift {
			for nc := 2; nc >= 1; nc-- {
				lc := fmt.Sprintf("%s_c%d", l, nc)
				Label(lc)
				if nc == 2 {
					CMPQ(Mem{Base: R14, Disp: map[int]int{1: 56, 2: 72}[S]}, U8(2))
					JNE(LabelRef(fmt.Sprintf("%s_c%d", l, nc-1)))
				}
				CMPQ(Mem{Base: R14, Disp: 8}, U8(0))
				JNE(LabelRef(lc + "_masked"))
				shiftPass(n, nc, false)
				ADDQ(U8(8*dwColEntry), R14)
				JMP(LabelRef(l + "_col"))
				Label(lc + "_masked")
				shiftPass(n, nc, true)
				ADDQ(U8(8*dwColEntry), R14)
				JMP(LabelRef(l + "_col"))
			}
		} else {
			CMPQ(Mem{Base: R14, Disp: 8}, U8(0))
			JNE(LabelRef(l + "_masked"))
			pass(n, false)
			ADDQ(U8(8*dwColEntry), R14)
			JMP(LabelRef(l + "_col"))
			Label(l + "_masked")
			pass(n, true)
			ADDQ(U8(8*dwColEntry), R14)
			JMP(LabelRef(l + "_col"))
		}
		Label(l + "_next")
		ADDQ(U8(S*n), locRow)
		Load(Param("ldy"), RCX)
		IMUL3Q(U8(n), RCX, RCX)
		ADDQ(RCX, R13)
		SUBQ(U8(n), locLeft)
	}

	Comment("Passes of R rows while R rows are left, then one pass of the rows left.")
	Label(name + "_passes")
	CMPQ(locLeft, U8(R))
	JL(LabelRef(name + "_rest"))
	rowLoop(R)
	JMP(LabelRef(name + "_passes"))
	Label(name + "_rest")
	for n := R - 1; n >= 1; n-- {
		l := fmt.Sprintf("%s_rest%d", name, n)
		CMPQ(locLeft, U8(n))
		JNE(LabelRef(l))
		rowLoop(n)
		JMP(LabelRef(name + "_done"))
		Label(l)
	}
	Label(name + "_done")
	Comment("Next channel.")
	Load(Param("xStride"), RCX)
	ADDQ(RCX, locX)
	Load(Param("yStride"), RCX)
	ADDQ(RCX, locY)
	ADDQ(U8(4*taps), locW)
	ADDQ(U8(4), locBias)
	DECQ(locCh)
	JNZ(LabelRef(name + "_channel"))
	Label(name + "_ret")
	VZEROUPPER()
	RET()
}

// param is the memory operand of an argument, for instructions that take
// it directly.
func param(name string) Mem {
	b, err := Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}
