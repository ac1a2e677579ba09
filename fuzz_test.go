package simdconv_test

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdconv/simdconv"
)

// byteReader decodes fuzz input; past its end every value is 0.
type byteReader struct {
	b []byte
	i int
}

func (r *byteReader) intn(n int) int {
	if r.i >= len(r.b) {
		return 0
	}
	v := int(r.b[r.i]) % n
	r.i++
	return v
}

func (r *byteReader) uint64() uint64 {
	var b [8]byte
	for i := range b {
		b[i] = byte(r.intn(256))
	}
	return binary.LittleEndian.Uint64(b[:])
}

// specials are the values fuzzing injects into inputs, weights and biases.
var specials = []float32{
	float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
	3e38, -3e38, 1e20, 1e-40, -1e-42, float32(math.Copysign(0, -1)), 0,
}

// fuzzLayer is a layer with its data, decoded from fuzz input.
type fuzzLayer struct {
	s       simdconv.Shape
	x, w, b []float32
	lo, hi  float32
	opts    []simdconv.Option
}

// decodeLayer draws a small layer from every part of the parameter space
// (channels, image sizes around every tile width, kernel, stride, padding,
// dilation, groups, bias, clamp) and data with special values. It reports
// false for an invalid shape.
func decodeLayer(data []byte) (fuzzLayer, bool) {
	r := &byteReader{b: data}
	var l fuzzLayer
	groups := 1 + r.intn(4)
	cig, cog := 1+r.intn(6), 1+r.intn(50)
	if r.intn(4) == 0 { // depthwise
		groups, cig, cog = 1+r.intn(12), 1, 1+r.intn(2)
	}
	l.s = simdconv.NewShape(1+r.intn(2), groups*cig, 1+r.intn(20), 1+r.intn(40), groups*cog, 1+r.intn(5), 1+r.intn(5)).
		WithStride(1+r.intn(3), 1+r.intn(3)).
		WithPadding(r.intn(3), r.intn(3), r.intn(3), r.intn(3)).
		WithDilation(1+r.intn(3), 1+r.intn(3)).
		WithGroups(groups)
	if l.s.Validate() != nil || l.s.MACs() > 1<<20 {
		return l, false
	}
	rng := rand.New(rand.NewPCG(r.uint64(), 1))
	l.x, l.w = randData(rng, l.s.InputLen()), randData(rng, l.s.WeightsLen())
	if r.intn(2) == 0 {
		l.b = randData(rng, l.s.Co)
	}
	for n := r.intn(5); n > 0; n-- {
		v := specials[r.intn(len(specials))]
		switch r.intn(3) {
		case 0:
			l.x[r.intn(len(l.x))] = v
		case 1:
			l.w[r.intn(len(l.w))] = v
		default:
			if l.b != nil {
				l.b[r.intn(len(l.b))] = v
			}
		}
	}
	l.lo, l.hi = float32(math.Inf(-1)), float32(math.Inf(1))
	switch r.intn(3) {
	case 1:
		l.lo = 0
		l.opts = append(l.opts, simdconv.WithReLU())
	case 2:
		l.lo, l.hi = -0.5, 0.5
		l.opts = append(l.opts, simdconv.WithClamp(l.lo, l.hi))
	}
	return l, true
}

// layerSeed encodes the bytes decodeLayer reads for the given choices.
func layerSeed(groups, cig, cog, n, h, w, kh, kw, sh, sw, pad, dil int, bias bool, clampMode int, nSpecial int) []byte {
	b := []byte{byte(groups - 1), byte(cig - 1), byte(cog - 1), 1, byte(n - 1), byte(h - 1), byte(w - 1), byte(kh - 1), byte(kw - 1),
		byte(sh - 1), byte(sw - 1), byte(pad), byte(pad), byte(pad), byte(pad), byte(dil - 1), byte(dil - 1)}
	b = append(b, 7, 7, 7, 7, 7, 7, 7, 7) // data seed
	if bias {
		b = append(b, 0)
	} else {
		b = append(b, 1)
	}
	b = append(b, byte(nSpecial))
	for i := 0; i < nSpecial; i++ {
		b = append(b, byte(i), byte(i%3), byte(3*i+1))
	}
	return append(b, byte(clampMode))
}

