package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// maskBits is the constant vector {1, 2, 4, ..., 128}: AND-ing a broadcast
// bit mask with it and comparing for equality gives the AVX2 lane mask of
// VMASKMOVPS (all ones in lanes whose bit is set).
var maskBits Mem

func genConstants() {
	maskBits = GLOBL("maskbits", RODATA|NOPTR)
	for i := 0; i < 8; i++ {
		DATA(4*i, U32(1<<i))
	}
}

// avx2Mask turns the low 8 bits of the 32-bit value at m into a lane mask.
func avx2Mask(m Op, dst VecPhysical) {
	VPBROADCASTD(m, dst)
	VPAND(maskBits, dst, dst)
	VPCMPEQD(maskBits, dst, dst)
}

// genPixels writes the pixel-lane GEMM micro-kernel with MR = mr output
// channels and v vectors of pixels:
//
//	for p in the tile's v*lanes pixels, i < MR:
//	    acc[i][p] = bias[i] + sum_{k<K} A[k*MR + i] * B[off[k]/4 + p]
//	    y = min(max(acc, lo), hi)     (no clamp when clamp is nil)
//	    stored through the tile's segment list (below)
//
// A is a weight panel packed k-major (MR values per k, zero rows past the
// layer's channels), B the virtual input at the tile's first pixel, offs the
// K byte offsets of the im2col rows. The last vector loads only the lanes
// set in lastMask, so no lane past the end of the computed grid is read.
//
// Output rows of the computed grid are Wq wide but only OW of them are real
// outputs, so a vector's lanes map to at most a few runs of output pixels.
// segs lists, for each vector in turn, a count and then (byte offset, lane
// mask) pairs: the vector is stored for each pair with that mask at
// c + offset + i*ldc, for rows i < m. Masked-off lanes are neither read nor
// written, and every store is a merge-masked one. A list (-1, offset) says
// that the tile is one run of whole vectors, stored at c + offset + i*ldc
// without masks: the common case, with a short epilogue.
//
// One call computes ntiles (>= 1) tiles of consecutive output channels over
// the same pixels: tile t takes its weights from the panel after tile t-1's
// (A + 4*t*MR*K bytes), its bias from bias + 4*t*MR, writes rows from
// c + t*MR*ldc, and stores its rows below m - t*MR. A call per output
// channel chunk instead of per tile spares the call, and lets one tile's
// stores overlap the next one's first steps.
//
// Each k step of the last tile also prefetches into L1 (PREFETCHT0) the
// same im2col row of the pixels the next call reads: the lines at
// pf + off[k] + min(64*j, pfLast) for j < ceil(v*vecSize/64), so that no
// prefetch leaves the bytes [pf + off[k], pf + off[k] + pfLast]. The caller
// passes the next tile's first pixel and the byte offset of its last one (a
// call with nothing to prefetch passes pf = b and pfLast = 0: lines it loads
// itself); the earlier tiles prefetch lines they load themselves, so that
// the loop has one form. The input of a 1x1 layer read in place is a row
// per channel, more streams than the hardware prefetchers follow, and comes
// from L3 each call: measured on Zen 5, the 56x56 1x1 layers' median suite
// run went up by 4-7 points of the peak with a prefetch into L2 in the
// first tile. In the last tile, the next pixels' row k arrives as the
// tile reads this tile's row k for the last time, so it replaces lines that
// are done with rather than sharing L1 with the rows the other tiles still
// read; with PREFETCHT0 there the next call's first tile finds its input
// in L1 (in the first tile T0 had run no faster than T1). Measured on
// Zen 5 in alternated builds, r50_2a_1x1 gained about 1 point of the peak
// from the move and about 0.7 more from T0. MR = 1 kernels (memory mode) do
// not prefetch.
func genPixels(x isa, mr, v int) {
	name := pixelName(x, mr, v)
	TEXT(name, NOSPLIT, "func(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64, ntiles int, pf *float32, pfLast int)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes a %d x %d pixel-lane GEMM tile (see asm/pixels.go).", name, mr, v*x.lanes))

	memMode := mr == 1 // B is used once per k: fold the load into the FMA
	g := pixelRegs{x: x, mr: mr, v: v, memMode: memMode}
	g.alloc()

	Commentf("Registers: A=SI (weights, %d bytes per k), B=DI, offsets=R8, k=CX.", 4*mr)
	if memMode {
		Commentf("%s..%s accumulate the %d vectors; %s holds the broadcast weight.", g.acc[0][0].Asm(), g.acc[0][v-1].Asm(), v, g.bc[0].Asm())
	} else {
		Commentf("%s..%s accumulate (row i, vector j at i*%d+j); %s..%s hold the inputs of one k; %s broadcasts.",
			g.acc[0][0].Asm(), g.acc[mr-1][v-1].Asm(), v, g.b[0].Asm(), g.b[v-1].Asm(), g.bc[0].Asm())
	}
	// Locals: the tile's weights, bias, output and rows left; tiles left.
	g.locA, g.locBias, g.locC, g.locM, g.locN = AllocLocal(8), AllocLocal(8), AllocLocal(8), AllocLocal(8), AllocLocal(8)
	g.locPf, g.locPfLast = AllocLocal(8), AllocLocal(8)
	for _, a := range []struct {
		name string
		loc  Mem
	}{{"a", g.locA}, {"bias", g.locBias}, {"c", g.locC}, {"m", g.locM}, {"ntiles", g.locN}, {"pf", g.locPf}, {"pfLast", g.locPfLast}} {
		Load(Param(a.name), RAX)
		MOVQ(RAX, a.loc)
	}
	CMPQ(g.locN, U8(0))
	JLE(LabelRef(name + "_ret"))
	Load(Param("b"), RDI)
	Label(name + "_tile")
	MOVQ(g.locA, RSI)
	Load(Param("offs"), R8)
	Load(Param("k"), RCX)
	if !memMode {
		g.prefetchBases(name)
	}
	Load(Param("lastMask"), RAX)
	Comment("The sums start from the bias: acc[i][*] = bias[i].")
	MOVQ(g.locBias, R10)
	for i := range g.acc {
		VBROADCASTSS(Mem{Base: R10, Disp: 4 * i}, g.acc[i][0])
		for j := 1; j < g.v; j++ {
			VMOVAPS(g.acc[i][0], g.acc[i][j])
		}
	}

	if x.avx512 {
		KMOVW(EAX, K1)
		g.loop(name, true)
	} else {
		CMPQ(RAX, U8(0xff))
		JNE(LabelRef(name + "_masked"))
		g.loop(name+"_full", false)
		JMP(LabelRef(name + "_epilogue"))
		Label(name + "_masked")
		VMOVQ(RAX, g.mask.AsX())
		VPBROADCASTD(g.mask.AsX(), g.mask)
		VPAND(maskBits, g.mask, g.mask)
		VPCMPEQD(maskBits, g.mask, g.mask)
		g.loop(name+"_masked", true)
	}
	Label(name + "_epilogue")
	g.epilogue(name)
	Comment("Next tile: MR channels further.")
	DECQ(g.locN)
	JZ(LabelRef(name + "_ret"))
	ADDQ(U8(4*mr), g.locBias)
	Load(Param("k"), RAX)
	SHLQ(U8(2), RAX)
	IMUL3Q(U8(mr), RAX, RAX)
	ADDQ(RAX, g.locA)
	Load(Param("ldc"), RAX)
	IMUL3Q(U8(mr), RAX, RAX)
	ADDQ(RAX, g.locC)
	SUBQ(U8(mr), g.locM)
	JMP(LabelRef(name + "_tile"))
	Label(name + "_ret")
	VZEROUPPER()
	RET()
}

