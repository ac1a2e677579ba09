//go:build !purego

// NEON (arm64 Advanced SIMD) GEMM micro-kernels for simdconv, written by hand.
// They implement the same contracts as the generated amd64 kernels (see
// asm/pixels.go and asm/channels.go): the Go driver (kernels/simd.go) calls
// them through the table in conv_arm64.go.
//
// Pixel-lane kernels, gemmNEON_<MR>x<pixels>:
//
//	for p < 4v, i < MR:
//	    acc[i][p] = bias[i] + sum_{k<K} A[k*MR + i] * B[off[k]/4 + p]
//	    y = min(max(acc, lo), hi)    (no clamp when clamp is nil; NaN passes)
//	    stored through the tile's segment list, rows i < m
//
//	MR = 8, v = 1..3  (8x4, 8x8, 8x12): 8v accumulators, weights of one k
//	                  in two vectors, broadcast by by-element FMLA.
//	MR = 1, v = 1..16 (1x4 .. 1x64):   depthwise; the weights of four k in
//	                  one vector, one lane per k.
//
// NEON has no masked loads or stores. A partial last vector (lastMask != 0xF,
// always a prefix of lanes) is loaded lane by lane in a separate, slower k
// loop (LOADLAST); stores go through pixStoreNEON, which stores whole vectors
// for mask 0xF and single lanes otherwise. No element outside the lanes the
// contract allows is read or written.
//
// Channel-lane kernels, gemmtNEON_<4v>x<NR>: v vectors of 4 output channels
// by NR pixels (NR = 4 or 6, v = 1..4), each pixel's input read from its own
// address and used as a by-element operand; rows are stored straight from
// the accumulators with ST4/ST2 lane stores (one instruction writes one
// channel's 4 or 2 pixels: an in-store transpose). A partial pixel tile
// (nmask != all NR) goes through chStoreNEON.
//
// Accumulation order equals the amd64 kernels' (accumulators start from the
// bias, then one fused multiply-add per k in k order), so results match
// them bit for bit.
//
// Registers: R0-R15 and V0-V31 only (R18 is the platform register, R26-R30
// belong to the toolchain). The kernels with a frame use it only to spill
// accumulators for the shared store routines, which take their inputs in
// registers (documented above each).
//
// Labels are prefixed with their routine's name. Every instruction the Go
// assembler (Go 1.26) rejects is a WORD produced by one of the macros below,
// each documented with its mnemonic; see ../shared/ASM-NOTES.md.

#include "funcdata.h"
#include "textflag.h"

// ---------------------------------------------------------------------------
// WORD encodings. Arguments are register numbers (d, n, m, t for V<d> etc.,
// x for X<x>) and lane indexes i in 0..3; they must be constants.

// FMLA_S(d, n, m, i): fmla v<d>.4s, v<n>.4s, v<m>.s[i]      (by element)
#define FMLA_S(d, n, m, i) WORD $(0x4F801000 | ((i)&1)<<21 | ((i)>>1)<<11 | (m)<<16 | (n)<<5 | (d))

// FCMGT_4S(d, n, m): fcmgt v<d>.4s, v<n>.4s, v<m>.4s   (all ones where
// v<n> > v<m>, zeros otherwise, and zeros when either is NaN)
#define FCMGT_4S(d, n, m) WORD $(0x6EA0E400 | (m)<<16 | (n)<<5 | (d))

// ST4_SP(t, x, i, m): st4 {v<t>.s, v<t+1>.s, v<t+2>.s, v<t+3>.s}[i], [x<x>], x<m>
// stores lane i of four consecutive registers to 16 contiguous bytes, then
// advances x<x> by x<m>.
#define ST4_SP(t, x, i, m) WORD $(0x0DA0A000 | ((i)>>1)<<30 | (m)<<16 | ((i)&1)<<12 | (x)<<5 | (t))

// ST2_SP(t, x, i, m): st2 {v<t>.s, v<t+1>.s}[i], [x<x>], x<m>
#define ST2_SP(t, x, i, m) WORD $(0x0DA08000 | ((i)>>1)<<30 | (m)<<16 | ((i)&1)<<12 | (x)<<5 | (t))

// ---------------------------------------------------------------------------
// Building blocks.

// ZERO(r), ZERO4(a, b, c, d): clear vector registers.
#define ZERO(r) VEOR r.B16, r.B16, r.B16
#define ZERO4(a, b, c, d) ZERO(a); ZERO(b); ZERO(c); ZERO(d)

// CLAMP(n, r): r = min(max(r, lo), hi) with lo in V29, hi in V30 (V28 is
// clobbered); n is r's number. It computes exactly the Go clamp
//
//	if r < lo { r = lo }; if r > hi { r = hi }
//
// as compare and select: a NaN compares false and stays NaN, infinite
// bounds never select, and max(lo=+0, r=-0) keeps -0 (FMAX would return
// +0), like the amd64 kernels' VMAXPS/VMINPS with the accumulator second.
#define CLAMP(n, r) \
	FCMGT_4S(28, 29, n) \
	VBIT	V28.B16, V29.B16, r.B16 \
	FCMGT_4S(28, n, 30) \
	VBIT	V28.B16, V30.B16, r.B16

// LANE_STEPS sets R10 = 4 if lane 1 of the last vector is valid, else 0,
// and R11 = 4 if lane 2 is valid, else 0, from lastMask in R4 (a prefix of
// lanes, not 0xF).
#define LANE_STEPS \
	AND	$2, R4, R10 \
	LSL	$1, R10, R10 \
	AND	$4, R4, R11

// LOADLAST(p, r) loads the valid lanes of the last vector at p into r
// (with R10, R11 from LANE_STEPS; p is advanced):
//
//	r = {p[0], p[s1], p[s1+s2], p[0]},  s1 = R10/4, s2 = R11/4
//
// Every address is a valid lane; lanes past the valid ones repeat one of
// them and are never stored. LD1R writes the whole register, so no k step
// depends on the previous one.
#define LOADLAST(p, r) \
	VLD1R.P	(p)(R10), [r.S4] \
	VLD1.P	(p)(R11), r.S[1] \
	VLD1	(p), r.S[2]

// FMA8(d, b, a): V(d+i) += V(b) * A[i] for rows i < 8, the 8 weights of one
// k in V(a) (rows 0-3) and V(a+1) (rows 4-7).
#define FMA8(d, b, a) \
	FMLA_S(d, b, a, 0) \
	FMLA_S((d)+1, b, a, 1) \
	FMLA_S((d)+2, b, a, 2) \
	FMLA_S((d)+3, b, a, 3) \
	FMLA_S((d)+4, b, (a)+1, 0) \
	FMLA_S((d)+5, b, (a)+1, 1) \
	FMLA_S((d)+6, b, (a)+1, 2) \
	FMLA_S((d)+7, b, (a)+1, 3)

// BIAS8(r0, ..., r7): r_i = bias[i] in every lane, from bias[0..7] in V24
// (rows 0-3) and V25 (rows 4-7).
#define BIAS8(r0, r1, r2, r3, r4, r5, r6, r7) \
	VDUP	V24.S[0], r0.S4 \
	VDUP	V24.S[1], r1.S4 \
	VDUP	V24.S[2], r2.S4 \
	VDUP	V24.S[3], r3.S4 \
	VDUP	V25.S[0], r4.S4 \
	VDUP	V25.S[1], r5.S4 \
	VDUP	V25.S[2], r6.S4 \
	VDUP	V25.S[3], r7.S4

// ---------------------------------------------------------------------------
// peakNEON runs iters (>= 1) iterations of 24 independent 4-lane FMLAs
// (192 flops per iteration): 24 chains cover an FMA latency of up to 6
// cycles on 4 pipes (12 on 2), more than any current core needs.
//
//	R0 iterations left; V0-V23 accumulators; V24, V25 operands
TEXT ·peakNEON(SB), NOSPLIT, $0-8
	MOVD	iters+0(FP), R0

	// acc = 0, operands = 0
	ZERO4(V0, V1, V2, V3)
	ZERO4(V4, V5, V6, V7)
	ZERO4(V8, V9, V10, V11)
	ZERO4(V12, V13, V14, V15)
	ZERO4(V16, V17, V18, V19)
	ZERO4(V20, V21, V22, V23)
	ZERO(V24)
	ZERO(V25)

	// repeat iters times: acc[n] += V24 * V25, n < 24
peakNEON_loop:
	VFMLA	V24.S4, V25.S4, V0.S4
	VFMLA	V24.S4, V25.S4, V1.S4
	VFMLA	V24.S4, V25.S4, V2.S4
	VFMLA	V24.S4, V25.S4, V3.S4
	VFMLA	V24.S4, V25.S4, V4.S4
	VFMLA	V24.S4, V25.S4, V5.S4
	VFMLA	V24.S4, V25.S4, V6.S4
	VFMLA	V24.S4, V25.S4, V7.S4
	VFMLA	V24.S4, V25.S4, V8.S4
	VFMLA	V24.S4, V25.S4, V9.S4
	VFMLA	V24.S4, V25.S4, V10.S4
	VFMLA	V24.S4, V25.S4, V11.S4
	VFMLA	V24.S4, V25.S4, V12.S4
	VFMLA	V24.S4, V25.S4, V13.S4
	VFMLA	V24.S4, V25.S4, V14.S4
	VFMLA	V24.S4, V25.S4, V15.S4
	VFMLA	V24.S4, V25.S4, V16.S4
	VFMLA	V24.S4, V25.S4, V17.S4
	VFMLA	V24.S4, V25.S4, V18.S4
	VFMLA	V24.S4, V25.S4, V19.S4
	VFMLA	V24.S4, V25.S4, V20.S4
	VFMLA	V24.S4, V25.S4, V21.S4
	VFMLA	V24.S4, V25.S4, V22.S4
	VFMLA	V24.S4, V25.S4, V23.S4
	SUBS	$1, R0, R0
	BNE	peakNEON_loop
	RET

// ---------------------------------------------------------------------------
// pixStoreNEON finishes a pixel-lane tile whose kernel spilled its
// accumulators to its frame: the clamp and the stores of the segment list.
// It is called (BL) only from the pixel kernels, with inputs in registers:
//
//	R6  spilled accumulators: vector j, row i at R6 + j*R8 + 16*i
//	R7  v, vectors in the tile (>= 1)
//	R8  bytes per vector in the spill (16*MR)
//	R9  c, R10 ldc (bytes), R11 m (rows to store, >= 1)
//	R2  clamp (nil: no clamp), R12 segs
//
// For each vector j, segs holds a count, then (byte offset, lane mask)
// pairs; the run is stored at c + offset + i*ldc for rows i < m:
//
//	for j < v:
//	    for each (off, mask) of vector j:
//	        for i < m:
//	            y = clamp(acc[i][j])
//	            mask == 0xF ? store y : store the lanes of y set in mask
//
// Clobbers R1-R15, V28-V31 and the flags.
//
//	R2 clamp (nil: skip)    R4 spill of the row    R5 rows left
//	R13 runs left in this vector    R14 run destination    R15 mask
//	R1 lane address    V29 lo, V30 hi, V28 compare mask, V31 the row
TEXT ·pixStoreNEON(SB), NOSPLIT|NOFRAME, $0-0
	// lo, hi unless clamp is nil
	CBZ	R2, pixStoreNEON_vec
	VLD1R	(R2), [V29.S4]
	ADD	$4, R2, R3
	VLD1R	(R3), [V30.S4]