// FuzzConv compares every available path, and the naive loops, with the
// exact result of a decoded layer, within the rounding-error bound; NaN and
// infinities must come out as IEEE arithmetic makes them (internal/check).
func FuzzConv(f *testing.F) {
	// Seeds: output channels around every register block (AVX-512 8 and 48,
	// AVX2 6 and 24, NEON), image widths around every tile width, 1x1 in
	// place, strides, dilation, groups, depthwise, special values, clamps.
	for _, co := range []int{1, 5, 6, 7, 8, 9, 16, 17, 23, 24, 25, 47, 48, 49} {
		f.Add(layerSeed(1, 3, co, 1, 7, 7, 3, 3, 1, 1, 1, 1, co%2 == 0, co%3, 0))
		f.Add(layerSeed(1, 4, co, 1, 5, 13, 1, 1, 1, 1, 0, 1, true, 0, 0))
	}
	for _, w := range []int{1, 2, 15, 16, 17, 31, 32, 33, 40} {
		f.Add(layerSeed(1, 2, 9, 1, 3, w, 1, 1, 1, 1, 0, 1, false, 0, 0))
		f.Add(layerSeed(1, 2, 8, 2, 4, w, 3, 2, 1, 1, 1, 1, true, 1, 0))
	}
	f.Add(layerSeed(1, 3, 16, 1, 15, 15, 5, 5, 2, 2, 2, 1, true, 0, 0))
	f.Add(layerSeed(1, 2, 7, 1, 11, 17, 3, 3, 3, 2, 1, 2, false, 2, 0))
	f.Add(layerSeed(2, 3, 5, 1, 9, 9, 3, 3, 1, 1, 1, 1, true, 0, 0))
	f.Add(layerSeed(4, 2, 6, 2, 6, 6, 2, 3, 1, 2, 0, 3, true, 2, 0))
	f.Add(layerSeed(1, 5, 40, 1, 7, 7, 3, 3, 1, 1, 1, 1, true, 0, 3))
	f.Add(layerSeed(1, 2, 3, 1, 3, 3, 2, 2, 1, 1, 0, 1, true, 1, 4))
	f.Add([]byte{3, 0, 0, 3, 0, 13, 27, 2, 2, 0, 0, 1, 1, 1, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 2, 5, 1, 9, 0}) // depthwise
	f.Fuzz(func(t *testing.T, data []byte) {
		l, ok := decodeLayer(data)
		if !ok {
			return
		}
		want := expected(l.s, l.x, l.w, l.b)
		for _, path := range append(simdconv.Paths(), simdconv.PathNaive) {
			p, err := simdconv.NewPlan(l.s, l.w, l.b, append(l.opts, simdconv.WithKernel(path))...)
			if err != nil {
				t.Fatal(err)
			}
			y := make([]float32, l.s.OutputLen())
			if err := p.Forward(y, l.x); err != nil {
				t.Fatal(err)
			}
			for i := range y {
				if err := want[i].Check(y[i], l.lo, l.hi); err != nil {
					t.Fatalf("path %s, %v (%s): output %d: %v", path, l.s, p.Info().Kernel, i, err)
				}
			}
		}
	})
}

// FuzzBadInput feeds raw shape values (negative, zero, huge) and slice
// lengths to the API: it must never panic, and must end either in an error
// that wraps a sentinel, with dst untouched, or in a correct result.
func FuzzBadInput(f *testing.F) {
	f.Add(1, 2, 3, 3, 1, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, 1, uint16(18), uint16(8), uint16(0), uint16(4))
	f.Add(0, 2, 3, 3, 1, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, 1, uint16(18), uint16(8), uint16(0), uint16(4))
	f.Add(1, 4, 5, 5, 6, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 2, uint16(100), uint16(108), uint16(6), uint16(54))
	f.Add(math.MaxInt, math.MaxInt, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, uint16(1), uint16(1), uint16(0), uint16(1))
	f.Add(1, 1, 4, 4, 1, 3, 3, 1, 1, math.MaxInt-2, 5, 0, 0, 1, 1, 1, uint16(16), uint16(9), uint16(0), uint16(4))
	f.Add(1, 3, 4, 4, 3, 3, 3, -1, 1, 0, 0, 0, 0, 1, 1, 3, uint16(48), uint16(27), uint16(3), uint16(12))
	f.Add(1, 1, 8, 8, 1, 3, 3, 1, 1, 0, 0, 0, 0, math.MaxInt/2, 1, 1, uint16(64), uint16(9), uint16(0), uint16(36))
	f.Fuzz(func(t *testing.T, n, ci, h, w, co, kh, kw, sh, sw, pt, pb, pl, pr, dh, dw, g int, lx, lw, lb, ly uint16) {
		s := simdconv.Shape{N: n, Ci: ci, H: h, W: w, Co: co, Kh: kh, Kw: kw, StrideH: sh, StrideW: sw,
			PadTop: pt, PadBottom: pb, PadLeft: pl, PadRight: pr, DilationH: dh, DilationW: dw, Groups: g}
		verr := s.Validate()
		if verr != nil {
			requireSentinel(t, verr)
		}
		if verr == nil && (s.InputLen() > 1<<16 || s.OutputLen() > 1<<16 || s.MACs() > 1<<22) {
			return // valid but too large to run here
		}
		rng := rand.New(rand.NewPCG(uint64(lx), uint64(ly)))
		x, wt, y := randData(rng, int(lx)), randData(rng, int(lw)), make([]float32, ly)
		var b []float32
		if lb > 0 {
			b = randData(rng, int(lb))
		}
		for i := range y {
			y[i] = 42
		}
		err := simdconv.Conv2D(y, x, wt, b, s)
		if err != nil {
			requireSentinel(t, err)
			for i := range y {
				if y[i] != 42 {
					t.Fatalf("dst changed despite error %v", err)
				}
			}
			return
		}
		if verr != nil {
			t.Fatalf("invalid shape %v accepted (%v)", s, verr)
		}
		checkConv(t, s, y, x, wt, b, float32(math.Inf(-1)), float32(math.Inf(1)))
	})
}

func requireSentinel(t *testing.T, err error) {
	t.Helper()
	for _, s := range []error{simdconv.ErrShape, simdconv.ErrOverflow, simdconv.ErrLength, simdconv.ErrOverlap, simdconv.ErrOption, simdconv.ErrPath} {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("error %v wraps no sentinel", err)
}
