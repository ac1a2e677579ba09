package kernels

import (
	"math/bits"
	"math/rand/v2"
	"testing"
)

// TestPixelPrefetchInside checks the prefetch span of every pixel-lane call:
// a call prefetches, in each im2col row, the bytes [0, pfLast] from the next
// tile's first pixel, and those must be the pixels the next tile's own call
// loads (its whole vectors and the lanes of its last one's mask), no more,
// so that no prefetch leaves the virtual input or the caller's input.
// (Prefetches cannot fault, so the guard-page tests do not see them.)
func TestPixelPrefetchInside(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		rng := rand.New(rand.NewPCG(5, uint64(isa)))
		checked := 0
		for i := 0; i < 200; i++ {
			c := randomDenseConv(rng, i%2 == 0)
			if i%2 == 0 { // larger images: many tiles per block
				c.H, c.W = 1+rng.IntN(60), 1+rng.IntN(60)
			}
			var mr int
			for _, k := range archPixelKernels {
				if k.isa == isa && k.mr > 1 {
					mr = k.mr
				}
			}
			if mr == 0 {
				t.Skipf("no %s pixel-lane kernels with MR > 1", isa)
			}
			p, _, _ := compileForced(c, isa, choice{mr: mr}, 1+rng.IntN(2), rng)
			s := p.simd
			if s == nil || len(s.pix) == 0 {
				t.Fatalf("%+v: not compiled for the pixel algorithm", c)
			}
			for short, ts := range s.tiles {
				if len(ts.readLast) != len(ts.tileV) {
					t.Fatalf("%+v tiles[%d]: %d read spans for %d tiles", c, short, len(ts.readLast), len(ts.tileV))
				}
				for ti, nv := range ts.tileV {
					loaded := (nv-1)*s.lanes + bits.Len(uint(ts.lastMask[ti]))
					if bits.OnesCount(uint(ts.lastMask[ti])) != bits.Len(uint(ts.lastMask[ti])) {
						t.Fatalf("%+v tile %d: last-vector mask %#x is not a run of low lanes", c, ti, ts.lastMask[ti])
					}
					if want := 4 * (loaded - 1); ts.readLast[ti] != want {
						t.Fatalf("%+v tile %d of %d: prefetch span ends %d bytes past its first pixel; the tile loads %d pixels (last at %d)",
							c, ti, len(ts.tileV), ts.readLast[ti], loaded, want)
					}
					checked++
				}
			}
		}
		if checked == 0 {
			t.Fatal("no tile checked")
		}
	})
}