pixStoreNEON_vec:
	// runs of vector j
	MOVD.P	8(R12), R13

pixStoreNEON_seg:
	CBZ	R13, pixStoreNEON_vnext
	// R14 = c + offset (row 0 of the run), R15 = mask; rows restart
	LDP.P	16(R12), (R14, R15)
	ADD	R9, R14, R14
	MOVD	R6, R4
	MOVD	R11, R5
	CMP	$15, R15
	BNE	pixStoreNEON_part

pixStoreNEON_full:
	// whole vectors: y = clamp(acc); store 16 bytes; next row
	VLD1.P	16(R4), [V31.S4]
	CBZ	R2, pixStoreNEON_fput
	CLAMP(31, V31)

pixStoreNEON_fput:
	VST1.P	[V31.S4], (R14)(R10)
	SUBS	$1, R5, R5
	BNE	pixStoreNEON_full
	B	pixStoreNEON_segnext

pixStoreNEON_part:
	// lanes: y = clamp(acc); store each lane set in the mask
	VLD1.P	16(R4), [V31.S4]
	CBZ	R2, pixStoreNEON_l0
	CLAMP(31, V31)

pixStoreNEON_l0:
	TBZ	$0, R15, pixStoreNEON_l1
	VST1	V31.S[0], (R14)

pixStoreNEON_l1:
	TBZ	$1, R15, pixStoreNEON_l2
	ADD	$4, R14, R1
	VST1	V31.S[1], (R1)

pixStoreNEON_l2:
	TBZ	$2, R15, pixStoreNEON_l3
	ADD	$8, R14, R1
	VST1	V31.S[2], (R1)

pixStoreNEON_l3:
	TBZ	$3, R15, pixStoreNEON_pnext
	ADD	$12, R14, R1
	VST1	V31.S[3], (R1)

pixStoreNEON_pnext:
	ADD	R10, R14, R14
	SUBS	$1, R5, R5
	BNE	pixStoreNEON_part

pixStoreNEON_segnext:
	SUB	$1, R13, R13
	B	pixStoreNEON_seg

pixStoreNEON_vnext:
	// next vector
	ADD	R8, R6, R6
	SUBS	$1, R7, R7
	BNE	pixStoreNEON_vec
	RET

// ---------------------------------------------------------------------------
// chStoreNEON stores a channel-lane tile with fewer pixels than NR (the last
// pixel tile of a block), from accumulators its kernel spilled to its frame
// after the clamp. Called (BL) only from the channel kernels, with
// inputs in registers:
//
//	R6  spill: channel vector i, pixel j at R6 + i*R7 + 16*j (4 channels)
//	R7  bytes per channel vector in the spill (16*NR)
//	R12 n, pixels to store (1 <= n < NR)
//	R11 m, rows to store (>= 1)
//	R14 c, R10 ldc (bytes)
//
//	for l < m, j < n: c[l*ldc/4 + j] = spill[l/4][j][l%4]
//
// Clobbers R3-R5, R13, R14, F31 and the flags.
//
//	R13 row l    R4 source of (l, j)    R3 destination    R5 pixels left
TEXT ·chStoreNEON(SB), NOSPLIT|NOFRAME, $0-0
	MOVD	$0, R13

chStoreNEON_row:
	// R4 = R6 + (l/4)*R7 + 4*(l%4): channel l of pixel 0
	LSR	$2, R13, R4
	MUL	R7, R4, R4
	AND	$3, R13, R5
	ADD	R5<<2, R4, R4
	ADD	R6, R4, R4
	MOVD	R14, R3
	MOVD	R12, R5

chStoreNEON_px:
	// one pixel: 16 bytes on in the spill, 4 in the row
	FMOVS.P	16(R4), F31
	FMOVS.P	F31, 4(R3)
	SUBS	$1, R5, R5
	BNE	chStoreNEON_px

	// next row
	ADD	R10, R14, R14
	ADD	$1, R13, R13
	CMP	R11, R13
	BLT	chStoreNEON_row
	RET

// ---------------------------------------------------------------------------
// Pixel-lane kernels, MR = 8.
//
// Common register map (v = 1..3 vectors of 4 pixels):
//
//	R0 A (32 bytes per k)      R1 B, the tile's first pixel
//	R2 offs (8 bytes per k)    R3 k left      R4 lastMask
//	R5, R6 input rows of k and k+1: B + offs[k]
//	R10, R11 lane steps of a partial last vector (LANE_STEPS)
//	V0..V(8v-1)  acc: vector j, row i in V(8j+i)
//	V24, V25  A[k][0..7] (rows 0-3, 4-7); V26, V27 A[k+1][0..7]
//	          (first bias[0..7], broadcast into the accumulators)
//	V28..V(27+v)  the input vectors of one k
//
// The k loop does two k per iteration with full vectors, or one k with the
// last vector loaded lane by lane (lastMask != 0xF). Then the accumulators
// are spilled in register order and pixStoreNEON clamps and stores.

// gemmNEON_8x12 computes an 8 x 12 pixel-lane tile (v = 3): 24 accumulators,
// 24 FMLA per k against 5 vector loads.
TEXT ·gemmNEON_8x12(SB), NOSPLIT, $384-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[i][j] = bias[i]
	VLD1	(R5), [V24.S4, V25.S4]
	BIAS8(V0, V1, V2, V3, V4, V5, V6, V7)
	BIAS8(V8, V9, V10, V11, V12, V13, V14, V15)
	BIAS8(V16, V17, V18, V19, V20, V21, V22, V23)
	CMP	$15, R4
	BNE	gemmNEON_8x12_masked

	// two k per iteration: acc[i][j] += A[k][i] * B[off[k]/4 + 4j ..]
	SUBS	$2, R3, R3
	BLT	gemmNEON_8x12_tail

gemmNEON_8x12_loop:
	LDP.P	16(R2), (R5, R6)
	VLD1.P	64(R0), [V24.S4, V25.S4, V26.S4, V27.S4]
	ADD	R1, R5, R5
	ADD	R1, R6, R6
	VLD1	(R5), [V28.S4, V29.S4, V30.S4]
	FMA8(0, 28, 24)
	FMA8(8, 29, 24)
	FMA8(16, 30, 24)
	VLD1	(R6), [V28.S4, V29.S4, V30.S4]
	FMA8(0, 28, 26)
	FMA8(8, 29, 26)
	FMA8(16, 30, 26)
	SUBS	$2, R3, R3
	BGE	gemmNEON_8x12_loop

gemmNEON_8x12_tail:
	// odd k: one more step (R3 is -1 then, -2 otherwise)
	TBZ	$0, R3, gemmNEON_8x12_store
	MOVD	(R2), R5
	VLD1	(R0), [V24.S4, V25.S4]
	ADD	R1, R5, R5
	VLD1	(R5), [V28.S4, V29.S4, V30.S4]
	FMA8(0, 28, 24)
	FMA8(8, 29, 24)
	FMA8(16, 30, 24)
	B	gemmNEON_8x12_store

gemmNEON_8x12_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_8x12_store

gemmNEON_8x12_mloop:
	MOVD.P	8(R2), R5
	VLD1.P	32(R0), [V24.S4, V25.S4]
	ADD	R1, R5, R5
	VLD1.P	32(R5), [V28.S4, V29.S4]
	LOADLAST(R5, V30)
	FMA8(0, 28, 24)
	FMA8(8, 29, 24)
	FMA8(16, 30, 24)
	SUBS	$1, R3, R3
	BNE	gemmNEON_8x12_mloop

