package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/simdconv/simdconv/internal/check"
)

// simdISAs runs body for every SIMD ISA, as subtests; those this build or
// CPU lacks are visible skips.
func simdISAs(t *testing.T, body func(t *testing.T, isa ISA)) {
	for _, isa := range []ISA{AVX512, AVX2, NEON} {
		t.Run(isa.String(), func(t *testing.T) {
			if !Compiled(isa) {
				t.Skipf("no %s kernels in this build", isa)
			}
			if m := Missing(isa); len(m) > 0 {
				t.Skipf("CPU lacks %v", m)
			}
			body(t, isa)
		})
	}
}

// kSweep covers the unrolled k loop's remainders and a few longer sums.
var kSweep = []int{1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 64, 65}

func randFill(rng *rand.Rand, s []float32) {
	for i := range s {
		s[i] = float32(rng.Float64()*2 - 1)
	}
}

const sentinel = float32(-12345.5)

func fillSentinel(s []float32) {
	for i := range s {
		s[i] = sentinel
	}
}

// randClamp is sometimes open, sometimes a finite window around zero.
func randClamp(rng *rand.Rand) [2]float32 {
	if rng.IntN(2) == 0 {
		return [2]float32{float32(math.Inf(-1)), float32(math.Inf(1))}
	}
	return [2]float32{-0.25 - rng.Float32(), 0.25 + rng.Float32()}
}

// openClampAsNil passes an open clamp as nil (no clamp) half the time, as plans
// without a clamp do.
func openClampAsNil(rng *rand.Rand, c *[2]float32) *[2]float32 {
	if math.IsInf(float64(c[0]), -1) && math.IsInf(float64(c[1]), 1) && rng.IntN(2) == 0 {
		return nil
	}
	return c
}

// TestPixelKernels runs every pixel-lane kernel for every valid row count m
// in 1..MR of its last tile (one to three tiles of output channels per
// call), every lane count of the last vector (so, across the kernels of
// one MR, every tile width 1..NR), and k around each unroll multiple. All
// buffers sit flush against guard pages, on one side and then the other,
// and every output the segments do not name must keep its sentinel.
func TestPixelKernels(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		for i := range archPixelKernels {
			k := &archPixelKernels[i]
			if k.isa != isa {
				continue
			}
			t.Run(k.name, func(t *testing.T) {
				for _, atEnd := range []bool{true, false} {
					rng := rand.New(rand.NewPCG(uint64(k.mr), uint64(k.v)))
					for m := 1; m <= k.mr; m++ {
						for last := 1; last <= k.lanes; last++ {
							for _, K := range kSweep {
								runPixelCase(t, rng, k, m, last, K, atEnd, nil)
							}
						}
					}
				}
			})
		}
	})
}

// inject, when not nil, overwrites some of a case's random data (weights,
// inputs, bias) with special values before the kernel runs.
type inject func(a, b, bias []float32)

