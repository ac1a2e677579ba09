package kernels

import (
	"fmt"
	"math"
	"testing"
)

// BenchmarkPixelKernel measures one pixel kernel on cache-resident data: the
// micro-kernel's own speed, without packing or the driver. Reported as
// GFLOP/s of the tile's useful work. stores=segments stores each vector
// through the segment list (as at the edges of rows, and as the efficiency
// table in cost.go was measured); stores=run as one run of whole vectors (as
// 1x1 layers and rows wider than a tile do), where the epilogue is short.
func BenchmarkPixelKernel(b *testing.B) {
	for i := range archPixelKernels {
		k := &archPixelKernels[i]
		if len(Missing(k.isa)) > 0 || (k.mr == 1 && k.v != 16 && k.v != 12) {
			continue
		}
		for _, K := range []int{64, 256, 1024} {
			for _, run := range []bool{false, true} {
				if run && !k.runStores {
					continue
				}
				stores := map[bool]string{false: "segments", true: "run"}[run]
				b.Run(fmt.Sprintf("%s/K=%d/stores=%s", k.name, K, stores), func(b *testing.B) {
					n := k.v * k.lanes
					a := make([]float32, K*k.mr)
					bb := make([]float32, K*n)
					offB := make([]int64, K)
					for i := range offB {
						offB[i] = int64(4 * i * n)
					}
					c := make([]float32, k.mr*n)
					segs := []int64{-1, 0}
					if !run {
						segs = nil
						for v := 0; v < k.v; v++ {
							segs = append(segs, 1, int64(0), 1<<k.lanes-1)
						}
					}
					bias := make([]float32, k.mr)
					cl := [2]float32{-1e30, 1e30}
					b.ResetTimer()
					for it := 0; it < b.N; it++ {
						k.fn(&a[0], &bb[0], &offB[0], K, &c[0], 4*n, k.mr, 1<<k.lanes-1, &bias[0], &cl, &segs[0], 1, &bb[0], 0)
					}
					b.ReportMetric(float64(b.N)*float64(2*K*k.mr*n)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

func BenchmarkChannelKernel(b *testing.B) {
	for i := range archChannelKernels {
		k := &archChannelKernels[i]
		if len(Missing(k.isa)) > 0 {
			continue
		}
		// in: the input row of each k step; dense: consecutive floats (one
		// cache line per 16 k steps, all in L1); plane: the rows of a 14x14
		// 1x1 layer read in place (a new line per k step; at K = 512 from
		// L2), the
		// pixel tiles of the image taken in turn as in a layer.
		for _, in := range []string{"dense", "plane"} {
			for _, K := range []int{64, 512} {
				b.Run(fmt.Sprintf("%s/K=%d/in=%s", k.name, K, in), func(b *testing.B) {
					R := k.v * k.lanes
					a := make([]float32, K*R)
					stride, P := 1, k.nr
					if in == "plane" {
						stride, P = 196, 196/k.nr*k.nr
					}
					bb := make([]float32, K*stride+16)
					offB := make([]int64, K)
					for i := range offB {
						offB[i] = int64(4 * i * stride)
					}
					pix := make([]int64, P)
					for j := range pix {
						pix[j] = int64(4 * (j % stride))
					}
					c := make([]float32, R*max(P, stride))
					bias := make([]float32, R)
					cl := [2]float32{-1e30, 1e30}
					part := make([]float32, R*k.nr) // written by run kernels
					b.ResetTimer()
					for it, px := 0, 0; it < b.N; it, px = it+1, (px+k.nr)%P {
						k.fn(&a[0], &bb[0], &offB[0], K, &pix[px], &c[px], 4*max(P, stride), R, 1<<k.nr-1, &bias[0], &cl, &part[0], 0, &a[0], 0)
					}
					b.ReportMetric(float64(b.N)*float64(2*K*R*k.nr)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// BenchmarkDepthwise measures 3x3 stride-1 depthwise layers (the kernel the
// plan picks, copies and driver included) on planes from 7 to 112 pixels
// wide, with few channels (cache-resident) and many.
func BenchmarkDepthwise(b *testing.B) {
	for _, isa := range []ISA{AVX512, AVX2, NEON, Generic} {
		if !Compiled(isa) || len(Missing(isa)) > 0 {
			continue
		}
		for _, hw := range []int{7, 14, 28, 56, 112} {
			for _, ch := range []int{16, 256} {
				if hw*hw*ch > 1<<19 {
					continue
				}
				c := Conv{N: 1, Ci: ch, H: hw, W: hw, Co: ch, Kh: 3, Kw: 3, SH: 1, SW: 1, PT: 1, PB: 1, PL: 1, PR: 1, DH: 1, DW: 1, G: ch}
				p := Compile(c, isa, make([]float32, ch*9), nil, float32(math.Inf(-1)), float32(math.Inf(1)), 1)
				b.Run(fmt.Sprintf("%s/%s/hw=%d/ch=%d", isa, p.Describe().Kernel, hw, ch), func(b *testing.B) {
					x := make([]float32, ch*hw*hw)
					y := make([]float32, ch*hw*hw)
					work := p.NewScratch()
					for i := 0; i < b.N; i++ {
						work.Forget()
						for t := 0; t < p.Tasks(); t++ {
							p.Run(t, y, x, work)
						}
					}
					b.ReportMetric(float64(b.N)*float64(18*ch*hw*hw)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// BenchmarkVirtualInput measures the copies into the zero-padded virtual
// input that one single-worker call of a layer makes (every block's, with
// the plan the cost model picks), reported per call: for a strided layer
// a whole copy reads the whole input, four times the data of a stride-1
// layer of the same arithmetic, so its plan copies only what the tiles at
// the image's edges read (edges.go).
func BenchmarkVirtualInput(b *testing.B) {
	for _, l := range []struct {
		name string
		c    Conv
	}{
		{"r50_3_s2", Conv{N: 1, Ci: 128, H: 56, W: 56, Co: 128, Kh: 3, Kw: 3, SH: 2, SW: 2, PT: 1, PB: 1, PL: 1, PR: 1, DH: 1, DW: 1, G: 1}},
		{"r50_3_3x3", Conv{N: 1, Ci: 128, H: 28, W: 28, Co: 128, Kh: 3, Kw: 3, SH: 1, SW: 1, PT: 1, PB: 1, PL: 1, PR: 1, DH: 1, DW: 1, G: 1}},
	} {
		for _, isa := range []ISA{AVX512, AVX2, NEON, Generic} {
			if !Compiled(isa) || len(Missing(isa)) > 0 {
				continue
			}
			c := l.c
			p := Compile(c, isa, make([]float32, c.Co*c.Ci/c.G*c.Kh*c.Kw), nil, float32(math.Inf(-1)), float32(math.Inf(1)), 1)
			g := &p.g
			if p.readsInput || g.direct {
				continue
			}
			b.Run(fmt.Sprintf("%s/%s/blocks=%d", isa, l.name, p.nBlocks), func(b *testing.B) {
				x := make([]float32, c.N*c.Ci*c.H*c.W)
				vin := make([]float32, g.blockVinLen())
				for i := 0; i < b.N; i++ {
					for bi := 0; bi < p.nBlocks; bi++ {
						if e := p.edgeTiles(); e != nil {
							fillBlock(c, g, vin, x, bi*g.blockRows*g.rowsPerOut, e.fill[bi], archPadCopy[isa])
						} else {
							buildBlock(c, g, vin, x, bi*g.blockRows*g.rowsPerOut, archPadCopy[isa], archPadCopy2[isa])
						}
					}
				}
			})
		}
	}
}
