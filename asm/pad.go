package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// evenIndex and oddIndex are the VPERMT2PS index vectors {0, 2, ..., 30}
// and {1, 3, ..., 31}: the even and the odd elements of two concatenated
// zmm registers.
var evenIndex, oddIndex Mem

func genPadConstants() {
	evenIndex = GLOBL("evenindex", RODATA|NOPTR)
	for i := 0; i < 16; i++ {
		DATA(4*i, U32(2*i))
	}
	oddIndex = GLOBL("oddindex", RODATA|NOPTR)
	for i := 0; i < 16; i++ {
		DATA(4*i, U32(2*i+1))
	}
}

func padCopyName(x isa, step int) string {
	if step == 1 {
		return "padCopy" + x.name
	}
	return fmt.Sprintf("padCopy%d%s", step, x.name)
}

// genPadCopy writes the row copy that builds the virtual input:
//
//	for r < rows:
//	    dst[r*dstStride/4 + j] = 0                                    for j < rowLen
//	    dst[r*dstStride/4 + left + j] = src[r*srcStride/4 + step*j]   for j < w
//
// with w >= 1 and left + w <= rowLen: each destination row is the source
// row (every element, or with step 2 every other one: one column phase of a
// stride-2 layer) with zeros on both sides. Tails use masks (lanes past the
// last source element step*(w-1) are neither read nor written), so src is
// read only inside its rows.
//
// With step 2 a vector of outputs is the even elements of two source
// vectors: VPERMT2PS on AVX-512, VSHUFPS and VPERMPD on AVX2.
func genPadCopy(x isa, step int) {
	name := padCopyName(x, step)
	TEXT(name, NOSPLIT, "func(dst *float32, src *float32, rows int, w int, rowLen int, left int, dstStride int, srcStride int)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s copies rows (source step %d) with zero padding (see asm/pad.go).", name, step))
	L := x.lanes
	zero, v, v2, lmask := x.vec(0), x.vec(1), x.vec(2), x.vec(3)
	wmask, amask, bmask, idx := x.vec(4), x.vec(5), x.vec(6), x.vec(7)
	Load(Param("dst"), RDI)
	Load(Param("src"), RSI)
	Load(Param("w"), R8)
	Load(Param("rowLen"), R9)
	Load(Param("left"), R10)
	Load(Param("dstStride"), R11)
	Load(Param("srcStride"), R12)
	SHLQ(U8(2), R10) // left in bytes
	zeroVec(x, zero)
	Comment("Lane masks of the last (partial) vector of rowLen and of w.")
	laneMask(x, R9, false, K2, lmask)
	if step == 1 {
		laneMask(x, R8, false, K1, wmask)
	} else {
		Comment("The last vector of outputs has 1..lanes of them (R13): they read 2*R13-1")
		Comment("source elements, the first lanes of them from the first source vector.")
		MOVQ(R8, R13)
		DECQ(R13)
		ANDQ(U8(L-1), R13)
		INCQ(R13)
		laneMask(x, R13, true, K1, wmask)
		LEAQ(Mem{Base: R13, Index: R13, Scale: 1, Disp: -1}, R14)
		MOVQ(U32(L), R15)
		CMPQ(R14, R15)
		CMOVQGT(R15, R14)
		laneMask(x, R14, true, K3, amask)
		LEAQ(Mem{Base: R13, Index: R13, Scale: 1, Disp: -1 - L}, R14)
		XORQ(R15, R15)
		CMPQ(R14, R15)
		CMOVQLT(R15, R14)
		laneMask(x, R14, true, K4, bmask)
		if x.avx512 {
			VMOVUPS(evenIndex, idx)
		}
	}
	Load(Param("rows"), R15)
	TESTQ(R15, R15)
	JZ(LabelRef(name + "_done"))
	Label(name + "_row")
	Comment("Zero the whole row: full vectors, then the masked tail.")
	MOVQ(U32(0), RAX)
	MOVQ(R9, RBX)
	Label(name + "_zero")
	CMPQ(RBX, U8(L))
	JL(LabelRef(name + "_zerotail"))
	VMOVUPS(zero, mem(RDI, RAX, 0))
	ADDQ(U8(4*L), RAX)
	SUBQ(U8(L), RBX)
	JMP(LabelRef(name + "_zero"))
	Label(name + "_zerotail")
	TESTQ(RBX, RBX)
	JZ(LabelRef(name + "_copy"))
	maskedStore(x, zero, K2, lmask, mem(RDI, RAX, 0))
	Label(name + "_copy")
	Commentf("Copy w values to left, from every %s source element.", map[int]string{1: "", 2: "other"}[step])
	LEAQ(mem(RDI, R10, 0), RDX)
	MOVQ(U32(0), RAX)
	MOVQ(R8, RBX)
	if step == 1 {
		Label(name + "_copyloop")
		CMPQ(RBX, U8(L))
		JL(LabelRef(name + "_copytail"))
		VMOVUPS(mem(RSI, RAX, 0), v)
		VMOVUPS(v, mem(RDX, RAX, 0))
		ADDQ(U8(4*L), RAX)
		SUBQ(U8(L), RBX)
		JMP(LabelRef(name + "_copyloop"))
		Label(name + "_copytail")
		TESTQ(RBX, RBX)
		JZ(LabelRef(name + "_next"))
		maskedLoad(x, mem(RSI, RAX, 0), K1, wmask, v)
		maskedStore(x, v, K1, wmask, mem(RDX, RAX, 0))
	} else {
		Comment("Whole vectors while more than one vector of outputs is left (their 2*lanes")
		Comment("source elements are all needed), then the last 1..lanes outputs.")
		MOVQ(RSI, R14)
		Label(name + "_copyloop")
		CMPQ(RBX, U8(L))
		JLE(LabelRef(name + "_copytail"))
		VMOVUPS(Mem{Base: R14}, v)
		VMOVUPS(Mem{Base: R14, Disp: x.vecSize}, v2)
		evens(x, v, v2, idx)
		VMOVUPS(v, mem(RDX, RAX, 0))
		ADDQ(U8(4*L), RAX)
		ADDQ(U8(8*L), R14)
		SUBQ(U8(L), RBX)
		JMP(LabelRef(name + "_copyloop"))
		Label(name + "_copytail")
		maskedLoad(x, Mem{Base: R14}, K3, amask, v)
		maskedLoad(x, Mem{Base: R14, Disp: x.vecSize}, K4, bmask, v2)
		evens(x, v, v2, idx)
		maskedStore(x, v, K1, wmask, mem(RDX, RAX, 0))
	}
	Label(name + "_next")
	ADDQ(R11, RDI)
	ADDQ(R12, RSI)
	DECQ(R15)
	JNZ(LabelRef(name + "_row"))
	Label(name + "_done")
	VZEROUPPER()
	RET()
}