func runPixelCase(t *testing.T, rng *rand.Rand, k *pixelKernel, m, last, K int, atEnd bool, special inject) {
	L := k.lanes
	n := (k.v-1)*L + last // pixels of the tile
	// B: K rows at random element offsets in [0, span); the farthest row's
	// last valid pixel is the buffer's last element (or its first row
	// starts at the buffer's first).
	const span = 40
	off := make([]int64, K)
	for i := range off {
		off[i] = int64(rng.IntN(span))
	}
	off[rng.IntN(K)] = span - 1
	off[rng.IntN(K)] = 0
	b := guarded(t, span-1+n, atEnd)
	randFill(rng, b)
	offB := make([]int64, K)
	for i, o := range off {
		offB[i] = 4 * o
	}
	// ntiles tiles of MR output channels, m rows in the last one.
	ntiles := 1 + rng.IntN(3)
	rows := (ntiles-1)*k.mr + m
	a := guarded(t, ntiles*K*k.mr, atEnd)
	randFill(rng, a)
	bias := guarded(t, ntiles*k.mr, atEnd) // a tile reads MR bias values
	randFill(rng, bias)
	clampV := randClamp(rng)
	if special != nil {
		special(a, b, bias)
	}

	// Segments: split each vector's valid lanes into 1-3 runs, placed left
	// to right in the output row with gaps; dst[lane] records where each
	// pixel goes.
	var segs []int64
	dst := make([]int, n)
	pos := L + rng.IntN(3)
	for v := 0; v < k.v; v++ {
		valid := L
		if v == k.v-1 {
			valid = last
		}
		cuts := []int{0, valid}
		if valid > 2 && rng.IntN(2) == 0 {
			cuts = []int{0, 1 + rng.IntN(valid-1), valid}
		}
		segs = append(segs, int64(len(cuts)-1))
		for r := 0; r+1 < len(cuts); r++ {
			lo, hi := cuts[r], cuts[r+1]
			var mask int64
			for l := lo; l < hi; l++ {
				mask |= 1 << l
				dst[v*L+l] = pos + l - lo
			}
			segs = append(segs, 4*int64(pos-lo), mask)
			pos += hi - lo + rng.IntN(3)
		}
	}
	if k.runStores && last == L && rng.IntN(2) == 0 {
		// The short form: one run of whole vectors.
		start := L + rng.IntN(3)
		segs = []int64{-1, 4 * int64(start)}
		for p := range dst {
			dst[p] = start + p
		}
		pos = start + n
	}
	rowLen := pos
	ldc := rowLen + rng.IntN(5)
	c := guarded(t, (rows-1)*ldc+rowLen, atEnd)
	fillSentinel(c)

	lastMask := 1<<last - 1
	// The prefetched pixels: from b's own (pf = b, pfLast = 0, as the
	// last tile of a block does), or a run [p0, p0+pn) of b's columns,
	// which every row offset keeps inside b. Prefetches cannot fault, so
	// the guard pages do not see them; this runs the bases' arithmetic and
	// checks that it changes no result.
	pf, pfLast := &b[0], 0
	if rng.IntN(3) > 0 {
		pn := 1 + rng.IntN(n)
		p0 := rng.IntN(n - pn + 1)
		pf, pfLast = &b[p0], 4*(pn-1)
	}
	k.fn(&a[0], &b[0], &offB[0], K, &c[0], 4*ldc, rows, lastMask, &bias[0], openClampAsNil(rng, &clampV), &segs[0], ntiles, pf, pfLast)

	written := make([]bool, len(c))
	for r := 0; r < rows; r++ {
		tile, i := r/k.mr, r%k.mr
		for p := 0; p < n; p++ {
			var want check.Acc
			for kk := 0; kk < K; kk++ {
				want.Product(a[(tile*K+kk)*k.mr+i], b[int(off[kk])+p])
			}
			want.Add(float64(bias[r]))
			idx := r*ldc + dst[p]
			written[idx] = true
			if err := want.Check(c[idx], clampV[0], clampV[1]); err != nil {
				t.Fatalf("%s tiles=%d m=%d last=%d K=%d row %d pixel %d: %v", k.name, ntiles, m, last, K, r, p, err)
			}
		}
	}
	for i, w := range written {
		if !w && c[i] != sentinel {
			t.Fatalf("%s tiles=%d m=%d last=%d K=%d: element %d outside every segment was written", k.name, ntiles, m, last, K, i)
		}
	}
}

// TestChannelKernels runs every channel-lane kernel for every row count m in
// 1..MR (rows past m are never stored), every pixel count n in 1..NR and k
// around the unroll, with guard pages as above.
func TestChannelKernels(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		for i := range archChannelKernels {
			k := &archChannelKernels[i]
			if k.isa != isa {
				continue
			}
			t.Run(k.name, func(t *testing.T) {
				for _, atEnd := range []bool{true, false} {
					rng := rand.New(rand.NewPCG(uint64(k.v), uint64(k.nr)))
					R := k.v * k.lanes
					for m := 1; m <= R; m++ {
						for n := 1; n <= k.nr; n++ {
							K := kSweep[rng.IntN(len(kSweep))]
							runChannelCase(t, rng, k, m, n, K, atEnd, nil)
						}
					}
					for _, K := range kSweep {
						runChannelCase(t, rng, k, R, k.nr, K, atEnd, nil)
					}
				}
			})
		}
	})
}