// pfRegs hold the prefetch bases pf + min(64*j, pfLast), line j of the
// next tile's row.
var pfRegs = []GPPhysical{R14, R15, RBX}

// prefetchLines is how many lines of one im2col row a tile's v vectors span.
func (g *pixelRegs) prefetchLines() int { return ceilDiv(g.v*g.x.vecSize, 64) }

// prefetchBases loads the prefetch bases: from locPf and locPfLast for the
// call's last tile (locN = 1), from b and 0 for the others. (RAX is free:
// the epilogue, which uses RBX, has not started or is over.)
func (g *pixelRegs) prefetchBases(name string) {
	n := g.prefetchLines()
	Commentf("Prefetch bases: %s = pf + min(64*j, pfLast) for lines j < %d of the next tile's row", regList(pfRegs[:n]), n)
	Comment("in the last tile; b and 0 (lines this tile loads) in the others.")
	MOVQ(RDI, pfRegs[0])
	if n > 1 {
		XORL(EAX, EAX)
	}
	CMPQ(g.locN, U8(1))
	JNE(LabelRef(name + "_pfbases"))
	MOVQ(g.locPf, pfRegs[0])
	if n > 1 {
		MOVQ(g.locPfLast, RAX)
	}
	Label(name + "_pfbases")
	for j := 1; j < n; j++ {
		r := pfRegs[j]
		MOVQ(U32(64*j), r)
		CMPQ(RAX, r)
		CMOVQLT(RAX, r)
		ADDQ(pfRegs[0], r)
	}
}