// evens sets a to the even elements of a and b concatenated (a's first).
func evens(x isa, a, b, idx VecPhysical) {
	if x.avx512 {
		VPERMT2PS(b, idx, a)
		return
	}
	VSHUFPS(U8(0x88), b, a, a) // a0 a2 b0 b2 | a4 a6 b4 b6
	VPERMPD(U8(0xd8), a, a)    // a0 a2 a4 a6 b0 b2 b4 b6
}

// zeroVec clears a register of either width.
func zeroVec(x isa, r VecPhysical) { zero(x, r) }

// laneMask sets k (AVX-512) or m (AVX2) to the first n lanes, n in the
// register. Unless exact, n counts elements and only n % lanes matters (a
// remainder of 0 gives no lanes: the tail of a whole number of vectors);
// exact takes n as it is, 0..lanes. CX is clobbered (a shift count must be
// in CL).
func laneMask(x isa, n GPPhysical, exact bool, k OpmaskPhysical, m VecPhysical) {
	MOVQ(n, RCX)
	if !exact {
		ANDQ(U8(x.lanes-1), RCX)
	}
	MOVQ(U32(1), RAX)
	SHLQ(CL, RAX)
	DECQ(RAX)
	if x.avx512 {
		KMOVW(EAX, k)
	} else {
		VMOVQ(RAX, m.AsX())
		VPBROADCASTD(m.AsX(), m)
		VPAND(maskBits, m, m)
		VPCMPEQD(maskBits, m, m)
	}
}

func maskedLoad(x isa, src Mem, k OpmaskPhysical, m, dst VecPhysical) {
	if x.avx512 {
		VMOVUPS_Z(src, k, dst)
	} else {
		VMASKMOVPS(src, m, dst)
	}
}

func maskedStore(x isa, v VecPhysical, k OpmaskPhysical, m VecPhysical, dst Mem) {
	if x.avx512 {
		VMOVUPS(v, k, dst)
	} else {
		VMASKMOVPS(v, m, dst)
	}
}