func runChannelCase(t *testing.T, rng *rand.Rand, k *channelKernel, m, n, K int, atEnd bool, special inject) {
	R := k.v * k.lanes
	const span = 30
	off := make([]int64, K)
	for i := range off {
		off[i] = int64(rng.IntN(span))
	}
	off[rng.IntN(K)] = span - 1
	pix := make([]int64, k.nr)
	maxPix := 0
	if k.runs > 0 {
		// Two runs of nr/2 contiguous pixels, anywhere (overlapping,
		// reversed or adjacent), every one inside b: a run kernel reads
		// them all, stores the first n.
		h := k.nr / 2
		r0, r1 := int64(rng.IntN(20)), int64(rng.IntN(20))
		for j := range pix {
			pix[j] = r0 + int64(j)
			if j >= h {
				pix[j] = r1 + int64(j-h)
			}
			maxPix = max(maxPix, int(pix[j]))
		}
	} else {
		for j := 0; j < n; j++ {
			pix[j] = int64(rng.IntN(20))
			maxPix = max(maxPix, int(pix[j]))
		}
		for j := n; j < k.nr; j++ {
			pix[j] = pix[n-1]
		}
	}
	b := guarded(t, span+maxPix, atEnd)
	randFill(rng, b)
	offB := make([]int64, K)
	for i, o := range off {
		offB[i] = 4 * o
	}
	pixB := make([]int64, k.nr)
	for j, p := range pix {
		pixB[j] = 4 * p
	}
	a := guarded(t, K*R, atEnd)
	randFill(rng, a)
	bias := guarded(t, R, atEnd)
	randFill(rng, bias)
	clampV := randClamp(rng)
	if special != nil {
		special(a, b, bias)
	}
	ldc := n + rng.IntN(4)
	c := guarded(t, (m-1)*ldc+n, atEnd)
	fillSentinel(c)

	cl := openClampAsNil(rng, &clampV)
	// The prefetch hint: some lines of a, every address inside it.
	pfFrom := rng.IntN(len(a))
	npf := rng.IntN((len(a)-1-pfFrom)/16 + 1)
	// A run kernel writes part even when flags are 0: exactly its
	// accumulators, guarded; the others must not touch it.
	part := guarded(t, R*k.nr, atEnd)
	fillSentinel(part)
	k.fn(&a[0], &b[0], &offB[0], K, &pixB[0], &c[0], 4*ldc, m, 1<<n-1, &bias[0], cl, &part[0], 0, &a[pfFrom], npf)
	if k.runs == 0 {
		for i, v := range part {
			if v != sentinel {
				t.Fatalf("%s m=%d n=%d K=%d: part[%d] written with flags 0", k.name, m, n, K, i)
			}
		}
	}

	for l := 0; l < m; l++ {
		for j := 0; j < ldc && l*ldc+j < len(c); j++ {
			got := c[l*ldc+j]
			if j >= n {
				if got != sentinel {
					t.Fatalf("%s m=%d n=%d K=%d: row %d column %d past n was written", k.name, m, n, K, l, j)
				}
				continue
			}
			var want check.Acc
			for kk := 0; kk < K; kk++ {
				want.Product(a[kk*R+l], b[int(off[kk]+pix[j])])
			}
			want.Add(float64(bias[l]))
			if err := want.Check(got, clampV[0], clampV[1]); err != nil {
				t.Fatalf("%s m=%d n=%d K=%d row %d pixel %d: %v", k.name, m, n, K, l, j, err)
			}
		}
	}
	if k.parts && K > 1 {
		runChannelParts(t, rng, k, a, b, offB, pixB, c, ldc, m, n, K, bias, cl, atEnd)
	}
}

