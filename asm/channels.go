package main

import (
	"fmt"
	"strings"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// pixelPtrs are the general registers that point at the NR pixels of a
// channel-lane tile (at most 8).
var pixelPtrs = []GPPhysical{RAX, RBX, RDX, RDI, R10, R11, R12, R13}

// genChannels writes the channel-lane GEMM micro-kernel: v vectors of output
// channels (MR = v*lanes) by nr output pixels, each read from its own
// address, so the tile can skip the computed grid's extra columns and small
// images waste no lanes:
//
//	for lane l < MR, pixel j < NR:
//	    acc[l][j] = bias[l] + sum_{k<K} A[k*MR + l] * B[(off[k] + pix[j])/4]
//	    y = min(max(acc, lo), hi)     (no clamp when clamp is nil)
//	    stored at c + l*ldc + 4*j for l < m and the pixels j set in nmask
//
// A is the weight panel packed k-major (MR channels per k), B the virtual
// input of the image and group, pix the NR byte offsets of the tile's
// pixels (padded by repeating the last one), c the output of channel 0 at
// the tile's first pixel. Each vector of NR accumulators (one per pixel,
// channels in the lanes) is transposed in registers into rows of NR pixels
// per channel before the masked stores.
//
// A long sum may be computed in parts, one call per part of k, the
// accumulators kept in part (v*NR vectors, acc[i][j] at vector i*NR+j)
// between calls: flags bit 0 (resume) starts the sums from part instead of
// bias, bit 1 (keep) stores them to part unclamped and returns instead of
// storing the outputs. Each FMA is the same, in the same order, so the
// parts give the result of one call bit for bit.
//
// The call also prefetches npf cache lines into L2, pf, pf+64, ..., one per
// k step while any are left (none after the k-th): the caller points them
// at the weights its next call will read, inside the panel, so that they
// stream from memory while this call computes from cache.
func genChannels(x isa, v, nr int) {
	name := channelName(x, v, nr)
	TEXT(name, NOSPLIT, "func(a *float32, b *float32, offs *int64, k int, pix *int64, c *float32, ldc int, m int, nmask int, bias *float32, clamp *[2]float32, part *float32, flags int, pf *float32, npf int)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes a %d x %d channel-lane GEMM tile (see asm/channels.go).", name, v*x.lanes, nr))
	if nr > len(pixelPtrs) {
		panic(name + ": too many pixels")
	}
	t := newChannelTile(name, x, v, nr)
	acc, av, bc := t.acc, t.av, t.bc
	var ptrs []string
	for _, r := range pixelPtrs[:nr] {
		ptrs = append(ptrs, r.Asm())
	}
	Commentf("Registers: A=SI (%d bytes per k), offsets=R8, k=CX, pixel pointers %s.", 4*v*x.lanes, strings.Join(ptrs, " "))
	Commentf("Accumulator of channel vector i, pixel j: %s + i*%d + j; weights %s..%s; broadcasts %s..%s.",
		acc[0][0].Asm(), nr, av[0].Asm(), av[v-1].Asm(), bc[0].Asm(), bc[len(bc)-1].Asm())

	t.start()
	Load(Param("pix"), R9)
	for j := 0; j < nr; j++ {
		MOVQ(Mem{Base: R9, Disp: 8 * j}, pixelPtrs[j])
	}
	Load(Param("b"), R9)
	for j := 0; j < nr; j++ {
		ADDQ(R9, pixelPtrs[j])
	}

	t.loop(func(j int) Mem { return mem(pixelPtrs[j], R9, 0) })

	Load(Param("flags"), R9)
	TESTQ(U32(2), R9)
	JZ(LabelRef(name + "_final"))
	Comment("Keep: the sums go to part, for the next call to resume.")
	Load(Param("part"), R9)
	forEachKept(x, acc, func(a VecPhysical, m Mem) { VMOVUPS(a, m) })
	VZEROUPPER()
	RET()
	Label(name + "_final")
	Comment("Epilogue: clamp unless clamp is nil, transpose, masked stores.")
	// Every register that holds no accumulator is free from here on.
	var free []VecPhysical
	for i := v * nr; i < x.vecs; i++ {
		free = append(free, x.vec(i))
	}
	clampAccumulators(R9, free[0], free[1], name+"_stores", flatten(acc)...)
	Load(Param("c"), RDX)
	Load(Param("ldc"), R11)
	Load(Param("m"), R12)
	Load(Param("nmask"), RAX)
	if x.avx512 {
		KMOVW(EAX, K2)
		for i := range acc {
			transposeStore16(name, i, acc[i], free)
		}
	} else {
		for i := range acc {
			transposeStore8(name, i, acc[i], free)
		}
	}
	VZEROUPPER()
	RET()
}