type pixelRegs struct {
	x       isa
	mr, v   int
	memMode bool
	acc     [][]VecPhysical // [row][vector]
	b       []VecPhysical   // one k's input vectors (register mode)
	bc      []VecPhysical   // broadcast weights
	tmp     VecPhysical     // AVX2 memory mode: masked load target
	mask    VecPhysical     // AVX2: lane mask of the last vector
	free    []VecPhysical   // registers free after the k loop

	locA, locBias, locC, locM, locN Mem // per-tile arguments, as locals
	locPf, locPfLast                Mem // the next call's pixels (see prefetchBases)
}

func (g *pixelRegs) alloc() {
	n := 0
	next := func() VecPhysical { r := g.x.vec(n); n++; return r }
	g.acc = make([][]VecPhysical, g.mr)
	for i := range g.acc {
		for j := 0; j < g.v; j++ {
			g.acc[i] = append(g.acc[i], next())
		}
	}
	start := n
	if !g.memMode {
		for j := 0; j < g.v; j++ {
			g.b = append(g.b, next())
		}
	}
	g.bc = append(g.bc, next())
	if !g.x.avx512 {
		g.mask = next()
		if g.memMode {
			g.tmp = next()
		}
	}
	if n < g.x.vecs {
		g.bc = append(g.bc, next()) // a second broadcast register, when one is left
	}
	if n > g.x.vecs {
		panic(fmt.Sprintf("%s: %d vector registers needed", pixelName(g.x, g.mr, g.v), n))
	}
	for i := start; i < n; i++ {
		g.free = append(g.free, g.x.vec(i))
	}
}

// loop writes the k loop, unrolled by two. masked: the last vector loads
// only the lanes of the mask (K1 on AVX-512, g.mask on AVX2).
func (g *pixelRegs) loop(label string, masked bool) {
	Commentf("k loop, two steps per iteration (masked last vector: %v).", masked)
	SUBQ(U8(2), RCX)
	JL(LabelRef(label + "_tail"))
	Label(label + "_loop")
	MOVQ(Mem{Base: R8}, R9)
	MOVQ(Mem{Base: R8, Disp: 8}, R10)
	g.step(R9, 0, 0, masked)
	g.step(R10, 4*g.mr, 1, masked)
	ADDQ(U8(16), R8)
	ADDQ(U32(8*g.mr), RSI)
	SUBQ(U8(2), RCX)
	JGE(LabelRef(label + "_loop"))
	Label(label + "_tail")
	ADDQ(U8(2), RCX)
	JZ(LabelRef(label + "_done"))
	MOVQ(Mem{Base: R8}, R9)
	g.step(R9, 0, 0, masked)
	Label(label + "_done")
}

