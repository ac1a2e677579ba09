package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// specials are the values the kernel fuzzers inject.
var specials = []float32{
	float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
	3e38, -3e38, 1e20, 1e-40, -1e-42, float32(math.Copysign(0, -1)),
}

// fuzzSpecials decodes up to four (target, position, value) triples.
func fuzzSpecials(data []byte) inject {
	if len(data) == 0 {
		return nil
	}
	return func(a, b, bias []float32) {
		for i := 0; i+2 < len(data) && i < 12; i += 3 {
			v := specials[int(data[i+2])%len(specials)]
			switch dst := [][]float32{a, b, bias}[int(data[i])%3]; {
			case len(dst) > 0:
				dst[int(data[i+1])%len(dst)] = v
			}
		}
	}
}

// runnable lists the kernels of a table whose ISA this CPU runs.
func runnable[K any](table []K, isa func(*K) ISA) []*K {
	var ks []*K
	for i := range table {
		if k := &table[i]; len(Missing(isa(k))) == 0 {
			ks = append(ks, k)
		}
	}
	return ks
}

func availablePixelKernels() []*pixelKernel {
	return runnable(archPixelKernels, func(k *pixelKernel) ISA { return k.isa })
}

func availableChannelKernels() []*channelKernel {
	return runnable(archChannelKernels, func(k *channelKernel) ISA { return k.isa })
}

// FuzzPixelKernel runs one pixel-lane kernel of this CPU on a decoded case
// (kernel, rows m, lanes of the last vector, K, data seed, special values)
// against the exact result, with guard pages.
func FuzzPixelKernel(f *testing.F) {
	for k := 0; k < 24; k++ {
		f.Add(uint8(k), uint8(k), uint8(k*5), uint8(1+k%9), uint64(k), []byte{})
	}
	f.Add(uint8(0), uint8(7), uint8(15), uint8(17), uint64(1), []byte{1, 3, 0, 0, 5, 1})
	f.Add(uint8(2), uint8(8), uint8(16), uint8(64), uint64(2), []byte{2, 0, 3, 1, 1, 4, 0, 9, 6})
	f.Fuzz(func(t *testing.T, kernel, m, last, K uint8, seed uint64, sp []byte) {
		ks := availablePixelKernels()
		if len(ks) == 0 {
			t.Skip("no SIMD kernels on this CPU")
		}
		k := ks[int(kernel)%len(ks)]
		rng := rand.New(rand.NewPCG(seed, 3))
		runPixelCase(t, rng, k, 1+int(m)%k.mr, 1+int(last)%k.lanes, 1+int(K)%200, seed%2 == 0, fuzzSpecials(sp))
	})
}

// FuzzChannelKernel does the same for the channel-lane kernels (rows m,
// pixels n).
func FuzzChannelKernel(f *testing.F) {
	for k := 0; k < 16; k++ {
		f.Add(uint8(k), uint8(k*7), uint8(k), uint8(1+k%9), uint64(k), []byte{})
	}
	f.Add(uint8(3), uint8(47), uint8(6), uint8(33), uint64(5), []byte{0, 2, 0, 1, 1, 2, 2, 0, 4})
	f.Fuzz(func(t *testing.T, kernel, m, n, K uint8, seed uint64, sp []byte) {
		ks := availableChannelKernels()
		if len(ks) == 0 {
			t.Skip("no SIMD kernels on this CPU")
		}
		k := ks[int(kernel)%len(ks)]
		rng := rand.New(rand.NewPCG(seed, 4))
		runChannelCase(t, rng, k, 1+int(m)%(k.v*k.lanes), 1+int(n)%k.nr, 1+int(K)%200, seed%2 == 0, fuzzSpecials(sp))
	})
}

// FuzzDepthwiseKernel runs the depthwise kernels of this CPU on decoded
// cases: the output-vector kernels (whole or masked vectors, any number of
// vectors and taps) and the row-pass k x k kernels (any plane size, padding
// and block of rows), with special values, against the exact result, with
// guard pages.
func FuzzDepthwiseKernel(f *testing.F) {
	for k := 0; k < 8; k++ {
		f.Add(uint8(k), uint8(1+3*k), uint8(k*7), uint8(k), uint64(k), []byte{})
	}
	f.Add(uint8(1), uint8(20), uint8(40), uint8(3), uint64(9), []byte{0, 1, 0, 1, 2, 1, 2, 0, 2})
	f.Add(uint8(4), uint8(9), uint8(33), uint8(7), uint64(10), []byte{1, 5, 3})
	f.Fuzz(func(t *testing.T, kernel, a, b, c uint8, seed uint64, sp []byte) {
		rng := rand.New(rand.NewPCG(seed, 5))
		dws := runnable(archDepthwiseKernels, func(k *depthwiseKernel) ISA { return k.isa })
		rows := runnable(archDepthwiseRowKernels, func(k *depthwiseRowKernel) ISA { return k.isa })
		n := 2*len(dws) + len(rows)
		if n == 0 {
			t.Skip("no depthwise kernels on this CPU")
		}
		i := int(kernel) % n
		if i < 2*len(dws) {
			k := dws[i/2]
			runDepthwiseCase(t, rng, k, i%2 == 1, 1+int(a)%40, 1+int(b)%60, seed%2 == 0, fuzzSpecials(sp))
			return
		}
		k := rows[i-2*len(dws)]
		pad := [4]int{int(c) % k.k, int(c/4) % k.k, int(c/16) % k.k, int(c/64) % k.k}
		runDepthwiseRowCase(t, rng, k, 1+int(a)%40, 1+int(b)%70, pad, seed%2 == 0, fuzzSpecials(sp))
	})
}