// forEachKept calls f with each accumulator and its slot in the kept sums
// at R9: acc[i][j] at vector i*NR+j.
func forEachKept(x isa, acc [][]VecPhysical, f func(a VecPhysical, m Mem)) {
	for i := range acc {
		for j := range acc[i] {
			f(acc[i][j], Mem{Base: R9, Disp: (i*len(acc[i]) + j) * x.vecSize})
		}
	}
}

// storeRow emits a store of one output row of the tile, skipped unless
// row < m (R12), at c + row*ldc (DX + row*R11).
func storeRow(label string, row int, store func(dst Mem)) {
	skip := fmt.Sprintf("%s_r%d", label, row)
	CMPQ(R12, U32(row))
	JLE(LabelRef(skip))
	IMUL3Q(U32(row), R11, R9)
	store(mem(RDX, R9, 0))
	Label(skip)
}

// transposeStore16 (AVX-512) transposes the accumulators of channel vector
// vi, r[j] = pixel j with 16 channels in the lanes, into 16 rows of up to 8
// pixels and stores them. Pixels past len(r) repeat the last one (their
// lanes are masked off in the stores). With f the free registers:
//
//	f0..f3 = unpack lo/hi (r0, r1), (r2, r3)      within 128-bit blocks
//	r0..r3 = s0..s3 = shuffle (f0, f2), (f1, f3)  s[q] block b = channel 4b+q, pixels 0-3
//	f0..f3 = unpack lo/hi (r4, r5), (r6, r7)
//	f4..f7 = s4..s7                                same for pixels 4-7
//	per q: f0 = blocks (s[q].0, s[4+q].0, s[q].1, s[4+q].1): channels q, 4+q
//	       f1 = blocks (s[q].2, s[4+q].2, s[q].3, s[4+q].3): channels 8+q, 12+q
//
// Each 256-bit half of f0 and f1 is then one channel's 8 pixels.
func transposeStore16(name string, vi int, r []VecPhysical, f []VecPhysical) {
	transposeStoreRows(fmt.Sprintf("%s_t%d", name, vi), 16*vi, r, f)
}

// transposeStoreRows is transposeStore16 for the rows from base on, its
// labels prefixed with label.
func transposeStoreRows(label string, base int, r []VecPhysical, f []VecPhysical) {
	if len(f) < 8 || len(r) < 6 {
		panic(label + ": the transpose needs 8 free registers and at least 6 pixels")
	}
	row := func(j int) VecPhysical { return r[min(j, len(r)-1)] }
	VUNPCKLPS(row(1), row(0), f[0])
	VUNPCKHPS(row(1), row(0), f[1])
	VUNPCKLPS(row(3), row(2), f[2])
	VUNPCKHPS(row(3), row(2), f[3])
	s := []VecPhysical{r[0], r[1], r[2], r[3], f[4], f[5], f[6], f[7]}
	VSHUFPS(U8(0x44), f[2], f[0], s[0])
	VSHUFPS(U8(0xEE), f[2], f[0], s[1])
	VSHUFPS(U8(0x44), f[3], f[1], s[2])
	VSHUFPS(U8(0xEE), f[3], f[1], s[3])
	VUNPCKLPS(row(5), row(4), f[0])
	VUNPCKHPS(row(5), row(4), f[1])
	VUNPCKLPS(row(7), row(6), f[2])
	VUNPCKHPS(row(7), row(6), f[3])
	VSHUFPS(U8(0x44), f[2], f[0], s[4])
	VSHUFPS(U8(0xEE), f[2], f[0], s[5])
	VSHUFPS(U8(0x44), f[3], f[1], s[6])
	VSHUFPS(U8(0xEE), f[3], f[1], s[7])
	w, y, wh, yh := f[0], f[1], f[2], f[3]
	for q := 0; q < 4; q++ {
		VSHUFF32X4(U8(0x44), s[4+q], s[q], w)
		VSHUFF32X4(U8(0xD8), w, w, w)
		VSHUFF32X4(U8(0xEE), s[4+q], s[q], y)
		VSHUFF32X4(U8(0xD8), y, y, y)
		VEXTRACTF64X4(U8(1), w, wh.AsY())
		VEXTRACTF64X4(U8(1), y, yh.AsY())
		storeRow(label, base+q, func(d Mem) { VMOVUPS(w.AsY(), K2, d) })
		storeRow(label, base+4+q, func(d Mem) { VMOVUPS(wh.AsY(), K2, d) })
		storeRow(label, base+8+q, func(d Mem) { VMOVUPS(y.AsY(), K2, d) })
		storeRow(label, base+12+q, func(d Mem) { VMOVUPS(yh.AsY(), K2, d) })
	}
}