// runChannelParts computes the tile of runChannelCase again as a sum in
// two to four parts, the kept sums in a guarded buffer of exactly the
// kernel's accumulators, and checks that the parts store nothing until the
// last one and that the outputs are those of the single call bit for bit.
func runChannelParts(t *testing.T, rng *rand.Rand, k *channelKernel, a, b []float32, offB, pixB []int64, want []float32, ldc, m, n, K int, bias []float32, cl *[2]float32, atEnd bool) {
	R := k.v * k.lanes
	cuts := []int{0, K}
	for np := 1 + rng.IntN(min(3, K-1)); len(cuts) < np+2; {
		cut := 1 + rng.IntN(K-1)
		if !slices.Contains(cuts, cut) {
			cuts = append(cuts, cut)
		}
	}
	slices.Sort(cuts)
	part := guarded(t, R*k.nr, atEnd)
	randFill(rng, part) // the first part must not read it
	c := guarded(t, len(want), atEnd)
	fillSentinel(c)
	for p := 0; p+1 < len(cuts); p++ {
		k0, k1 := cuts[p], cuts[p+1]
		flags := 0
		if p > 0 {
			flags |= partResume
		}
		if p+2 < len(cuts) {
			flags |= partKeep
		}
		k.fn(&a[k0*R], &b[0], &offB[k0], k1-k0, &pixB[0], &c[0], 4*ldc, m, 1<<n-1, &bias[0], cl, &part[0], flags, &a[0], 0)
		if flags&partKeep != 0 {
			for i, v := range c {
				if v != sentinel {
					t.Fatalf("%s m=%d n=%d K=%d parts %v: part %d wrote output %d", k.name, m, n, K, cuts, p, i)
				}
			}
		}
	}
	for i := range c {
		if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s m=%d n=%d K=%d parts %v: output %d is %v, one call gives %v", k.name, m, n, K, cuts, i, c[i], want[i])
		}
	}
}

func TestPeakLoops(t *testing.T) {
	if PeakLoop(Generic, 10) != 240 {
		t.Fatalf("generic peak loop flops")
	}
	simdISAs(t, func(t *testing.T, isa ISA) {
		if f := PeakLoop(isa, 3); f <= 0 || f%3 != 0 {
			t.Fatalf("%s peak loop reports %d flops for 3 iterations", isa, f)
		}
	})
}

// TestDepthwiseKernels runs both variants of every depthwise kernel on
// lists of output vectors (every group remainder, every lane count for the
// masked variant) and 1 to 49 taps, against the exact result, with guard
// pages around the input, weights, bias and output.
func TestDepthwiseKernels(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		for i := range archDepthwiseKernels {
			k := &archDepthwiseKernels[i]
			if k.isa != isa {
				continue
			}
			for _, masked := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/masked=%v", k.name, masked), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(uint64(k.lanes), 7))
					group := k.group
					if masked {
						group = k.groupMasked
					}
					for _, atEnd := range []bool{true, false} {
						for nvec := 1; nvec <= 3*group; nvec++ {
							for _, taps := range []int{1, 2, 9, 25, 49} {
								runDepthwiseCase(t, rng, k, masked, nvec, taps, atEnd, nil)
							}
						}
					}
				})
			}
		}
	})
}

func runDepthwiseCase(t *testing.T, rng *rand.Rand, k *depthwiseKernel, masked bool, nvec, taps int, atEnd bool, special inject) {
	L := k.lanes
	group := k.group
	if masked {
		group = k.groupMasked
	}
	const span = 24 // tap offsets in [0, span)
	off := make([]int64, taps)
	for i := range off {
		off[i] = int64(rng.IntN(span))
	}
	off[rng.IntN(taps)] = span - 1
	// Vectors: input at random element offsets, outputs in disjoint runs.
	type vec struct{ in, out, lanes int }
	vs := make([]vec, nvec)
	maxIn, out := 0, 0
	for i := range vs {
		lanes := L
		if masked {
			lanes = 1 + rng.IntN(L-1)
		}
		vs[i] = vec{in: rng.IntN(3 * L), out: out, lanes: lanes}
		out += lanes + rng.IntN(3)
		maxIn = max(maxIn, vs[i].in+lanes)
	}
	x := guarded(t, maxIn+span-1, atEnd)
	randFill(rng, x)
	w := guarded(t, taps, atEnd)
	randFill(rng, w)
	bias := guarded(t, 1, atEnd)
	randFill(rng, bias)
	if special != nil {
		special(w, x, bias)
	}
	y := guarded(t, out, atEnd)
	fillSentinel(y)
	clampV := randClamp(rng)
	var list []int64
	for _, v := range vs {
		list = append(list, 4*int64(v.in), 4*int64(v.out), 1<<v.lanes-1)
	}
	list = padGroups(list, group)
	offB := make([]int64, taps)
	for i, o := range off {
		offB[i] = 4 * o
	}
	fn := k.full
	if masked {
		fn = k.masked
	}
	fn(&x[0], &offB[0], taps, &w[0], &bias[0], openClampAsNil(rng, &clampV), &y[0], &list[0], len(list)/3)
	written := make([]bool, len(y))
	for _, v := range vs {
		for l := 0; l < v.lanes; l++ {
			var want check.Acc
			want.Add(float64(bias[0]))
			for t := range off {
				want.Product(w[t], x[v.in+int(off[t])+l])
			}
			written[v.out+l] = true
			if err := want.Check(y[v.out+l], clampV[0], clampV[1]); err != nil {
				t.Fatalf("%s masked=%v nvec=%d taps=%d lane %d: %v", k.name, masked, nvec, taps, l, err)
			}
		}
	}
	for i, wr := range written {
		if !wr && y[i] != sentinel {
			t.Fatalf("%s masked=%v nvec=%d taps=%d: output %d outside every vector was written", k.name, masked, nvec, taps, i)
		}
	}
}