// step accumulates one k: off holds the byte offset of its im2col row, the
// weights are at SI+adisp.
func (g *pixelRegs) step(off Register, adisp, parity int, masked bool) {
	x := g.x
	last := g.v - 1
	if g.memMode {
		bc := g.bc[parity%len(g.bc)]
		VBROADCASTSS(Mem{Base: RSI, Disp: adisp}, bc)
		for j := 0; j < g.v; j++ {
			src := mem(RDI, off, j*x.vecSize)
			switch {
			case j < last || !masked:
				VFMADD231PS(src, bc, g.acc[0][j])
			case x.avx512:
				VFMADD231PS(src, bc, K1, g.acc[0][j])
			default:
				VMASKMOVPS(src, g.mask, g.tmp)
				VFMADD231PS(g.tmp, bc, g.acc[0][j])
			}
		}
		return
	}
	for j := 0; j < g.v; j++ {
		src := mem(RDI, off, j*x.vecSize)
		switch {
		case j < last || !masked:
			VMOVUPS(src, g.b[j])
		case x.avx512:
			VMOVUPS_Z(src, K1, g.b[j])
		default:
			VMASKMOVPS(src, g.mask, g.b[j])
		}
	}
	for j := 0; j < g.prefetchLines(); j++ {
		PREFETCHT0(mem(pfRegs[j], off, 0))
	}
	for i := 0; i < g.mr; i++ {
		bc := g.bc[i%len(g.bc)]
		VBROADCASTSS(Mem{Base: RSI, Disp: adisp + 4*i}, bc)
		for j := 0; j < g.v; j++ {
			VFMADD231PS(g.b[j], bc, g.acc[i][j])
		}
	}
}

// epilogue adds the bias, clamps and stores through the segment list.
func (g *pixelRegs) epilogue(label string) {
	x := g.x
	Comment("Epilogue: clamp unless clamp is nil (NaN passes: the accumulator is the second source), stores.")
	clampAccumulators(R10, g.free[0], g.free[1], label+"_stores", flatten(g.acc)...)
	MOVQ(g.locC, RDX)
	Load(Param("ldc"), R11)
	MOVQ(g.locM, R12)
	Load(Param("segs"), R13)
	Comment("A list that starts with -1 is one contiguous run of whole vectors at the offset that follows.")
	MOVQ(Mem{Base: R13}, RAX)
	CMPQ(RAX, I8(-1))
	JNE(LabelRef(label + "_segments"))
	MOVQ(Mem{Base: R13, Disp: 8}, RBX)
	LEAQ(mem(RDX, RBX, 0), R9)
	g.storeRows(label+"_end", func(i int) {
		for j := 0; j < g.v; j++ {
			VMOVUPS(g.acc[i][j], Mem{Base: R9, Disp: j * x.vecSize})
		}
	})
	JMP(LabelRef(label + "_end"))
	Label(label + "_segments")
	mask := g.free[0]
	for j := 0; j < g.v; j++ {
		l := fmt.Sprintf("%s_v%d", label, j)
		Commentf("Vector %d: count, then (offset, mask) pairs.", j)
		MOVQ(Mem{Base: R13}, RAX)
		ADDQ(U8(8), R13)
		Label(l + "_seg")
		TESTQ(RAX, RAX)
		JZ(LabelRef(l + "_end"))
		MOVQ(Mem{Base: R13}, RBX)
		if x.avx512 {
			KMOVW(Mem{Base: R13, Disp: 8}, K2)
		} else {
			avx2Mask(Mem{Base: R13, Disp: 8}, mask)
		}
		ADDQ(U8(16), R13)
		LEAQ(mem(RDX, RBX, 0), R9)
		g.storeRows(l+"_next", func(i int) {
			if x.avx512 {
				VMOVUPS(g.acc[i][j], K2, Mem{Base: R9})
			} else {
				VMASKMOVPS(g.acc[i][j], mask, Mem{Base: R9})
			}
		})
		Label(l + "_next")
		DECQ(RAX)
		JMP(LabelRef(l + "_seg"))
		Label(l + "_end")
	}
	Label(label + "_end")
}

// storeRows emits store(i) for each row i < m (R12), R9 pointing at row i
// (it starts at row 0 and steps by ldc, R11), jumping to done past the last
// valid row.
func (g *pixelRegs) storeRows(done string, store func(i int)) {
	for i := 0; i < g.mr; i++ {
		if i > 0 {
			CMPQ(R12, U8(i))
			JLE(LabelRef(done))
			ADDQ(R11, R9)
		}
		store(i)
	}
}