gemmNEON_8x12_store:
	// spill V0-V23, then clamp and stores in pixStoreNEON
	MOVD	$acc-384(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1.P	[V8.S4, V9.S4, V10.S4, V11.S4], 64(R6)
	VST1.P	[V12.S4, V13.S4, V14.S4, V15.S4], 64(R6)
	VST1.P	[V16.S4, V17.S4, V18.S4, V19.S4], 64(R6)
	VST1	[V20.S4, V21.S4, V22.S4, V23.S4], (R6)
	MOVD	$acc-384(SP), R6
	MOVD	$3, R7
	MOVD	$128, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_8x8 computes an 8 x 8 pixel-lane tile (v = 2): V0-V15 accumulate,
// V28, V29 hold the inputs of one k.
TEXT ·gemmNEON_8x8(SB), NOSPLIT, $256-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[i][j] = bias[i]
	VLD1	(R5), [V24.S4, V25.S4]
	BIAS8(V0, V1, V2, V3, V4, V5, V6, V7)
	BIAS8(V8, V9, V10, V11, V12, V13, V14, V15)
	CMP	$15, R4
	BNE	gemmNEON_8x8_masked

	// two k per iteration: acc[i][j] += A[k][i] * B[off[k]/4 + 4j ..]
	SUBS	$2, R3, R3
	BLT	gemmNEON_8x8_tail

gemmNEON_8x8_loop:
	LDP.P	16(R2), (R5, R6)
	VLD1.P	64(R0), [V24.S4, V25.S4, V26.S4, V27.S4]
	ADD	R1, R5, R5
	ADD	R1, R6, R6
	VLD1	(R5), [V28.S4, V29.S4]
	FMA8(0, 28, 24)
	FMA8(8, 29, 24)
	VLD1	(R6), [V28.S4, V29.S4]
	FMA8(0, 28, 26)
	FMA8(8, 29, 26)
	SUBS	$2, R3, R3
	BGE	gemmNEON_8x8_loop

gemmNEON_8x8_tail:
	// odd k: one more step
	TBZ	$0, R3, gemmNEON_8x8_store
	MOVD	(R2), R5
	VLD1	(R0), [V24.S4, V25.S4]
	ADD	R1, R5, R5
	VLD1	(R5), [V28.S4, V29.S4]
	FMA8(0, 28, 24)
	FMA8(8, 29, 24)
	B	gemmNEON_8x8_store

gemmNEON_8x8_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_8x8_store

gemmNEON_8x8_mloop:
	MOVD.P	8(R2), R5
	VLD1.P	32(R0), [V24.S4, V25.S4]
	ADD	R1, R5, R5
	VLD1.P	16(R5), [V28.S4]
	LOADLAST(R5, V29)
	FMA8(0, 28, 24)
	FMA8(8, 29, 24)
	SUBS	$1, R3, R3
	BNE	gemmNEON_8x8_mloop

gemmNEON_8x8_store:
	// spill V0-V15, then clamp and stores in pixStoreNEON
	MOVD	$acc-256(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1.P	[V8.S4, V9.S4, V10.S4, V11.S4], 64(R6)
	VST1	[V12.S4, V13.S4, V14.S4, V15.S4], (R6)
	MOVD	$acc-256(SP), R6
	MOVD	$2, R7
	MOVD	$128, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_8x4 computes an 8 x 4 pixel-lane tile (v = 1): V0-V7 accumulate,
// V28 holds the input of one k.
TEXT ·gemmNEON_8x4(SB), NOSPLIT, $128-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[i][j] = bias[i]
	VLD1	(R5), [V24.S4, V25.S4]
	BIAS8(V0, V1, V2, V3, V4, V5, V6, V7)
	CMP	$15, R4
	BNE	gemmNEON_8x4_masked

	// two k per iteration: acc[i] += A[k][i] * B[off[k]/4 ..]
	SUBS	$2, R3, R3
	BLT	gemmNEON_8x4_tail

gemmNEON_8x4_loop:
	LDP.P	16(R2), (R5, R6)
	VLD1.P	64(R0), [V24.S4, V25.S4, V26.S4, V27.S4]
	ADD	R1, R5, R5
	ADD	R1, R6, R6
	VLD1	(R5), [V28.S4]
	VLD1	(R6), [V29.S4]
	FMA8(0, 28, 24)
	FMA8(0, 29, 26)
	SUBS	$2, R3, R3
	BGE	gemmNEON_8x4_loop

gemmNEON_8x4_tail:
	// odd k: one more step
	TBZ	$0, R3, gemmNEON_8x4_store
	MOVD	(R2), R5
	VLD1	(R0), [V24.S4, V25.S4]
	ADD	R1, R5, R5
	VLD1	(R5), [V28.S4]
	FMA8(0, 28, 24)
	B	gemmNEON_8x4_store

gemmNEON_8x4_masked:
	// one k per iteration, the vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_8x4_store

gemmNEON_8x4_mloop:
	MOVD.P	8(R2), R5
	VLD1.P	32(R0), [V24.S4, V25.S4]
	ADD	R1, R5, R5
	LOADLAST(R5, V28)
	FMA8(0, 28, 24)
	SUBS	$1, R3, R3
	BNE	gemmNEON_8x4_mloop

gemmNEON_8x4_store:
	// spill V0-V7, then clamp and stores in pixStoreNEON
	MOVD	$acc-128(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1	[V4.S4, V5.S4, V6.S4, V7.S4], (R6)
	MOVD	$acc-128(SP), R6
	MOVD	$1, R7
	MOVD	$128, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// ---------------------------------------------------------------------------
// Pixel-lane kernels, MR = 1 (depthwise convolutions).
//
// Common register map (v = 1..16 vectors of 4 pixels):
//
//	R0 A (4 bytes per k)       R1 B, the tile's first pixel
//	R2 offs (8 bytes per k)    R3 k left      R4 lastMask
//	R5-R8 input rows of k..k+3: B + offs[k]
//	R10, R11 lane steps of a partial last vector (LANE_STEPS)
//	V0..V(v-1)  acc, one vector of 4 pixels each
//	V16-V19, V20-V23  input chunks S0, S1 (up to 4 vectors each, alternating)
//	V24  A[k..k+3], one weight per lane (lane 0 only in the single-k loops)
//	V25  the partial last vector
//
// The accumulators start from the bias. The full-vector k loop does four k
// per iteration, each k one lane of V24; the last k % 4 and the
// partial-vector loop do one k per iteration. Then the accumulators are
// spilled and pixStoreNEON clamps and stores. Per k: v FMLA, ceil(v/4)
// vector loads, one address add.

// P1_OFFS4: R5-R8 = B + offs[k..k+3], V24 = A[k..k+3]; offs and A advance.
#define P1_OFFS4 \
	LDP.P	16(R2), (R5, R6) \
	LDP.P	16(R2), (R7, R8) \
	VLD1.P	16(R0), [V24.S4] \
	ADD	R1, R5, R5 \
	ADD	R1, R6, R6 \
	ADD	R1, R7, R7 \
	ADD	R1, R8, R8

// P1_OFFS1: R5 = B + offs[k], V24.s[0] = A[k]; offs and A advance.
#define P1_OFFS1 \
	MOVD.P	8(R2), R5 \
	FMOVS.P	4(R0), F24 \
	ADD	R1, R5, R5

// P1_C<n>S<s>(p, d, l): load n input vectors at p into chunk set s (p
// advances), then acc V(d)..V(d+n-1) += input * V24.s[l].
#define P1_C1S0(p, d, l) \
	VLD1.P	16(p), [V16.S4] \
	FMLA_S(d, 16, 24, l)
#define P1_C2S0(p, d, l) \
	VLD1.P	32(p), [V16.S4, V17.S4] \
	FMLA_S(d, 16, 24, l) \
	FMLA_S((d)+1, 17, 24, l)
#define P1_C3S0(p, d, l) \
	VLD1.P	48(p), [V16.S4, V17.S4, V18.S4] \
	FMLA_S(d, 16, 24, l) \
	FMLA_S((d)+1, 17, 24, l) \
	FMLA_S((d)+2, 18, 24, l)
#define P1_C4S0(p, d, l) \
	VLD1.P	64(p), [V16.S4, V17.S4, V18.S4, V19.S4] \
	FMLA_S(d, 16, 24, l) \
	FMLA_S((d)+1, 17, 24, l) \
	FMLA_S((d)+2, 18, 24, l) \
	FMLA_S((d)+3, 19, 24, l)
#define P1_C1S1(p, d, l) \
	VLD1.P	16(p), [V20.S4] \
	FMLA_S(d, 20, 24, l)
#define P1_C2S1(p, d, l) \
	VLD1.P	32(p), [V20.S4, V21.S4] \
	FMLA_S(d, 20, 24, l) \
	FMLA_S((d)+1, 21, 24, l)
#define P1_C3S1(p, d, l) \
	VLD1.P	48(p), [V20.S4, V21.S4, V22.S4] \
	FMLA_S(d, 20, 24, l) \
	FMLA_S((d)+1, 21, 24, l) \
	FMLA_S((d)+2, 22, 24, l)
#define P1_C4S1(p, d, l) \
	VLD1.P	64(p), [V20.S4, V21.S4, V22.S4, V23.S4] \
	FMLA_S(d, 20, 24, l) \
	FMLA_S((d)+1, 21, 24, l) \
	FMLA_S((d)+2, 22, 24, l) \
	FMLA_S((d)+3, 23, 24, l)

// P1_LAST(p, d): the partial last vector at p into V25, V(d) += V25 * V24.s[0].
#define P1_LAST(p, d) \
	LOADLAST(p, V25) \
	FMLA_S(d, 25, 24, 0)

// Each kernel below defines P1_STEP_<v>(p, l), one k of full vectors from
// input row p with weight lane l, and P1_MSTEP_<v>(p), one k whose last
// vector is partial (weight in lane 0).

// gemmNEON_1x64 computes a 1 x 64 pixel-lane tile (v = 16): V0-V15 accumulate.
#define P1_STEP_16(p, l) P1_C4S0(p, 0, l); P1_C4S1(p, 4, l); P1_C4S0(p, 8, l); P1_C4S1(p, 12, l)
#define P1_MSTEP_16(p) P1_C4S0(p, 0, 0); P1_C4S1(p, 4, 0); P1_C4S0(p, 8, 0); P1_C3S1(p, 12, 0); P1_LAST(p, 15)
TEXT ·gemmNEON_1x64(SB), NOSPLIT, $256-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16; VMOV V0.B16, V4.B16
	VMOV V0.B16, V5.B16; VMOV V0.B16, V6.B16; VMOV V0.B16, V7.B16; VMOV V0.B16, V8.B16
	VMOV V0.B16, V9.B16; VMOV V0.B16, V10.B16; VMOV V0.B16, V11.B16; VMOV V0.B16, V12.B16
	VMOV V0.B16, V13.B16; VMOV V0.B16, V14.B16; VMOV V0.B16, V15.B16
	CMP	$15, R4
	BNE	gemmNEON_1x64_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x64_tail

gemmNEON_1x64_loop:
	P1_OFFS4
	P1_STEP_16(R5, 0)
	P1_STEP_16(R6, 1)
	P1_STEP_16(R7, 2)
	P1_STEP_16(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x64_loop

gemmNEON_1x64_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x64_store

gemmNEON_1x64_tail1:
	P1_OFFS1
	P1_STEP_16(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x64_tail1
	B	gemmNEON_1x64_store

gemmNEON_1x64_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x64_store

gemmNEON_1x64_mloop:
	P1_OFFS1
	P1_MSTEP_16(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x64_mloop

gemmNEON_1x64_store:
	// spill V0-V15, then clamp and stores in pixStoreNEON
	MOVD	$acc-256(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1.P	[V8.S4, V9.S4, V10.S4, V11.S4], 64(R6)
	VST1	[V12.S4, V13.S4, V14.S4, V15.S4], (R6)
	MOVD	$acc-256(SP), R6
	MOVD	$16, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x60 computes a 1 x 60 pixel-lane tile (v = 15): V0-V14 accumulate.
#define P1_STEP_15(p, l) P1_C4S0(p, 0, l); P1_C4S1(p, 4, l); P1_C4S0(p, 8, l); P1_C3S1(p, 12, l)
#define P1_MSTEP_15(p) P1_C4S0(p, 0, 0); P1_C4S1(p, 4, 0); P1_C4S0(p, 8, 0); P1_C2S1(p, 12, 0); P1_LAST(p, 14)
TEXT ·gemmNEON_1x60(SB), NOSPLIT, $240-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16; VMOV V0.B16, V4.B16
	VMOV V0.B16, V5.B16; VMOV V0.B16, V6.B16; VMOV V0.B16, V7.B16; VMOV V0.B16, V8.B16
	VMOV V0.B16, V9.B16; VMOV V0.B16, V10.B16; VMOV V0.B16, V11.B16; VMOV V0.B16, V12.B16
	VMOV V0.B16, V13.B16; VMOV V0.B16, V14.B16
	CMP	$15, R4
	BNE	gemmNEON_1x60_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x60_tail

gemmNEON_1x60_loop:
	P1_OFFS4
	P1_STEP_15(R5, 0)
	P1_STEP_15(R6, 1)
	P1_STEP_15(R7, 2)
	P1_STEP_15(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x60_loop

gemmNEON_1x60_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x60_store

gemmNEON_1x60_tail1:
	P1_OFFS1
	P1_STEP_15(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x60_tail1
	B	gemmNEON_1x60_store

gemmNEON_1x60_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x60_store

gemmNEON_1x60_mloop:
	P1_OFFS1
	P1_MSTEP_15(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x60_mloop

gemmNEON_1x60_store:
	// spill V0-V14, then clamp and stores in pixStoreNEON
	MOVD	$acc-240(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1.P	[V8.S4, V9.S4, V10.S4, V11.S4], 64(R6)
	VST1	[V12.S4, V13.S4, V14.S4], (R6)
	MOVD	$acc-240(SP), R6
	MOVD	$15, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x56 computes a 1 x 56 pixel-lane tile (v = 14): V0-V13 accumulate.
#define P1_STEP_14(p, l) P1_C4S0(p, 0, l); P1_C4S1(p, 4, l); P1_C4S0(p, 8, l); P1_C2S1(p, 12, l)
#define P1_MSTEP_14(p) P1_C4S0(p, 0, 0); P1_C4S1(p, 4, 0); P1_C4S0(p, 8, 0); P1_C1S1(p, 12, 0); P1_LAST(p, 13)
TEXT ·gemmNEON_1x56(SB), NOSPLIT, $224-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16; VMOV V0.B16, V4.B16
	VMOV V0.B16, V5.B16; VMOV V0.B16, V6.B16; VMOV V0.B16, V7.B16; VMOV V0.B16, V8.B16
	VMOV V0.B16, V9.B16; VMOV V0.B16, V10.B16; VMOV V0.B16, V11.B16; VMOV V0.B16, V12.B16
	VMOV V0.B16, V13.B16
	CMP	$15, R4
	BNE	gemmNEON_1x56_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x56_tail

gemmNEON_1x56_loop:
	P1_OFFS4
	P1_STEP_14(R5, 0)
	P1_STEP_14(R6, 1)
	P1_STEP_14(R7, 2)
	P1_STEP_14(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x56_loop

gemmNEON_1x56_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x56_store

gemmNEON_1x56_tail1:
	P1_OFFS1
	P1_STEP_14(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x56_tail1
	B	gemmNEON_1x56_store

gemmNEON_1x56_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x56_store

gemmNEON_1x56_mloop:
	P1_OFFS1
	P1_MSTEP_14(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x56_mloop

gemmNEON_1x56_store:
	// spill V0-V13, then clamp and stores in pixStoreNEON
	MOVD	$acc-224(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1.P	[V8.S4, V9.S4, V10.S4, V11.S4], 64(R6)
	VST1	[V12.S4, V13.S4], (R6)
	MOVD	$acc-224(SP), R6
	MOVD	$14, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x52 computes a 1 x 52 pixel-lane tile (v = 13): V0-V12 accumulate.
#define P1_STEP_13(p, l) P1_C4S0(p, 0, l); P1_C4S1(p, 4, l); P1_C4S0(p, 8, l); P1_C1S1(p, 12, l)
#define P1_MSTEP_13(p) P1_C4S0(p, 0, 0); P1_C4S1(p, 4, 0); P1_C4S0(p, 8, 0); P1_LAST(p, 12)
TEXT ·gemmNEON_1x52(SB), NOSPLIT, $208-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16; VMOV V0.B16, V4.B16
	VMOV V0.B16, V5.B16; VMOV V0.B16, V6.B16; VMOV V0.B16, V7.B16; VMOV V0.B16, V8.B16
	VMOV V0.B16, V9.B16; VMOV V0.B16, V10.B16; VMOV V0.B16, V11.B16; VMOV V0.B16, V12.B16
	CMP	$15, R4
	BNE	gemmNEON_1x52_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x52_tail

gemmNEON_1x52_loop:
	P1_OFFS4
	P1_STEP_13(R5, 0)
	P1_STEP_13(R6, 1)
	P1_STEP_13(R7, 2)
	P1_STEP_13(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x52_loop

gemmNEON_1x52_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x52_store

gemmNEON_1x52_tail1:
	P1_OFFS1
	P1_STEP_13(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x52_tail1
	B	gemmNEON_1x52_store

gemmNEON_1x52_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x52_store

gemmNEON_1x52_mloop:
	P1_OFFS1
	P1_MSTEP_13(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x52_mloop

gemmNEON_1x52_store:
	// spill V0-V12, then clamp and stores in pixStoreNEON
	MOVD	$acc-208(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1.P	[V8.S4, V9.S4, V10.S4, V11.S4], 64(R6)
	VST1	[V12.S4], (R6)
	MOVD	$acc-208(SP), R6
	MOVD	$13, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x48 computes a 1 x 48 pixel-lane tile (v = 12): V0-V11 accumulate.
#define P1_STEP_12(p, l) P1_C4S0(p, 0, l); P1_C4S1(p, 4, l); P1_C4S0(p, 8, l)
#define P1_MSTEP_12(p) P1_C4S0(p, 0, 0); P1_C4S1(p, 4, 0); P1_C3S0(p, 8, 0); P1_LAST(p, 11)
TEXT ·gemmNEON_1x48(SB), NOSPLIT, $192-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16; VMOV V0.B16, V4.B16
	VMOV V0.B16, V5.B16; VMOV V0.B16, V6.B16; VMOV V0.B16, V7.B16; VMOV V0.B16, V8.B16
	VMOV V0.B16, V9.B16; VMOV V0.B16, V10.B16; VMOV V0.B16, V11.B16
	CMP	$15, R4
	BNE	gemmNEON_1x48_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x48_tail

gemmNEON_1x48_loop:
	P1_OFFS4
	P1_STEP_12(R5, 0)
	P1_STEP_12(R6, 1)
	P1_STEP_12(R7, 2)
	P1_STEP_12(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x48_loop

gemmNEON_1x48_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x48_store

gemmNEON_1x48_tail1:
	P1_OFFS1
	P1_STEP_12(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x48_tail1
	B	gemmNEON_1x48_store

gemmNEON_1x48_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x48_store

gemmNEON_1x48_mloop:
	P1_OFFS1
	P1_MSTEP_12(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x48_mloop

gemmNEON_1x48_store:
	// spill V0-V11, then clamp and stores in pixStoreNEON
	MOVD	$acc-192(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1	[V8.S4, V9.S4, V10.S4, V11.S4], (R6)
	MOVD	$acc-192(SP), R6
	MOVD	$12, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x44 computes a 1 x 44 pixel-lane tile (v = 11): V0-V10 accumulate.
#define P1_STEP_11(p, l) P1_C4S0(p, 0, l); P1_C4S1(p, 4, l); P1_C3S0(p, 8, l)
#define P1_MSTEP_11(p) P1_C4S0(p, 0, 0); P1_C4S1(p, 4, 0); P1_C2S0(p, 8, 0); P1_LAST(p, 10)
TEXT ·gemmNEON_1x44(SB), NOSPLIT, $176-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16; VMOV V0.B16, V4.B16
	VMOV V0.B16, V5.B16; VMOV V0.B16, V6.B16; VMOV V0.B16, V7.B16; VMOV V0.B16, V8.B16
	VMOV V0.B16, V9.B16; VMOV V0.B16, V10.B16
	CMP	$15, R4
	BNE	gemmNEON_1x44_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x44_tail

gemmNEON_1x44_loop:
	P1_OFFS4
	P1_STEP_11(R5, 0)
	P1_STEP_11(R6, 1)
	P1_STEP_11(R7, 2)
	P1_STEP_11(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x44_loop

gemmNEON_1x44_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x44_store

gemmNEON_1x44_tail1:
	P1_OFFS1
	P1_STEP_11(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x44_tail1
	B	gemmNEON_1x44_store

gemmNEON_1x44_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x44_store

gemmNEON_1x44_mloop:
	P1_OFFS1
	P1_MSTEP_11(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x44_mloop

gemmNEON_1x44_store:
	// spill V0-V10, then clamp and stores in pixStoreNEON
	MOVD	$acc-176(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1	[V8.S4, V9.S4, V10.S4], (R6)
	MOVD	$acc-176(SP), R6
	MOVD	$11, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x40 computes a 1 x 40 pixel-lane tile (v = 10): V0-V9 accumulate.
#define P1_STEP_10(p, l) P1_C4S0(p, 0, l); P1_C4S1(p, 4, l); P1_C2S0(p, 8, l)
#define P1_MSTEP_10(p) P1_C4S0(p, 0, 0); P1_C4S1(p, 4, 0); P1_C1S0(p, 8, 0); P1_LAST(p, 9)
TEXT ·gemmNEON_1x40(SB), NOSPLIT, $160-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16; VMOV V0.B16, V4.B16
	VMOV V0.B16, V5.B16; VMOV V0.B16, V6.B16; VMOV V0.B16, V7.B16; VMOV V0.B16, V8.B16
	VMOV V0.B16, V9.B16
	CMP	$15, R4
	BNE	gemmNEON_1x40_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x40_tail

gemmNEON_1x40_loop:
	P1_OFFS4
	P1_STEP_10(R5, 0)
	P1_STEP_10(R6, 1)
	P1_STEP_10(R7, 2)
	P1_STEP_10(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x40_loop

gemmNEON_1x40_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x40_store

gemmNEON_1x40_tail1:
	P1_OFFS1
	P1_STEP_10(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x40_tail1
	B	gemmNEON_1x40_store

gemmNEON_1x40_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x40_store

gemmNEON_1x40_mloop:
	P1_OFFS1
	P1_MSTEP_10(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x40_mloop

gemmNEON_1x40_store:
	// spill V0-V9, then clamp and stores in pixStoreNEON
	MOVD	$acc-160(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1	[V8.S4, V9.S4], (R6)
	MOVD	$acc-160(SP), R6
	MOVD	$10, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x36 computes a 1 x 36 pixel-lane tile (v = 9): V0-V8 accumulate.
#define P1_STEP_9(p, l) P1_C4S0(p, 0, l); P1_C4S1(p, 4, l); P1_C1S0(p, 8, l)
#define P1_MSTEP_9(p) P1_C4S0(p, 0, 0); P1_C4S1(p, 4, 0); P1_LAST(p, 8)
TEXT ·gemmNEON_1x36(SB), NOSPLIT, $144-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16; VMOV V0.B16, V4.B16
	VMOV V0.B16, V5.B16; VMOV V0.B16, V6.B16; VMOV V0.B16, V7.B16; VMOV V0.B16, V8.B16
	CMP	$15, R4
	BNE	gemmNEON_1x36_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x36_tail

gemmNEON_1x36_loop:
	P1_OFFS4
	P1_STEP_9(R5, 0)
	P1_STEP_9(R6, 1)
	P1_STEP_9(R7, 2)
	P1_STEP_9(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x36_loop

gemmNEON_1x36_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x36_store

gemmNEON_1x36_tail1:
	P1_OFFS1
	P1_STEP_9(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x36_tail1
	B	gemmNEON_1x36_store

gemmNEON_1x36_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x36_store

gemmNEON_1x36_mloop:
	P1_OFFS1
	P1_MSTEP_9(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x36_mloop

gemmNEON_1x36_store:
	// spill V0-V8, then clamp and stores in pixStoreNEON
	MOVD	$acc-144(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1	[V8.S4], (R6)
	MOVD	$acc-144(SP), R6
	MOVD	$9, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x32 computes a 1 x 32 pixel-lane tile (v = 8): V0-V7 accumulate.
#define P1_STEP_8(p, l) P1_C4S0(p, 0, l); P1_C4S1(p, 4, l)
#define P1_MSTEP_8(p) P1_C4S0(p, 0, 0); P1_C3S1(p, 4, 0); P1_LAST(p, 7)
TEXT ·gemmNEON_1x32(SB), NOSPLIT, $128-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16; VMOV V0.B16, V4.B16
	VMOV V0.B16, V5.B16; VMOV V0.B16, V6.B16; VMOV V0.B16, V7.B16
	CMP	$15, R4
	BNE	gemmNEON_1x32_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x32_tail

gemmNEON_1x32_loop:
	P1_OFFS4
	P1_STEP_8(R5, 0)
	P1_STEP_8(R6, 1)
	P1_STEP_8(R7, 2)
	P1_STEP_8(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x32_loop

gemmNEON_1x32_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x32_store

gemmNEON_1x32_tail1:
	P1_OFFS1
	P1_STEP_8(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x32_tail1
	B	gemmNEON_1x32_store

gemmNEON_1x32_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x32_store

gemmNEON_1x32_mloop:
	P1_OFFS1
	P1_MSTEP_8(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x32_mloop

gemmNEON_1x32_store:
	// spill V0-V7, then clamp and stores in pixStoreNEON
	MOVD	$acc-128(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1	[V4.S4, V5.S4, V6.S4, V7.S4], (R6)
	MOVD	$acc-128(SP), R6
	MOVD	$8, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x28 computes a 1 x 28 pixel-lane tile (v = 7): V0-V6 accumulate.
#define P1_STEP_7(p, l) P1_C4S0(p, 0, l); P1_C3S1(p, 4, l)
#define P1_MSTEP_7(p) P1_C4S0(p, 0, 0); P1_C2S1(p, 4, 0); P1_LAST(p, 6)
TEXT ·gemmNEON_1x28(SB), NOSPLIT, $112-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16; VMOV V0.B16, V4.B16
	VMOV V0.B16, V5.B16; VMOV V0.B16, V6.B16
	CMP	$15, R4
	BNE	gemmNEON_1x28_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x28_tail

gemmNEON_1x28_loop:
	P1_OFFS4
	P1_STEP_7(R5, 0)
	P1_STEP_7(R6, 1)
	P1_STEP_7(R7, 2)
	P1_STEP_7(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x28_loop

gemmNEON_1x28_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x28_store

gemmNEON_1x28_tail1:
	P1_OFFS1
	P1_STEP_7(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x28_tail1
	B	gemmNEON_1x28_store

gemmNEON_1x28_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x28_store

gemmNEON_1x28_mloop:
	P1_OFFS1
	P1_MSTEP_7(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x28_mloop

gemmNEON_1x28_store:
	// spill V0-V6, then clamp and stores in pixStoreNEON
	MOVD	$acc-112(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1	[V4.S4, V5.S4, V6.S4], (R6)
	MOVD	$acc-112(SP), R6
	MOVD	$7, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x24 computes a 1 x 24 pixel-lane tile (v = 6): V0-V5 accumulate.
#define P1_STEP_6(p, l) P1_C4S0(p, 0, l); P1_C2S1(p, 4, l)
#define P1_MSTEP_6(p) P1_C4S0(p, 0, 0); P1_C1S1(p, 4, 0); P1_LAST(p, 5)
TEXT ·gemmNEON_1x24(SB), NOSPLIT, $96-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16; VMOV V0.B16, V4.B16
	VMOV V0.B16, V5.B16
	CMP	$15, R4
	BNE	gemmNEON_1x24_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x24_tail

gemmNEON_1x24_loop:
	P1_OFFS4
	P1_STEP_6(R5, 0)
	P1_STEP_6(R6, 1)
	P1_STEP_6(R7, 2)
	P1_STEP_6(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x24_loop

gemmNEON_1x24_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x24_store

gemmNEON_1x24_tail1:
	P1_OFFS1
	P1_STEP_6(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x24_tail1
	B	gemmNEON_1x24_store

gemmNEON_1x24_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x24_store

gemmNEON_1x24_mloop:
	P1_OFFS1
	P1_MSTEP_6(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x24_mloop

gemmNEON_1x24_store:
	// spill V0-V5, then clamp and stores in pixStoreNEON
	MOVD	$acc-96(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1	[V4.S4, V5.S4], (R6)
	MOVD	$acc-96(SP), R6
	MOVD	$6, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x20 computes a 1 x 20 pixel-lane tile (v = 5): V0-V4 accumulate.
#define P1_STEP_5(p, l) P1_C4S0(p, 0, l); P1_C1S1(p, 4, l)
#define P1_MSTEP_5(p) P1_C4S0(p, 0, 0); P1_LAST(p, 4)
TEXT ·gemmNEON_1x20(SB), NOSPLIT, $80-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16; VMOV V0.B16, V4.B16
	CMP	$15, R4
	BNE	gemmNEON_1x20_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x20_tail

gemmNEON_1x20_loop:
	P1_OFFS4
	P1_STEP_5(R5, 0)
	P1_STEP_5(R6, 1)
	P1_STEP_5(R7, 2)
	P1_STEP_5(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x20_loop

gemmNEON_1x20_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x20_store

gemmNEON_1x20_tail1:
	P1_OFFS1
	P1_STEP_5(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x20_tail1
	B	gemmNEON_1x20_store

gemmNEON_1x20_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x20_store

gemmNEON_1x20_mloop:
	P1_OFFS1
	P1_MSTEP_5(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x20_mloop

gemmNEON_1x20_store:
	// spill V0-V4, then clamp and stores in pixStoreNEON
	MOVD	$acc-80(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1	[V4.S4], (R6)
	MOVD	$acc-80(SP), R6
	MOVD	$5, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x16 computes a 1 x 16 pixel-lane tile (v = 4): V0-V3 accumulate.
#define P1_STEP_4(p, l) P1_C4S0(p, 0, l)
#define P1_MSTEP_4(p) P1_C3S0(p, 0, 0); P1_LAST(p, 3)
TEXT ·gemmNEON_1x16(SB), NOSPLIT, $64-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16; VMOV V0.B16, V3.B16
	CMP	$15, R4
	BNE	gemmNEON_1x16_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x16_tail

gemmNEON_1x16_loop:
	P1_OFFS4
	P1_STEP_4(R5, 0)
	P1_STEP_4(R6, 1)
	P1_STEP_4(R7, 2)
	P1_STEP_4(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x16_loop

gemmNEON_1x16_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x16_store

gemmNEON_1x16_tail1:
	P1_OFFS1
	P1_STEP_4(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x16_tail1
	B	gemmNEON_1x16_store

gemmNEON_1x16_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x16_store

gemmNEON_1x16_mloop:
	P1_OFFS1
	P1_MSTEP_4(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x16_mloop

gemmNEON_1x16_store:
	// spill V0-V3, then clamp and stores in pixStoreNEON
	MOVD	$acc-64(SP), R6
	VST1	[V0.S4, V1.S4, V2.S4, V3.S4], (R6)
	MOVD	$4, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x12 computes a 1 x 12 pixel-lane tile (v = 3): V0-V2 accumulate.
#define P1_STEP_3(p, l) P1_C3S0(p, 0, l)
#define P1_MSTEP_3(p) P1_C2S0(p, 0, 0); P1_LAST(p, 2)
TEXT ·gemmNEON_1x12(SB), NOSPLIT, $48-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16; VMOV V0.B16, V2.B16
	CMP	$15, R4
	BNE	gemmNEON_1x12_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x12_tail

gemmNEON_1x12_loop:
	P1_OFFS4
	P1_STEP_3(R5, 0)
	P1_STEP_3(R6, 1)
	P1_STEP_3(R7, 2)
	P1_STEP_3(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x12_loop

gemmNEON_1x12_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x12_store

gemmNEON_1x12_tail1:
	P1_OFFS1
	P1_STEP_3(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x12_tail1
	B	gemmNEON_1x12_store

gemmNEON_1x12_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x12_store

gemmNEON_1x12_mloop:
	P1_OFFS1
	P1_MSTEP_3(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x12_mloop

gemmNEON_1x12_store:
	// spill V0-V2, then clamp and stores in pixStoreNEON
	MOVD	$acc-48(SP), R6
	VST1	[V0.S4, V1.S4, V2.S4], (R6)
	MOVD	$3, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x8 computes a 1 x 8 pixel-lane tile (v = 2): V0-V1 accumulate.
#define P1_STEP_2(p, l) P1_C2S0(p, 0, l)
#define P1_MSTEP_2(p) P1_C1S0(p, 0, 0); P1_LAST(p, 1)
TEXT ·gemmNEON_1x8(SB), NOSPLIT, $32-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	VMOV V0.B16, V1.B16
	CMP	$15, R4
	BNE	gemmNEON_1x8_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x8_tail

gemmNEON_1x8_loop:
	P1_OFFS4
	P1_STEP_2(R5, 0)
	P1_STEP_2(R6, 1)
	P1_STEP_2(R7, 2)
	P1_STEP_2(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x8_loop

gemmNEON_1x8_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x8_store

gemmNEON_1x8_tail1:
	P1_OFFS1
	P1_STEP_2(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x8_tail1
	B	gemmNEON_1x8_store

gemmNEON_1x8_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x8_store

gemmNEON_1x8_mloop:
	P1_OFFS1
	P1_MSTEP_2(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x8_mloop

gemmNEON_1x8_store:
	// spill V0-V1, then clamp and stores in pixStoreNEON
	MOVD	$acc-32(SP), R6
	VST1	[V0.S4, V1.S4], (R6)
	MOVD	$2, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// gemmNEON_1x4 computes a 1 x 4 pixel-lane tile (v = 1): V0 accumulate.
#define P1_STEP_1(p, l) P1_C1S0(p, 0, l)
#define P1_MSTEP_1(p) P1_LAST(p, 0)
TEXT ·gemmNEON_1x4(SB), NOSPLIT, $16-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	lastMask+56(FP), R4
	MOVD	bias+64(FP), R5

	// acc[j] = bias[0]
	VLD1R	(R5), [V0.S4]
	CMP	$15, R4
	BNE	gemmNEON_1x4_masked

	// four k per iteration: acc[j] += A[k] * B[off[k]/4 + 4j ..]
	SUBS	$4, R3, R3
	BLT	gemmNEON_1x4_tail

gemmNEON_1x4_loop:
	P1_OFFS4
	P1_STEP_1(R5, 0)
	P1_STEP_1(R6, 1)
	P1_STEP_1(R7, 2)
	P1_STEP_1(R8, 3)
	SUBS	$4, R3, R3
	BGE	gemmNEON_1x4_loop

gemmNEON_1x4_tail:
	// the last k % 4, one per iteration
	ADDS	$4, R3, R3
	BEQ	gemmNEON_1x4_store

gemmNEON_1x4_tail1:
	P1_OFFS1
	P1_STEP_1(R5, 0)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x4_tail1
	B	gemmNEON_1x4_store

gemmNEON_1x4_masked:
	// one k per iteration, the last vector's valid lanes only
	LANE_STEPS
	CBZ	R3, gemmNEON_1x4_store

gemmNEON_1x4_mloop:
	P1_OFFS1
	P1_MSTEP_1(R5)
	SUBS	$1, R3, R3
	BNE	gemmNEON_1x4_mloop

gemmNEON_1x4_store:
	// spill V0, then clamp and stores in pixStoreNEON
	MOVD	$acc-16(SP), R6
	VST1	[V0.S4], (R6)
	MOVD	$1, R7
	MOVD	$16, R8
	MOVD	c+32(FP), R9
	MOVD	ldc+40(FP), R10
	MOVD	m+48(FP), R11
	MOVD	clamp+72(FP), R2
	MOVD	segs+80(FP), R12
	CALL	·pixStoreNEON(SB)
	RET

// ---------------------------------------------------------------------------
// Channel-lane kernels, gemmtNEON_<4v>x<NR>: NR = 6 or 4 pixels, v = 1..4
// vectors of 4 output channels.
//
// Common register map:
//
//	R0 A (16v bytes per k)     R1 b      R2 offs      R3 k left
//	R4..R(3+NR)  pixel pointers b + pix[j]
//	R10, R11     offs[k], offs[k+1] (then ldc and m in the epilogue)
//	R14, R15     destination of pixels 0-3 and 4-5 of the row being stored
//	V0..V(v*NR-1)  acc: channel vector i, pixel j in V(NR*i + j)
//	V24..V(23+v)   A[k][0..4v-1], 4 channels per register (first the bias)
//	V28-V31        the inputs of pixels j (x_j in lane 0; NR = 6 reuses
//	               V28, V29 for pixels 4, 5)
//	V29, V30       lo, hi in the clamp (V28 its compare mask)
//
// The accumulators start from the bias (one value per lane). Per k: one
// load of v weight vectors, NR scalar loads (LDR S with register offset: no
// address arithmetic), v*NR by-element FMLA on lane 0; two k per iteration.
// The epilogue clamps and stores each row with ST4 (pixels 0-3) and ST2
// (pixels 4-5) lane stores: row 4i+q is lane q of V(NR*i)..V(NR*i+3), so no
// transpose is needed.

// CH_LDA<v>: V24..V(23+v) = A[k][0..4v-1]; A advances.
#define CH_LDA1 VLD1.P	16(R0), [V24.S4]
#define CH_LDA2 VLD1.P	32(R0), [V24.S4, V25.S4]
#define CH_LDA3 VLD1.P	48(R0), [V24.S4, V25.S4, V26.S4]
#define CH_LDA4 VLD1.P	64(R0), [V24.S4, V25.S4, V26.S4, V27.S4]

// CH<v>(j, nr, s): pixel j, input x_j in V(s) lane 0:
// V(nr*i + j) += V(24+i) * x_j for i < v.
#define CH1(j, nr, s) FMLA_S(j, 24, s, 0)
#define CH2(j, nr, s) CH1(j, nr, s); FMLA_S((j)+(nr), 25, s, 0)
#define CH3(j, nr, s) CH2(j, nr, s); FMLA_S((j)+2*(nr), 26, s, 0)
#define CH4(j, nr, s) CH3(j, nr, s); FMLA_S((j)+3*(nr), 27, s, 0)

// CH_STEP4(off, LDA, CHV), CH_STEP6(off, LDA, CHV): one k of an NR = 4 or 6
// tile; off holds offs[k], LDA and CHV are the CH_LDA<v> and CH<v> macros:
//
//	a = A[k]; x_j = B[(off + pix[j])/4]; acc[i][j] += a[i] * x_j
#define CH_STEP4(off, LDA, CHV) \
	LDA \
	FMOVS	(R4)(off), F28 \
	FMOVS	(R5)(off), F29 \
	FMOVS	(R6)(off), F30 \
	FMOVS	(R7)(off), F31 \
	CHV(0, 4, 28) \
	CHV(1, 4, 29) \
	CHV(2, 4, 30) \
	CHV(3, 4, 31)
#define CH_STEP6(off, LDA, CHV) \
	LDA \
	FMOVS	(R4)(off), F28 \
	FMOVS	(R5)(off), F29 \
	FMOVS	(R6)(off), F30 \
	FMOVS	(R7)(off), F31 \
	CHV(0, 6, 28) \
	CHV(1, 6, 29) \
	CHV(2, 6, 30) \
	CHV(3, 6, 31) \
	FMOVS	(R8)(off), F28 \
	FMOVS	(R9)(off), F29 \
	CHV(4, 6, 28) \
	CHV(5, 6, 29)

// CH_ROWS4(l, t, end), CH_ROWS6(l, t, end): rows l..l+3 (channels of the
// vector whose pixels are V(t)..), each only while row < m (R11), else go
// to end. Row l+q is lane q of V(t)..V(t+3) at R14 (ST4), and for NR = 6
// lane q of V(t+4), V(t+5) at R14+16 = R15 (ST2); both advance by ldc (R10).
#define CH_ROW4(l, t, q, end) \
	CMP	$(l), R11 \
	BLE	end \
	ST4_SP(t, 14, q, 10)
#define CH_ROW6(l, t, q, end) \
	CH_ROW4(l, t, q, end) \
	ST2_SP((t)+4, 15, q, 10)
#define CH_ROWS4(l, t, end) \
	CH_ROW4(l, t, 0, end) \
	CH_ROW4((l)+1, t, 1, end) \
	CH_ROW4((l)+2, t, 2, end) \
	CH_ROW4((l)+3, t, 3, end)
#define CH_ROWS6(l, t, end) \
	CH_ROW6(l, t, 0, end) \
	CH_ROW6((l)+1, t, 1, end) \
	CH_ROW6((l)+2, t, 2, end) \
	CH_ROW6((l)+3, t, 3, end)

// gemmtNEON_16x6 computes a 16 x 6 channel-lane tile (v = 4): channel vector
// i, pixel j accumulate in V(6i+j), V0-V23.
TEXT ·gemmtNEON_16x6(SB), NOSPLIT, $384-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	pix+32(FP), R12

	// pixel pointers: R(4+j) = b + pix[j]
	LDP	(R12), (R4, R5)
	LDP	16(R12), (R6, R7)
	LDP	32(R12), (R8, R9)
	ADD	R1, R4, R4
	ADD	R1, R5, R5
	ADD	R1, R6, R6
	ADD	R1, R7, R7
	ADD	R1, R8, R8
	ADD	R1, R9, R9

	// acc[i][j] = bias[4i..4i+3]
	MOVD	bias+72(FP), R12
	VLD1	(R12), [V24.S4, V25.S4, V26.S4, V27.S4]
	VMOV V24.B16, V0.B16; VMOV V24.B16, V1.B16; VMOV V24.B16, V2.B16; VMOV V24.B16, V3.B16; VMOV V24.B16, V4.B16; VMOV V24.B16, V5.B16
	VMOV V25.B16, V6.B16; VMOV V25.B16, V7.B16; VMOV V25.B16, V8.B16; VMOV V25.B16, V9.B16; VMOV V25.B16, V10.B16; VMOV V25.B16, V11.B16
	VMOV V26.B16, V12.B16; VMOV V26.B16, V13.B16; VMOV V26.B16, V14.B16; VMOV V26.B16, V15.B16; VMOV V26.B16, V16.B16; VMOV V26.B16, V17.B16
	VMOV V27.B16, V18.B16; VMOV V27.B16, V19.B16; VMOV V27.B16, V20.B16; VMOV V27.B16, V21.B16; VMOV V27.B16, V22.B16; VMOV V27.B16, V23.B16

	// two k per iteration:
	//   acc[i][j] += A[k][4i..4i+3] * B[(off[k] + pix[j])/4]
	SUBS	$2, R3, R3
	BLT	gemmtNEON_16x6_tail

gemmtNEON_16x6_loop:
	LDP.P	16(R2), (R10, R11)
	CH_STEP6(R10, CH_LDA4, CH4)
	CH_STEP6(R11, CH_LDA4, CH4)
	SUBS	$2, R3, R3
	BGE	gemmtNEON_16x6_loop

gemmtNEON_16x6_tail:
	// odd k: one more step
	TBZ	$0, R3, gemmtNEON_16x6_clamp
	MOVD	(R2), R10
	CH_STEP6(R10, CH_LDA4, CH4)

gemmtNEON_16x6_clamp:
	// clamp, unless clamp is nil
	MOVD	clamp+80(FP), R12
	CBZ	R12, gemmtNEON_16x6_store
	VLD1R	(R12), [V29.S4]
	ADD	$4, R12, R12
	VLD1R	(R12), [V30.S4]
	CLAMP(0, V0); CLAMP(1, V1); CLAMP(2, V2); CLAMP(3, V3); CLAMP(4, V4); CLAMP(5, V5)
	CLAMP(6, V6); CLAMP(7, V7); CLAMP(8, V8); CLAMP(9, V9); CLAMP(10, V10); CLAMP(11, V11)
	CLAMP(12, V12); CLAMP(13, V13); CLAMP(14, V14); CLAMP(15, V15); CLAMP(16, V16); CLAMP(17, V17)
	CLAMP(18, V18); CLAMP(19, V19); CLAMP(20, V20); CLAMP(21, V21); CLAMP(22, V22); CLAMP(23, V23)

gemmtNEON_16x6_store:
	MOVD	c+40(FP), R14
	MOVD	ldc+48(FP), R10
	MOVD	m+56(FP), R11
	MOVD	nmask+64(FP), R12
	CMP	$63, R12
	BNE	gemmtNEON_16x6_partial
	ADD	$16, R14, R15
	// row 4i+q, while < m: lane q of pixels 0-3 (ST4) and 4-5 (ST2)
	CH_ROWS6(0, 0, gemmtNEON_16x6_done)
	CH_ROWS6(4, 6, gemmtNEON_16x6_done)
	CH_ROWS6(8, 12, gemmtNEON_16x6_done)
	CH_ROWS6(12, 18, gemmtNEON_16x6_done)
	RET

gemmtNEON_16x6_partial:
	// fewer than NR pixels: spill, n = 64 - clz(nmask), chStoreNEON
	MOVD	$acc-384(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1.P	[V8.S4, V9.S4, V10.S4, V11.S4], 64(R6)
	VST1.P	[V12.S4, V13.S4, V14.S4, V15.S4], 64(R6)
	VST1.P	[V16.S4, V17.S4, V18.S4, V19.S4], 64(R6)
	VST1	[V20.S4, V21.S4, V22.S4, V23.S4], (R6)
	MOVD	$acc-384(SP), R6
	MOVD	$96, R7
	CLZ	R12, R12
	MOVD	$64, R13
	SUB	R12, R13, R12
	CALL	·chStoreNEON(SB)

gemmtNEON_16x6_done:
	RET

// gemmtNEON_12x6 computes a 12 x 6 channel-lane tile (v = 3): channel vector
// i, pixel j accumulate in V(6i+j), V0-V17.
TEXT ·gemmtNEON_12x6(SB), NOSPLIT, $288-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	pix+32(FP), R12

	// pixel pointers: R(4+j) = b + pix[j]
	LDP	(R12), (R4, R5)
	LDP	16(R12), (R6, R7)
	LDP	32(R12), (R8, R9)
	ADD	R1, R4, R4
	ADD	R1, R5, R5
	ADD	R1, R6, R6
	ADD	R1, R7, R7
	ADD	R1, R8, R8
	ADD	R1, R9, R9

	// acc[i][j] = bias[4i..4i+3]
	MOVD	bias+72(FP), R12
	VLD1	(R12), [V24.S4, V25.S4, V26.S4]
	VMOV V24.B16, V0.B16; VMOV V24.B16, V1.B16; VMOV V24.B16, V2.B16; VMOV V24.B16, V3.B16; VMOV V24.B16, V4.B16; VMOV V24.B16, V5.B16
	VMOV V25.B16, V6.B16; VMOV V25.B16, V7.B16; VMOV V25.B16, V8.B16; VMOV V25.B16, V9.B16; VMOV V25.B16, V10.B16; VMOV V25.B16, V11.B16
	VMOV V26.B16, V12.B16; VMOV V26.B16, V13.B16; VMOV V26.B16, V14.B16; VMOV V26.B16, V15.B16; VMOV V26.B16, V16.B16; VMOV V26.B16, V17.B16

	// two k per iteration:
	//   acc[i][j] += A[k][4i..4i+3] * B[(off[k] + pix[j])/4]
	SUBS	$2, R3, R3
	BLT	gemmtNEON_12x6_tail

gemmtNEON_12x6_loop:
	LDP.P	16(R2), (R10, R11)
	CH_STEP6(R10, CH_LDA3, CH3)
	CH_STEP6(R11, CH_LDA3, CH3)
	SUBS	$2, R3, R3
	BGE	gemmtNEON_12x6_loop

gemmtNEON_12x6_tail:
	// odd k: one more step
	TBZ	$0, R3, gemmtNEON_12x6_clamp
	MOVD	(R2), R10
	CH_STEP6(R10, CH_LDA3, CH3)

gemmtNEON_12x6_clamp:
	// clamp, unless clamp is nil
	MOVD	clamp+80(FP), R12
	CBZ	R12, gemmtNEON_12x6_store
	VLD1R	(R12), [V29.S4]
	ADD	$4, R12, R12
	VLD1R	(R12), [V30.S4]
	CLAMP(0, V0); CLAMP(1, V1); CLAMP(2, V2); CLAMP(3, V3); CLAMP(4, V4); CLAMP(5, V5)
	CLAMP(6, V6); CLAMP(7, V7); CLAMP(8, V8); CLAMP(9, V9); CLAMP(10, V10); CLAMP(11, V11)
	CLAMP(12, V12); CLAMP(13, V13); CLAMP(14, V14); CLAMP(15, V15); CLAMP(16, V16); CLAMP(17, V17)

gemmtNEON_12x6_store:
	MOVD	c+40(FP), R14
	MOVD	ldc+48(FP), R10
	MOVD	m+56(FP), R11
	MOVD	nmask+64(FP), R12
	CMP	$63, R12
	BNE	gemmtNEON_12x6_partial
	ADD	$16, R14, R15
	// row 4i+q, while < m: lane q of pixels 0-3 (ST4) and 4-5 (ST2)
	CH_ROWS6(0, 0, gemmtNEON_12x6_done)
	CH_ROWS6(4, 6, gemmtNEON_12x6_done)
	CH_ROWS6(8, 12, gemmtNEON_12x6_done)
	RET

gemmtNEON_12x6_partial:
	// fewer than NR pixels: spill, n = 64 - clz(nmask), chStoreNEON
	MOVD	$acc-288(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1.P	[V8.S4, V9.S4, V10.S4, V11.S4], 64(R6)
	VST1.P	[V12.S4, V13.S4, V14.S4, V15.S4], 64(R6)
	VST1	[V16.S4, V17.S4], (R6)
	MOVD	$acc-288(SP), R6
	MOVD	$96, R7
	CLZ	R12, R12
	MOVD	$64, R13
	SUB	R12, R13, R12
	CALL	·chStoreNEON(SB)

gemmtNEON_12x6_done:
	RET

// gemmtNEON_8x6 computes a 8 x 6 channel-lane tile (v = 2): channel vector
// i, pixel j accumulate in V(6i+j), V0-V11.
TEXT ·gemmtNEON_8x6(SB), NOSPLIT, $192-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	pix+32(FP), R12

	// pixel pointers: R(4+j) = b + pix[j]
	LDP	(R12), (R4, R5)
	LDP	16(R12), (R6, R7)
	LDP	32(R12), (R8, R9)
	ADD	R1, R4, R4
	ADD	R1, R5, R5
	ADD	R1, R6, R6
	ADD	R1, R7, R7
	ADD	R1, R8, R8
	ADD	R1, R9, R9

	// acc[i][j] = bias[4i..4i+3]
	MOVD	bias+72(FP), R12
	VLD1	(R12), [V24.S4, V25.S4]
	VMOV V24.B16, V0.B16; VMOV V24.B16, V1.B16; VMOV V24.B16, V2.B16; VMOV V24.B16, V3.B16; VMOV V24.B16, V4.B16; VMOV V24.B16, V5.B16
	VMOV V25.B16, V6.B16; VMOV V25.B16, V7.B16; VMOV V25.B16, V8.B16; VMOV V25.B16, V9.B16; VMOV V25.B16, V10.B16; VMOV V25.B16, V11.B16

	// two k per iteration:
	//   acc[i][j] += A[k][4i..4i+3] * B[(off[k] + pix[j])/4]
	SUBS	$2, R3, R3
	BLT	gemmtNEON_8x6_tail

gemmtNEON_8x6_loop:
	LDP.P	16(R2), (R10, R11)
	CH_STEP6(R10, CH_LDA2, CH2)
	CH_STEP6(R11, CH_LDA2, CH2)
	SUBS	$2, R3, R3
	BGE	gemmtNEON_8x6_loop

gemmtNEON_8x6_tail:
	// odd k: one more step
	TBZ	$0, R3, gemmtNEON_8x6_clamp
	MOVD	(R2), R10
	CH_STEP6(R10, CH_LDA2, CH2)

gemmtNEON_8x6_clamp:
	// clamp, unless clamp is nil
	MOVD	clamp+80(FP), R12
	CBZ	R12, gemmtNEON_8x6_store
	VLD1R	(R12), [V29.S4]
	ADD	$4, R12, R12
	VLD1R	(R12), [V30.S4]
	CLAMP(0, V0); CLAMP(1, V1); CLAMP(2, V2); CLAMP(3, V3); CLAMP(4, V4); CLAMP(5, V5)
	CLAMP(6, V6); CLAMP(7, V7); CLAMP(8, V8); CLAMP(9, V9); CLAMP(10, V10); CLAMP(11, V11)

gemmtNEON_8x6_store:
	MOVD	c+40(FP), R14
	MOVD	ldc+48(FP), R10
	MOVD	m+56(FP), R11
	MOVD	nmask+64(FP), R12
	CMP	$63, R12
	BNE	gemmtNEON_8x6_partial
	ADD	$16, R14, R15
	// row 4i+q, while < m: lane q of pixels 0-3 (ST4) and 4-5 (ST2)
	CH_ROWS6(0, 0, gemmtNEON_8x6_done)
	CH_ROWS6(4, 6, gemmtNEON_8x6_done)
	RET

gemmtNEON_8x6_partial:
	// fewer than NR pixels: spill, n = 64 - clz(nmask), chStoreNEON
	MOVD	$acc-192(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1	[V8.S4, V9.S4, V10.S4, V11.S4], (R6)
	MOVD	$acc-192(SP), R6
	MOVD	$96, R7
	CLZ	R12, R12
	MOVD	$64, R13
	SUB	R12, R13, R12
	CALL	·chStoreNEON(SB)

gemmtNEON_8x6_done:
	RET

// gemmtNEON_4x6 computes a 4 x 6 channel-lane tile (v = 1): channel vector
// i, pixel j accumulate in V(6i+j), V0-V5.
TEXT ·gemmtNEON_4x6(SB), NOSPLIT, $96-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	pix+32(FP), R12

	// pixel pointers: R(4+j) = b + pix[j]
	LDP	(R12), (R4, R5)
	LDP	16(R12), (R6, R7)
	LDP	32(R12), (R8, R9)
	ADD	R1, R4, R4
	ADD	R1, R5, R5
	ADD	R1, R6, R6
	ADD	R1, R7, R7
	ADD	R1, R8, R8
	ADD	R1, R9, R9

	// acc[i][j] = bias[4i..4i+3]
	MOVD	bias+72(FP), R12
	VLD1	(R12), [V24.S4]
	VMOV V24.B16, V0.B16; VMOV V24.B16, V1.B16; VMOV V24.B16, V2.B16; VMOV V24.B16, V3.B16; VMOV V24.B16, V4.B16; VMOV V24.B16, V5.B16

	// two k per iteration:
	//   acc[i][j] += A[k][4i..4i+3] * B[(off[k] + pix[j])/4]
	SUBS	$2, R3, R3
	BLT	gemmtNEON_4x6_tail

gemmtNEON_4x6_loop:
	LDP.P	16(R2), (R10, R11)
	CH_STEP6(R10, CH_LDA1, CH1)
	CH_STEP6(R11, CH_LDA1, CH1)
	SUBS	$2, R3, R3
	BGE	gemmtNEON_4x6_loop

gemmtNEON_4x6_tail:
	// odd k: one more step
	TBZ	$0, R3, gemmtNEON_4x6_clamp
	MOVD	(R2), R10
	CH_STEP6(R10, CH_LDA1, CH1)

gemmtNEON_4x6_clamp:
	// clamp, unless clamp is nil
	MOVD	clamp+80(FP), R12
	CBZ	R12, gemmtNEON_4x6_store
	VLD1R	(R12), [V29.S4]
	ADD	$4, R12, R12
	VLD1R	(R12), [V30.S4]
	CLAMP(0, V0); CLAMP(1, V1); CLAMP(2, V2); CLAMP(3, V3); CLAMP(4, V4); CLAMP(5, V5)

gemmtNEON_4x6_store:
	MOVD	c+40(FP), R14
	MOVD	ldc+48(FP), R10
	MOVD	m+56(FP), R11
	MOVD	nmask+64(FP), R12
	CMP	$63, R12
	BNE	gemmtNEON_4x6_partial
	ADD	$16, R14, R15
	// row 4i+q, while < m: lane q of pixels 0-3 (ST4) and 4-5 (ST2)
	CH_ROWS6(0, 0, gemmtNEON_4x6_done)
	RET

gemmtNEON_4x6_partial:
	// fewer than NR pixels: spill, n = 64 - clz(nmask), chStoreNEON
	MOVD	$acc-96(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1	[V4.S4, V5.S4], (R6)
	MOVD	$acc-96(SP), R6
	MOVD	$96, R7
	CLZ	R12, R12
	MOVD	$64, R13
	SUB	R12, R13, R12
	CALL	·chStoreNEON(SB)

gemmtNEON_4x6_done:
	RET

// gemmtNEON_16x4 computes a 16 x 4 channel-lane tile (v = 4): channel vector
// i, pixel j accumulate in V(4i+j), V0-V15.
TEXT ·gemmtNEON_16x4(SB), NOSPLIT, $256-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	pix+32(FP), R12

	// pixel pointers: R(4+j) = b + pix[j]
	LDP	(R12), (R4, R5)
	LDP	16(R12), (R6, R7)
	ADD	R1, R4, R4
	ADD	R1, R5, R5
	ADD	R1, R6, R6
	ADD	R1, R7, R7

	// acc[i][j] = bias[4i..4i+3]
	MOVD	bias+72(FP), R12
	VLD1	(R12), [V24.S4, V25.S4, V26.S4, V27.S4]
	VMOV V24.B16, V0.B16; VMOV V24.B16, V1.B16; VMOV V24.B16, V2.B16; VMOV V24.B16, V3.B16
	VMOV V25.B16, V4.B16; VMOV V25.B16, V5.B16; VMOV V25.B16, V6.B16; VMOV V25.B16, V7.B16
	VMOV V26.B16, V8.B16; VMOV V26.B16, V9.B16; VMOV V26.B16, V10.B16; VMOV V26.B16, V11.B16
	VMOV V27.B16, V12.B16; VMOV V27.B16, V13.B16; VMOV V27.B16, V14.B16; VMOV V27.B16, V15.B16

	// two k per iteration:
	//   acc[i][j] += A[k][4i..4i+3] * B[(off[k] + pix[j])/4]
	SUBS	$2, R3, R3
	BLT	gemmtNEON_16x4_tail

gemmtNEON_16x4_loop:
	LDP.P	16(R2), (R10, R11)
	CH_STEP4(R10, CH_LDA4, CH4)
	CH_STEP4(R11, CH_LDA4, CH4)
	SUBS	$2, R3, R3
	BGE	gemmtNEON_16x4_loop

gemmtNEON_16x4_tail:
	// odd k: one more step
	TBZ	$0, R3, gemmtNEON_16x4_clamp
	MOVD	(R2), R10
	CH_STEP4(R10, CH_LDA4, CH4)

gemmtNEON_16x4_clamp:
	// clamp, unless clamp is nil
	MOVD	clamp+80(FP), R12
	CBZ	R12, gemmtNEON_16x4_store
	VLD1R	(R12), [V29.S4]
	ADD	$4, R12, R12
	VLD1R	(R12), [V30.S4]
	CLAMP(0, V0); CLAMP(1, V1); CLAMP(2, V2); CLAMP(3, V3)
	CLAMP(4, V4); CLAMP(5, V5); CLAMP(6, V6); CLAMP(7, V7)
	CLAMP(8, V8); CLAMP(9, V9); CLAMP(10, V10); CLAMP(11, V11)
	CLAMP(12, V12); CLAMP(13, V13); CLAMP(14, V14); CLAMP(15, V15)

gemmtNEON_16x4_store:
	MOVD	c+40(FP), R14
	MOVD	ldc+48(FP), R10
	MOVD	m+56(FP), R11
	MOVD	nmask+64(FP), R12
	CMP	$15, R12
	BNE	gemmtNEON_16x4_partial
	// row 4i+q, while < m: lane q of pixels 0-3 (ST4)
	CH_ROWS4(0, 0, gemmtNEON_16x4_done)
	CH_ROWS4(4, 4, gemmtNEON_16x4_done)
	CH_ROWS4(8, 8, gemmtNEON_16x4_done)
	CH_ROWS4(12, 12, gemmtNEON_16x4_done)
	RET

gemmtNEON_16x4_partial:
	// fewer than NR pixels: spill, n = 64 - clz(nmask), chStoreNEON
	MOVD	$acc-256(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1.P	[V8.S4, V9.S4, V10.S4, V11.S4], 64(R6)
	VST1	[V12.S4, V13.S4, V14.S4, V15.S4], (R6)
	MOVD	$acc-256(SP), R6
	MOVD	$64, R7
	CLZ	R12, R12
	MOVD	$64, R13
	SUB	R12, R13, R12
	CALL	·chStoreNEON(SB)

gemmtNEON_16x4_done:
	RET

// gemmtNEON_12x4 computes a 12 x 4 channel-lane tile (v = 3): channel vector
// i, pixel j accumulate in V(4i+j), V0-V11.
TEXT ·gemmtNEON_12x4(SB), NOSPLIT, $192-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	pix+32(FP), R12

	// pixel pointers: R(4+j) = b + pix[j]
	LDP	(R12), (R4, R5)
	LDP	16(R12), (R6, R7)
	ADD	R1, R4, R4
	ADD	R1, R5, R5
	ADD	R1, R6, R6
	ADD	R1, R7, R7

	// acc[i][j] = bias[4i..4i+3]
	MOVD	bias+72(FP), R12
	VLD1	(R12), [V24.S4, V25.S4, V26.S4]
	VMOV V24.B16, V0.B16; VMOV V24.B16, V1.B16; VMOV V24.B16, V2.B16; VMOV V24.B16, V3.B16
	VMOV V25.B16, V4.B16; VMOV V25.B16, V5.B16; VMOV V25.B16, V6.B16; VMOV V25.B16, V7.B16
	VMOV V26.B16, V8.B16; VMOV V26.B16, V9.B16; VMOV V26.B16, V10.B16; VMOV V26.B16, V11.B16

	// two k per iteration:
	//   acc[i][j] += A[k][4i..4i+3] * B[(off[k] + pix[j])/4]
	SUBS	$2, R3, R3
	BLT	gemmtNEON_12x4_tail

gemmtNEON_12x4_loop:
	LDP.P	16(R2), (R10, R11)
	CH_STEP4(R10, CH_LDA3, CH3)
	CH_STEP4(R11, CH_LDA3, CH3)
	SUBS	$2, R3, R3
	BGE	gemmtNEON_12x4_loop

gemmtNEON_12x4_tail:
	// odd k: one more step
	TBZ	$0, R3, gemmtNEON_12x4_clamp
	MOVD	(R2), R10
	CH_STEP4(R10, CH_LDA3, CH3)

gemmtNEON_12x4_clamp:
	// clamp, unless clamp is nil
	MOVD	clamp+80(FP), R12
	CBZ	R12, gemmtNEON_12x4_store
	VLD1R	(R12), [V29.S4]
	ADD	$4, R12, R12
	VLD1R	(R12), [V30.S4]
	CLAMP(0, V0); CLAMP(1, V1); CLAMP(2, V2); CLAMP(3, V3)
	CLAMP(4, V4); CLAMP(5, V5); CLAMP(6, V6); CLAMP(7, V7)
	CLAMP(8, V8); CLAMP(9, V9); CLAMP(10, V10); CLAMP(11, V11)

gemmtNEON_12x4_store:
	MOVD	c+40(FP), R14
	MOVD	ldc+48(FP), R10
	MOVD	m+56(FP), R11
	MOVD	nmask+64(FP), R12
	CMP	$15, R12
	BNE	gemmtNEON_12x4_partial
	// row 4i+q, while < m: lane q of pixels 0-3 (ST4)
	CH_ROWS4(0, 0, gemmtNEON_12x4_done)
	CH_ROWS4(4, 4, gemmtNEON_12x4_done)
	CH_ROWS4(8, 8, gemmtNEON_12x4_done)
	RET

gemmtNEON_12x4_partial:
	// fewer than NR pixels: spill, n = 64 - clz(nmask), chStoreNEON
	MOVD	$acc-192(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R6)
	VST1	[V8.S4, V9.S4, V10.S4, V11.S4], (R6)
	MOVD	$acc-192(SP), R6
	MOVD	$64, R7
	CLZ	R12, R12
	MOVD	$64, R13
	SUB	R12, R13, R12
	CALL	·chStoreNEON(SB)

gemmtNEON_12x4_done:
	RET

// gemmtNEON_8x4 computes a 8 x 4 channel-lane tile (v = 2): channel vector
// i, pixel j accumulate in V(4i+j), V0-V7.
TEXT ·gemmtNEON_8x4(SB), NOSPLIT, $128-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	pix+32(FP), R12

	// pixel pointers: R(4+j) = b + pix[j]
	LDP	(R12), (R4, R5)
	LDP	16(R12), (R6, R7)
	ADD	R1, R4, R4
	ADD	R1, R5, R5
	ADD	R1, R6, R6
	ADD	R1, R7, R7

	// acc[i][j] = bias[4i..4i+3]
	MOVD	bias+72(FP), R12
	VLD1	(R12), [V24.S4, V25.S4]
	VMOV V24.B16, V0.B16; VMOV V24.B16, V1.B16; VMOV V24.B16, V2.B16; VMOV V24.B16, V3.B16
	VMOV V25.B16, V4.B16; VMOV V25.B16, V5.B16; VMOV V25.B16, V6.B16; VMOV V25.B16, V7.B16

	// two k per iteration:
	//   acc[i][j] += A[k][4i..4i+3] * B[(off[k] + pix[j])/4]
	SUBS	$2, R3, R3
	BLT	gemmtNEON_8x4_tail

gemmtNEON_8x4_loop:
	LDP.P	16(R2), (R10, R11)
	CH_STEP4(R10, CH_LDA2, CH2)
	CH_STEP4(R11, CH_LDA2, CH2)
	SUBS	$2, R3, R3
	BGE	gemmtNEON_8x4_loop

gemmtNEON_8x4_tail:
	// odd k: one more step
	TBZ	$0, R3, gemmtNEON_8x4_clamp
	MOVD	(R2), R10
	CH_STEP4(R10, CH_LDA2, CH2)

gemmtNEON_8x4_clamp:
	// clamp, unless clamp is nil
	MOVD	clamp+80(FP), R12
	CBZ	R12, gemmtNEON_8x4_store
	VLD1R	(R12), [V29.S4]
	ADD	$4, R12, R12
	VLD1R	(R12), [V30.S4]
	CLAMP(0, V0); CLAMP(1, V1); CLAMP(2, V2); CLAMP(3, V3)
	CLAMP(4, V4); CLAMP(5, V5); CLAMP(6, V6); CLAMP(7, V7)

gemmtNEON_8x4_store:
	MOVD	c+40(FP), R14
	MOVD	ldc+48(FP), R10
	MOVD	m+56(FP), R11
	MOVD	nmask+64(FP), R12
	CMP	$15, R12
	BNE	gemmtNEON_8x4_partial
	// row 4i+q, while < m: lane q of pixels 0-3 (ST4)
	CH_ROWS4(0, 0, gemmtNEON_8x4_done)
	CH_ROWS4(4, 4, gemmtNEON_8x4_done)
	RET

gemmtNEON_8x4_partial:
	// fewer than NR pixels: spill, n = 64 - clz(nmask), chStoreNEON
	MOVD	$acc-128(SP), R6
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R6)
	VST1	[V4.S4, V5.S4, V6.S4, V7.S4], (R6)
	MOVD	$acc-128(SP), R6
	MOVD	$64, R7
	CLZ	R12, R12
	MOVD	$64, R13
	SUB	R12, R13, R12
	CALL	·chStoreNEON(SB)

gemmtNEON_8x4_done:
	RET

// gemmtNEON_4x4 computes a 4 x 4 channel-lane tile (v = 1): channel vector
// i, pixel j accumulate in V(4i+j), V0-V3.
TEXT ·gemmtNEON_4x4(SB), NOSPLIT, $64-88
	NO_LOCAL_POINTERS
	MOVD	a+0(FP), R0
	MOVD	b+8(FP), R1
	MOVD	offs+16(FP), R2
	MOVD	k+24(FP), R3
	MOVD	pix+32(FP), R12

	// pixel pointers: R(4+j) = b + pix[j]
	LDP	(R12), (R4, R5)
	LDP	16(R12), (R6, R7)
	ADD	R1, R4, R4
	ADD	R1, R5, R5
	ADD	R1, R6, R6
	ADD	R1, R7, R7

	// acc[i][j] = bias[4i..4i+3]
	MOVD	bias+72(FP), R12
	VLD1	(R12), [V24.S4]
	VMOV V24.B16, V0.B16; VMOV V24.B16, V1.B16; VMOV V24.B16, V2.B16; VMOV V24.B16, V3.B16

	// two k per iteration:
	//   acc[i][j] += A[k][4i..4i+3] * B[(off[k] + pix[j])/4]
	SUBS	$2, R3, R3
	BLT	gemmtNEON_4x4_tail

gemmtNEON_4x4_loop:
	LDP.P	16(R2), (R10, R11)
	CH_STEP4(R10, CH_LDA1, CH1)
	CH_STEP4(R11, CH_LDA1, CH1)
	SUBS	$2, R3, R3
	BGE	gemmtNEON_4x4_loop

gemmtNEON_4x4_tail:
	// odd k: one more step
	TBZ	$0, R3, gemmtNEON_4x4_clamp
	MOVD	(R2), R10
	CH_STEP4(R10, CH_LDA1, CH1)

gemmtNEON_4x4_clamp:
	// clamp, unless clamp is nil
	MOVD	clamp+80(FP), R12
	CBZ	R12, gemmtNEON_4x4_store
	VLD1R	(R12), [V29.S4]
	ADD	$4, R12, R12
	VLD1R	(R12), [V30.S4]
	CLAMP(0, V0); CLAMP(1, V1); CLAMP(2, V2); CLAMP(3, V3)

gemmtNEON_4x4_store:
	MOVD	c+40(FP), R14
	MOVD	ldc+48(FP), R10
	MOVD	m+56(FP), R11
	MOVD	nmask+64(FP), R12
	CMP	$15, R12
	BNE	gemmtNEON_4x4_partial
	// row 4i+q, while < m: lane q of pixels 0-3 (ST4)
	CH_ROWS4(0, 0, gemmtNEON_4x4_done)
	RET

gemmtNEON_4x4_partial:
	// fewer than NR pixels: spill, n = 64 - clz(nmask), chStoreNEON
	MOVD	$acc-64(SP), R6
	VST1	[V0.S4, V1.S4, V2.S4, V3.S4], (R6)
	MOVD	$64, R7
	CLZ	R12, R12
	MOVD	$64, R13
	SUB	R12, R13, R12
	CALL	·chStoreNEON(SB)

gemmtNEON_4x4_done:
	RET

