package kernels

import (
	"fmt"
	"testing"
)

// BenchmarkPixelKernel measures one pixel kernel on cache-resident data: the
// micro-kernel's own speed, without packing or the driver. Reported as
// GFLOP/s of the tile's useful work.
func BenchmarkPixelKernel(b *testing.B) {
	for i := range archPixelKernels {
		k := &archPixelKernels[i]
		if len(Missing(k.isa)) > 0 || (k.mr == 1 && k.v != 16 && k.v != 12) {
			continue
		}
		for _, K := range []int{64, 256, 1024} {
			b.Run(fmt.Sprintf("%s/K=%d", k.name, K), func(b *testing.B) {
				n := k.v * k.lanes
				a := make([]float32, K*k.mr)
				bb := make([]float32, K*n)
				offB := make([]int64, K)
				for i := range offB {
					offB[i] = int64(4 * i * n)
				}
				c := make([]float32, k.mr*n)
				var segs []int64
				for v := 0; v < k.v; v++ {
					segs = append(segs, 1, int64(0), 1<<k.lanes-1)
				}
				bias := make([]float32, k.mr)
				cl := [2]float32{-1e30, 1e30}
				b.ResetTimer()
				for it := 0; it < b.N; it++ {
					k.fn(&a[0], &bb[0], &offB[0], K, &c[0], 4*n, k.mr, 1<<k.lanes-1, &bias[0], &cl, &segs[0])
				}
				b.ReportMetric(float64(b.N)*float64(2*K*k.mr*n)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

func BenchmarkChannelKernel(b *testing.B) {
	for i := range archChannelKernels {
		k := &archChannelKernels[i]
		if len(Missing(k.isa)) > 0 {
			continue
		}
		for _, K := range []int{64, 512} {
			b.Run(fmt.Sprintf("%s/K=%d", k.name, K), func(b *testing.B) {
				R := k.v * k.lanes
				a := make([]float32, K*R)
				bb := make([]float32, K+16)
				offB := make([]int64, K)
				for i := range offB {
					offB[i] = int64(4 * i)
				}
				pix := make([]int64, k.nr)
				c := make([]float32, R*k.nr)
				bias := make([]float32, R)
				cl := [2]float32{-1e30, 1e30}
				b.ResetTimer()
				for it := 0; it < b.N; it++ {
					k.fn(&a[0], &bb[0], &offB[0], K, &pix[0], &c[0], 4*k.nr, R, 1<<k.nr-1, &bias[0], &cl)
				}
				b.ReportMetric(float64(b.N)*float64(2*K*R*k.nr)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