// TestDepthwiseRowKernels runs every k x k depthwise row kernel (stride 1
// or 2) over planes of every row count around its pass height, output
// widths around the vector width (so every tail and edge mask) and every
// padding 0..k-1 on each side, for one to three channels a call, against the exact result, with the input, weights, bias and
// output flush against guard pages. Blocks that start inside the plane
// (row0 > 0) and in the top padding (row0 < 0) are both covered.
func TestDepthwiseRowKernels(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		for i := range archDepthwiseRowKernels {
			k := &archDepthwiseRowKernels[i]
			if k.isa != isa {
				continue
			}
			t.Run(k.name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(k.k), 9))
				for _, atEnd := range []bool{true, false} {
					for h := 1; h <= k.stride*(2*k.rows+2); h++ {
						for _, ow := range []int{1, 2, k.lanes - 1, k.lanes, k.lanes + 1, 2*k.lanes + 5, 3 * k.lanes} {
							w := k.stride*ow + rng.IntN(k.stride)                                     // about ow output columns
							pad := [4]int{rng.IntN(k.k), rng.IntN(k.k), rng.IntN(k.k), rng.IntN(k.k)} // top, bottom, left, right
							runDepthwiseRowCase(t, rng, k, h, w, pad, atEnd, nil)
						}
					}
				}
			})
		}
	})
}

