package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// dwRowsShape is a depthwise kernel specialised for a k x k kernel with
// stride 1 and dilation 1, computing rows output rows per pass.
type dwRowsShape struct{ k, rows int }

// The specialised depthwise kernels (AVX-512): 3x3 with 7 rows per pass (9
// weights and 7 accumulators in registers, 9 input-row pointers), 5x5 with
// 5 rows (weights broadcast from memory, 9 row pointers).
var dwRowsShapes = []dwRowsShape{{3, 7}, {5, 5}}

func dwRowsName(x isa, s dwRowsShape) string {
	return fmt.Sprintf("dwrows%s_%dx%d", x.name, s.k, s.k)
}

var dwRowPtrs = []GPPhysical{RAX, RBX, RDX, RDI, R8, R9, R10, R11, R12}

// genDepthwiseRows writes a depthwise kernel for one output channel of a
// k x k, stride-1, dilation-1 convolution over a zero-padded input plane:
//
//	for every output row r < rows and column c < cols:
//	    y[r*ldy/4 + c] = clamp(bias + sum_{kh,kw} w[kh*k+kw] * x[(r+kh)*rowBytes/4 + c + kw])
//
// x is the padded plane (its row r+kh holds what output row r needs for tap
// kh), y the output plane. It works on passes of R output rows and one
// vector of 16 columns: each of the R+k-1 input rows is loaded once per
// column shift kw and feeds every output row of the pass that reads it (up
// to k of them), so a pass makes (R+k-1)*k loads for R*k*k multiply-adds
// instead of one load per multiply-add. Leftover rows (rows % R) take
// one-row passes; the last column vector (cols % 16 lanes) uses masked
// loads and stores, so nothing outside the rows and columns is read or
// written. fullBytes = 64*(cols/16) and tailMask = lanes of the partial
// vector (0: none).
func genDepthwiseRows(x isa, s dwRowsShape) {
	name := dwRowsName(x, s)
	TEXT(name, NOSPLIT, "func(x *float32, rowBytes int, w *float32, bias *float32, clamp *[2]float32, y *float32, ldy int, rows int, fullBytes int, tailMask int)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes a %dx%d stride-1 depthwise output channel (see asm/dwrows.go).", name, s.k, s.k))
	k, R := s.k, s.rows
	taps := k * k
	inRows := R + k - 1
	if inRows > len(dwRowPtrs) {
		panic(name + ": too many row pointers")
	}
	acc := make([]VecPhysical, R)
	for i := range acc {
		acc[i] = zmm[i]
	}
	wInRegs := R+taps+4 <= 32 // accumulators, weights, two loads, lo and hi
	var wr []VecPhysical
	next := R
	if wInRegs {
		for t := 0; t < taps; t++ {
			wr = append(wr, zmm[next])
			next++
		}
	}
	v0, v1 := zmm[next], zmm[next+1]
	lo, hi := zmm[next+2], zmm[next+3]
	Commentf("Registers: accumulators Z0..Z%d (one per output row of a pass); input row pointers %s..%s;", R-1, dwRowPtrs[0].Asm(), dwRowPtrs[inRows-1].Asm())
	if wInRegs {
		Commentf("weights %s..%s; loads %s, %s; column offset SI; output row pointer R13; rows left R14.", wr[0].Asm(), wr[taps-1].Asm(), v0.Asm(), v1.Asm())
	} else {
		Commentf("weights broadcast from memory (R15); loads %s, %s; column offset SI; output row pointer R13; rows left R14.", v0.Asm(), v1.Asm())
	}
	Load(Param("w"), R15)
	for t, r := range wr {
		VBROADCASTSS(Mem{Base: R15, Disp: 4 * t}, r)
	}
	Load(Param("tailMask"), RCX)
	KMOVW(ECX, K1)
	Load(Param("x"), dwRowPtrs[0])
	Load(Param("rowBytes"), RSI)
	for j := 1; j < inRows; j++ {
		LEAQ(mem(dwRowPtrs[j-1], RSI, 0), dwRowPtrs[j])
	}
	Load(Param("y"), R13)
	Load(Param("rows"), R14)

	// pass emits the code of one pass of n output rows at column offset
	// SI, masked or not.
	pass := func(n int, masked bool) {
		Load(Param("bias"), RCX)
		for i := 0; i < n; i++ {
			VBROADCASTSS(Mem{Base: RCX}, acc[i])
		}
		for j := 0; j < n+k-1; j++ {
			for kw := 0; kw < k; kw++ {
				v := []VecPhysical{v0, v1}[(j*k+kw)%2]
				src := mem(dwRowPtrs[j], RSI, 4*kw)
				if masked {
					VMOVUPS_Z(src, K1, v)
				} else {
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
		Load(Param("clamp"), RCX)
		TESTQ(RCX, RCX)
		l := fmt.Sprintf("%s_noclamp_%d_%v", name, n, masked)
		JZ(LabelRef(l))
		VBROADCASTSS(Mem{Base: RCX}, lo)
		VBROADCASTSS(Mem{Base: RCX, Disp: 4}, hi)
		for i := 0; i < n; i++ {
			VMAXPS(acc[i], lo, acc[i])
			VMINPS(acc[i], hi, acc[i])
		}
		Label(l)
		MOVQ(R13, RCX)
		for i := 0; i < n; i++ {
			if i > 0 {
				ADDQ(NewParamAddr("ldy", 48), RCX)
			}
			dst := mem(RCX, RSI, 0)
			if masked {
				VMOVUPS(acc[i], K1, dst)
			} else {
				VMOVUPS(acc[i], dst)
			}
		}
	}

	// rowLoop emits the passes over all column vectors for n output rows,
	// then advances the row pointers, the output pointer and R14 by n rows.
	rowLoop := func(n int) {
		l := fmt.Sprintf("%s_r%d", name, n)
		XORQ(RSI, RSI)
		Label(l + "_vec")
		CMPQ(RSI, NewParamAddr("fullBytes", 64))
		JGE(LabelRef(l + "_tail"))
		pass(n, false)
		ADDQ(U8(64), RSI)
		JMP(LabelRef(l + "_vec"))
		Label(l + "_tail")
		Load(Param("tailMask"), RCX)
		TESTQ(RCX, RCX)
		JZ(LabelRef(l + "_next"))
		pass(n, true)
		Label(l + "_next")
		Comment("Next rows: advance the row pointers and the output pointer.")
		Load(Param("rowBytes"), RCX)
		IMUL3Q(U8(n), RCX, RCX)
		for j := 0; j < inRows; j++ {
			ADDQ(RCX, dwRowPtrs[j])
		}
		Load(Param("ldy"), RCX)
		IMUL3Q(U8(n), RCX, RCX)
		ADDQ(RCX, R13)
		SUBQ(U8(n), R14)
	}

	Comment("Passes of R rows while R rows are left, then one row at a time.")
	Label(name + "_passes")
	CMPQ(R14, U8(R))
	JL(LabelRef(name + "_single"))
	rowLoop(R)
	JMP(LabelRef(name + "_passes"))
	Label(name + "_single")
	TESTQ(R14, R14)
	JZ(LabelRef(name + "_done"))
	rowLoop(1)
	JMP(LabelRef(name + "_single"))
	Label(name + "_done")
	VZEROUPPER()
	RET()
}
