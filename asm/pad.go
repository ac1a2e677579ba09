package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// genPadCopy writes the row copy that builds the virtual input:
//
//	for r < rows:
//	    dst[r*dstStride/4 + j] = 0                      for j < rowLen
//	    dst[r*dstStride/4 + left + j] = src[r*srcStride/4 + j]   for j < w
//
// with w >= 1 and left + w <= rowLen: each destination row is the source
// row with zeros on both sides. Tails use masks (lanes past w are neither
// read nor written), so src is read only inside its rows.
func genPadCopy(x isa) {
	name := "padCopy" + x.name
	TEXT(name, NOSPLIT, "func(dst *float32, src *float32, rows int, w int, rowLen int, left int, dstStride int, srcStride int)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s copies rows with zero padding (see asm/pad.go).", name))
	L := x.lanes
	zero, v, wmask, lmask := x.vec(0), x.vec(1), x.vec(2), x.vec(3)
	Load(Param("dst"), RDI)
	Load(Param("src"), RSI)
	Load(Param("rows"), RCX)
	Load(Param("w"), R8)
	Load(Param("rowLen"), R9)
	Load(Param("left"), R10)
	Load(Param("dstStride"), R11)
	Load(Param("srcStride"), R12)
	SHLQ(U8(2), R10) // left in bytes
	zeroVec(x, zero)
	Comment("Lane masks of the last (partial) vector of w and of rowLen.")
	tailMask(x, R8, RAX, K1, wmask)
	tailMask(x, R9, RAX, K2, lmask)
	TESTQ(RCX, RCX)
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
	Comment("Copy w values to left.")
	LEAQ(mem(RDI, R10, 0), RDX)
	MOVQ(U32(0), RAX)
	MOVQ(R8, RBX)
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
	if x.avx512 {
		VMOVUPS_Z(mem(RSI, RAX, 0), K1, v)
	} else {
		VMASKMOVPS(mem(RSI, RAX, 0), wmask, v)
	}
	maskedStore(x, v, K1, wmask, mem(RDX, RAX, 0))
	Label(name + "_next")
	ADDQ(R11, RDI)
	ADDQ(R12, RSI)
	DECQ(RCX)
	JNZ(LabelRef(name + "_row"))
	Label(name + "_done")
	VZEROUPPER()
	RET()
}

// zeroVec clears a register of either width.
func zeroVec(x isa, r VecPhysical) { zero(x, r) }

// tailMask sets k (AVX-512) or m (AVX2) to the lanes of the last partial
// vector of n elements: (1 << (n % lanes)) - 1.
func tailMask(x isa, n, tmp GPPhysical, k OpmaskPhysical, m VecPhysical) {
	MOVQ(n, RCX) // the shift count must be in CL
	ANDQ(U8(x.lanes-1), RCX)
	MOVQ(U32(1), tmp)
	SHLQ(CL, tmp)
	DECQ(tmp)
	if x.avx512 {
		KMOVW(tmp.As32(), k)
	} else {
		VMOVQ(tmp, m.AsX())
		VPBROADCASTD(m.AsX(), m)
		VPAND(maskBits, m, m)
		VPCMPEQD(maskBits, m, m)
	}
	Load(Param("rows"), RCX)
}

func maskedStore(x isa, v VecPhysical, k OpmaskPhysical, m VecPhysical, dst Mem) {
	if x.avx512 {
		VMOVUPS(v, k, dst)
	} else {
		VMASKMOVPS(v, m, dst)
	}
}