func runDepthwiseRowCase(t *testing.T, rng *rand.Rand, k *depthwiseRowKernel, h, w int, pad [4]int, atEnd bool, special inject) {
	S := k.stride
	if h+pad[0]+pad[1] < k.k || w+pad[2]+pad[3] < k.k {
		return
	}
	oh, ow := (h+pad[0]+pad[1]-k.k)/S+1, (w+pad[2]+pad[3]-k.k)/S+1
	// One call computes nch channels: their own planes one after another,
	// or (shared) all the same plane, as channels of one group do.
	nch, shared := 1+rng.IntN(3), rng.IntN(2) == 0
	planes := nch
	if shared {
		planes = 1
	}
	x := guarded(t, planes*h*w, atEnd)
	randFill(rng, x)
	taps := k.k * k.k
	wt := guarded(t, nch*taps, atEnd)
	randFill(rng, wt)
	bias := guarded(t, nch, atEnd)
	randFill(rng, bias)
	if special != nil {
		special(wt, x, bias)
	}
	// A block of output rows [r0, r0+rows), each channel's ystride apart.
	r0 := rng.IntN(oh)
	rows := 1 + rng.IntN(oh-r0)
	ldy := ow + rng.IntN(3)
	ystride := (rows-1)*ldy + ow + rng.IntN(3)
	y := guarded(t, (nch-1)*ystride+(rows-1)*ldy+ow, atEnd)
	fillSentinel(y)
	clampV := randClamp(rng)
	cols := dwColumns(ow, w, pad[2], k.k, k.lanes, k.shift, S)
	zero := make([]float32, S*ow+w+6*k.lanes)
	xstride := 4 * h * w
	if shared {
		xstride = 0
	}
	k.fn(&x[0], 4*pad[2], 4*w, h, r0*S-pad[0], &zero[0], &wt[0], &bias[0], openClampAsNil(rng, &clampV),
		&y[0], 4*ldy, rows, &cols[0], len(cols)/dwColEntry, nch, xstride, 4*ystride)
	written := make([]bool, len(y))
	for ch := 0; ch < nch; ch++ {
		in := x[ch*xstride/4:]
		for r := 0; r < rows; r++ {
			for c := 0; c < ow; c++ {
				i := ch*ystride + r*ldy + c
				written[i] = true
				var want check.Acc
				want.Add(float64(bias[ch]))
				for kh := 0; kh < k.k; kh++ {
					for kw := 0; kw < k.k; kw++ {
						iy, ix := (r0+r)*S+kh-pad[0], c*S+kw-pad[2]
						var v float32
						if iy >= 0 && iy < h && ix >= 0 && ix < w {
							v = in[iy*w+ix]
						}
						want.Product(wt[ch*taps+kh*k.k+kw], v)
					}
				}
				if err := want.Check(y[i], clampV[0], clampV[1]); err != nil {
					t.Fatalf("%s h=%d w=%d pad=%v rows %d+%d channel %d/%d: row %d column %d: %v", k.name, h, w, pad, r0, rows, ch, nch, r, c, err)
				}
			}
		}
	}
	for i, v := range y {
		if !written[i] && v != sentinel {
			t.Fatalf("%s h=%d w=%d pad=%v nch=%d: y[%d], outside every output row, was written", k.name, h, w, pad, nch, i)
		}
	}
}

// TestFeaturesKnown fails when a generated kernel uses a CPU feature that
// dispatch cannot check: such a path would be reported unavailable on every
// CPU instead of being tested.
func TestFeaturesKnown(t *testing.T) {
	for _, isa := range []ISA{AVX512, AVX2, NEON} {
		for _, f := range Features(isa) {
			if _, ok := cpuFeatures[f]; !ok {
				t.Errorf("%s kernels need %s, which kernels/features.go does not know", isa, f)
			}
		}
	}
}

// TestPadCopy runs each padded-row copy kernel (source step 1 and 2) for
// every row width around one and two vectors, left padding 0..3 and right
// padding 0..2, with the source and destination flush against guard pages:
// rows come out as zeros, the source row's elements, zeros, and nothing
// past either buffer (or past a source row's last element) is touched.
func TestPadCopy(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		for step, f := range map[int]padCopyFunc{1: archPadCopy[isa], 2: archPadCopy2[isa]} {
			if f == nil {
				t.Skipf("%s builds the virtual input in Go", isa)
			}
			lanes := 16
			if isa == AVX2 {
				lanes = 8
			}
			rng := rand.New(rand.NewPCG(11, uint64(isa)))
			for _, atEnd := range []bool{true, false} {
				for w := 1; w <= 2*lanes+1; w++ {
					for left := 0; left <= 3; left++ {
						for right := 0; right <= 2; right++ {
							rows := 1 + rng.IntN(3)
							rowLen := left + w + right
							srcRow := step*(w-1) + 1
							srcStride := srcRow + rng.IntN(3)
							src := guarded(t, (rows-1)*srcStride+srcRow, atEnd)
							randFill(rng, src)
							dst := guarded(t, rows*rowLen, atEnd)
							fillSentinel(dst)
							f(&dst[0], &src[0], rows, w, rowLen, left, 4*rowLen, 4*srcStride)
							for r := 0; r < rows; r++ {
								for j := 0; j < rowLen; j++ {
									want := float32(0)
									if j >= left && j < left+w {
										want = src[r*srcStride+step*(j-left)]
									}
									if got := dst[r*rowLen+j]; got != want {
										t.Fatalf("%s step %d w=%d left=%d right=%d row %d col %d: got %v, want %v", isa, step, w, left, right, r, j, got, want)
									}
								}
							}
						}
					}
				}
			}
		}
	})
}