// transposeStore8 (AVX2) transposes the 4 accumulators of channel vector
// vi (pixel j, 8 channels in the lanes) into 8 rows of 4 pixels: s[q] holds
// channel q of pixels 0-3 in its low half and channel 4+q in its high half.
func transposeStore8(name string, vi int, r []VecPhysical, free []VecPhysical) {
	label := fmt.Sprintf("%s_t%d", name, vi)
	if len(r) != 4 || len(free) < 4 {
		panic(name + ": AVX2 transpose expects 4 pixels and 4 free registers")
	}
	t := free[:4]
	VUNPCKLPS(r[1], r[0], t[0])
	VUNPCKHPS(r[1], r[0], t[1])
	VUNPCKLPS(r[3], r[2], t[2])
	VUNPCKHPS(r[3], r[2], t[3])
	VSHUFPS(U8(0x44), t[2], t[0], r[0])
	VSHUFPS(U8(0xEE), t[2], t[0], r[1])
	VSHUFPS(U8(0x44), t[3], t[1], r[2])
	VSHUFPS(U8(0xEE), t[3], t[1], r[3])
	mask, hi := t[0], t[1]
	VMOVQ(RAX, mask.AsX())
	VPBROADCASTD(mask.AsX(), mask.AsX())
	VPAND(maskBits, mask.AsX(), mask.AsX())
	VPCMPEQD(maskBits, mask.AsX(), mask.AsX())
	base := 8 * vi
	for q := 0; q < 4; q++ {
		storeRow(label, base+q, func(d Mem) { VMASKMOVPS(r[q].AsX(), mask.AsX(), d) })
		VEXTRACTF128(U8(1), r[q], hi.AsX())
		storeRow(label, base+4+q, func(d Mem) { VMASKMOVPS(hi.AsX(), mask.AsX(), d) })
	}
}

// genChannelsRun writes the channel-lane micro-kernel for a tile of nr
// pixels in two runs of nr/2 contiguous pixels each (two rows of a 7-wide
// image, one row of a 14-wide one, or any stride-1 stretch of a row): the
// same arguments and results as genChannels, but only pix[0] and pix[nr/2]
// are read, pixel j is read at pix[j/(nr/2)] + 4*(j%(nr/2)), and the
// accumulators are always stored to part (v*nr vectors, the kept layout),
// then reloaded for the transposes, which need more free registers than the
// tile leaves. The caller checks that the tile is two such runs, every
// pixel in its input, and passes part even when flags are 0; every other
// tile goes to the kernel of nr/2 pixels. Twice the pixels per weight load
// of that kernel: half the weight traffic of a long panel per FMA.
func genChannelsRun(x isa, v, nr int) {
	name := channelRunName(x, v, nr)
	TEXT(name, NOSPLIT, "func(a *float32, b *float32, offs *int64, k int, pix *int64, c *float32, ldc int, m int, nmask int, bias *float32, clamp *[2]float32, part *float32, flags int, pf *float32, npf int)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes a %d x %d channel-lane GEMM tile of contiguous pixels (see asm/channels.go).", name, v*x.lanes, nr))
	if !x.avx512 || nr <= 8 || nr%2 != 0 {
		panic(name + ": run tiles are AVX-512 tiles of an even number of pixels, more than 8")
	}
	run := nr / 2
	t := newChannelTile(name, x, v, nr)
	acc := t.acc
	Commentf("Registers: A=SI (%d bytes per k), offsets=R8, k=CX, pixels at AX+4*j and BX+4*(j-%d).", 4*v*x.lanes, run)
	t.start()
	Load(Param("pix"), R9)
	MOVQ(Mem{Base: R9}, RAX)
	MOVQ(Mem{Base: R9, Disp: 8 * run}, RBX)
	Load(Param("b"), R9)
	ADDQ(R9, RAX)
	ADDQ(R9, RBX)

	t.loop(func(j int) Mem {
		if j >= run {
			return mem(RBX, R9, 4*(j-run))
		}
		return mem(RAX, R9, 4*j)
	})

	Load(Param("part"), R9)
	forEachKept(x, acc, func(a VecPhysical, m Mem) { VMOVUPS(a, m) })
	Load(Param("flags"), R9)
	TESTQ(U32(2), R9)
	JZ(LabelRef(name + "_final"))
	VZEROUPPER()
	RET()
	Label(name + "_final")
	Comment("Epilogue: per channel vector and run of pixels, reload, clamp, transpose, masked stores.")
	for i := range acc {
		for j0 := 0; j0 < nr; j0 += run {
			r := make([]VecPhysical, run)
			for j := range r {
				r[j] = x.vec(j)
			}
			var free []VecPhysical
			for f := 8; f < 16; f++ {
				free = append(free, x.vec(f))
			}
			Load(Param("part"), R9)
			for j := range r {
				VMOVUPS(Mem{Base: R9, Disp: (i*nr + j0 + j) * x.vecSize}, r[j])
			}
			label := fmt.Sprintf("%s_g%d_%d", name, i, j0)
			clampAccumulators(R9, free[0], free[1], label+"_stores", r...)
			Load(Param("c"), RDX)
			if j0 > 0 {
				ADDQ(U32(4*j0), RDX)
			}
			Load(Param("ldc"), R11)
			Load(Param("m"), R12)
			Load(Param("nmask"), RAX)
			if j0 > 0 {
				SHRQ(U8(j0), RAX)
			}
			KMOVW(EAX, K2)
			transposeStoreRows(label, 16*i, r, free)
		}
	}
	VZEROUPPER()
	RET()
}

