package simdconv_test

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/simdconv/simdconv"
	"github.com/simdconv/simdconv/internal/check"
	"github.com/simdconv/simdconv/kernels"
)

// forEachPath runs body as a subtest under every kernel path this machine
// has, plus the naive reference when withNaive is set. Paths the CPU lacks
// show up as skipped subtests, so a run says what it did not cover.
func forEachPath(t *testing.T, withNaive bool, body func(t *testing.T, path string)) {
	t.Helper()
	have := map[string]bool{}
	for _, p := range simdconv.Paths() {
		have[p] = true
	}
	all := []string{simdconv.PathAVX512, simdconv.PathAVX2, simdconv.PathNEON, simdconv.PathGeneric}
	if withNaive {
		all = append(all, simdconv.PathNaive)
		have[simdconv.PathNaive] = true
	}
	for _, p := range all {
		t.Run("path="+p, func(t *testing.T) {
			if !have[p] {
				t.Skipf("path %s not available: %s", p, simdconv.CPU().Missing[p])
			}
			body(t, p)
		})
	}
}

// randData returns n values uniform in [-1, 1): random mantissas, not small
// integers, so that every rounding shows.
func randData(rng *rand.Rand, n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.Float64()*2 - 1)
	}
	return v
}

// expected returns, for every output of the layer, the exact terms of its
// sum (products and bias), from which check.Acc judges a float32 result.
func expected(s simdconv.Shape, src, w, bias []float32) []check.Acc {
	acc := make([]check.Acc, s.OutputLen())
	c := kernels.Conv{
		N: s.N, Ci: s.Ci, H: s.H, W: s.W, Co: s.Co, Kh: s.Kh, Kw: s.Kw,
		SH: s.StrideH, SW: s.StrideW, PT: s.PadTop, PB: s.PadBottom, PL: s.PadLeft, PR: s.PadRight,
		DH: s.DilationH, DW: s.DilationW, G: s.Groups,
	}
	kernels.ForEachTerm(c, src, w, bias, func(out int, t float64) { acc[out].Add(t) })
	return acc
}

// checkConv compares got with the exact result of the layer, output by
// output, within the rounding-error bound of its sum (see internal/check),
// after the same clamp.
func checkConv(t *testing.T, s simdconv.Shape, got, src, w, bias []float32, lo, hi float32) {
	t.Helper()
	want := expected(s, src, w, bias)
	bad := 0
	for i := range got {
		if err := want[i].Check(got[i], lo, hi); err != nil {
			if bad < 5 {
				t.Errorf("%v: output %d: %v", s, i, err)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d outputs wrong", bad, len(got))
	}
}

// runPath computes the layer on one path with the given options.
func runPath(t *testing.T, path string, s simdconv.Shape, src, w, bias []float32, opts ...simdconv.Option) []float32 {
	t.Helper()
	p, err := simdconv.NewPlan(s, w, bias, append(opts, simdconv.WithKernel(path))...)
	require.NoError(t, err)
	require.Equal(t, path, p.Path())
	dst := make([]float32, s.OutputLen())
	require.NoError(t, p.Forward(dst, src))
	return dst
}

// TestExpectedDefaultPath lets CI demand the path dispatch must choose on
// the machine (or emulated CPU) it runs on: SIMDCONV_EXPECT_PATH=avx2 fails
// the run unless avx2 was chosen.
func TestExpectedDefaultPath(t *testing.T) {
	want := os.Getenv("SIMDCONV_EXPECT_PATH")
	if want == "" {
		t.Skip("SIMDCONV_EXPECT_PATH not set")
	}
	info := simdconv.CPU()
	require.Equal(t, want, info.Default, "dispatch chose %s: %s", info.Default, info)
	p, err := simdconv.NewPlan(simdconv.NewShape(1, 1, 1, 1, 1, 1, 1), []float32{1}, nil)
	require.NoError(t, err)
	require.Equal(t, want, p.Path())
}

var (
	negInf = float32(math.Inf(-1))
	posInf = float32(math.Inf(1))
)