func channelRunName(x isa, v, nr int) string {
	return fmt.Sprintf("gemmtr%s_%dx%d", x.name, v*x.lanes, nr)
}

// channelTile is the register plan of a channel-lane kernel (v vectors of
// output channels by nr pixels) and the code its forms share.
type channelTile struct {
	name   string
	x      isa
	nr     int
	acc    [][]VecPhysical // [vector][pixel]
	av, bc []VecPhysical   // weight vectors, broadcast registers
}

func newChannelTile(name string, x isa, v, nr int) *channelTile {
	t := &channelTile{name: name, x: x, nr: nr, acc: make([][]VecPhysical, v)}
	n := 0
	for i := range t.acc {
		for j := 0; j < nr; j++ {
			t.acc[i] = append(t.acc[i], x.vec(n))
			n++
		}
	}
	for i := 0; i < v; i++ {
		t.av = append(t.av, x.vec(n))
		n++
	}
	t.bc = []VecPhysical{x.vec(n)}
	n++
	if n < x.vecs {
		t.bc = append(t.bc, x.vec(n))
		n++
	}
	if n > x.vecs {
		panic(name + ": too many vector registers")
	}
	return t
}

// start loads the loop's arguments and starts the sums from part (flags
// bit 0) or from the bias, then places the label name_ptrs, where the
// kernel loads its pixel pointers.
func (t *channelTile) start() {
	name, x, acc := t.name, t.x, t.acc
	Load(Param("a"), RSI)
	Load(Param("offs"), R8)
	Load(Param("k"), RCX)
	Load(Param("pf"), R14)
	Load(Param("npf"), R15)
	Load(Param("flags"), R9)
	TESTQ(U32(1), R9)
	JZ(LabelRef(name + "_bias"))
	Comment("Resume: the sums start from part.")
	Load(Param("part"), R9)
	forEachKept(x, acc, func(a VecPhysical, m Mem) { VMOVUPS(m, a) })
	JMP(LabelRef(name + "_ptrs"))
	Label(name + "_bias")
	Comment("The sums start from the bias: acc[i][*] = bias[i*lanes : (i+1)*lanes].")
	Load(Param("bias"), R9)
	for i := range acc {
		VMOVUPS(Mem{Base: R9, Disp: i * x.vecSize}, acc[i][0])
		for j := 1; j < t.nr; j++ {
			VMOVAPS(acc[i][0], acc[i][j])
		}
	}
	Label(name + "_ptrs")
}

// loop emits the k loop: a prefetch while npf (R15) lasts, then per k step
// the weight vectors and, per pixel j, a broadcast from pixel(j) (with R9
// the step's input offset) and its multiply-adds.
func (t *channelTile) loop(pixel func(j int) Mem) {
	name, x := t.name, t.x
	Label(name + "_loop")
	TESTQ(R15, R15)
	JZ(LabelRef(name + "_nopf"))
	PREFETCHT1(Mem{Base: R14})
	ADDQ(U8(64), R14)
	DECQ(R15)
	Label(name + "_nopf")
	MOVQ(Mem{Base: R8}, R9)
	for i := range t.av {
		VMOVUPS(Mem{Base: RSI, Disp: i * x.vecSize}, t.av[i])
	}
	for j := 0; j < t.nr; j++ {
		b := t.bc[j%len(t.bc)]
		VBROADCASTSS(pixel(j), b)
		for i := range t.av {
			VFMADD231PS(t.av[i], b, t.acc[i][j])
		}
	}
	ADDQ(U8(8), R8)
	ADDQ(U32(len(t.av)*x.vecSize), RSI)
	DECQ(RCX)
	JNZ(LabelRef(name + "_loop"))
}
