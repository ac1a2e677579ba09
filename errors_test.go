package simdconv_test

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdconv/simdconv"
)

func TestInvalidShapes(t *testing.T) {
	ok := simdconv.NewShape(1, 4, 8, 8, 6, 3, 3)
	big := math.MaxInt / 2
	for _, c := range []struct {
		name  string
		s     simdconv.Shape
		err   error
		words []string // the message names the field and value
	}{
		{"zero N", func() simdconv.Shape { s := ok; s.N = 0; return s }(), simdconv.ErrShape, []string{"N=0"}},
		{"negative Ci", func() simdconv.Shape { s := ok; s.Ci = -2; return s }(), simdconv.ErrShape, []string{"Ci=-2"}},
		{"zero H", func() simdconv.Shape { s := ok; s.H = 0; return s }(), simdconv.ErrShape, []string{"H=0"}},
		{"zero W", func() simdconv.Shape { s := ok; s.W = 0; return s }(), simdconv.ErrShape, []string{"W=0"}},
		{"zero Co", func() simdconv.Shape { s := ok; s.Co = 0; return s }(), simdconv.ErrShape, []string{"Co=0"}},
		{"zero Kh", func() simdconv.Shape { s := ok; s.Kh = 0; return s }(), simdconv.ErrShape, []string{"Kh=0"}},
		{"negative Kw", func() simdconv.Shape { s := ok; s.Kw = -1; return s }(), simdconv.ErrShape, []string{"Kw=-1"}},
		{"zero stride", ok.WithStride(0, 1), simdconv.ErrShape, []string{"StrideH=0"}},
		{"negative stride", ok.WithStride(1, -3), simdconv.ErrShape, []string{"StrideW=-3"}},
		{"zero dilation", ok.WithDilation(1, 0), simdconv.ErrShape, []string{"DilationW=0"}},
		{"zero groups", ok.WithGroups(0), simdconv.ErrShape, []string{"Groups=0"}},
		{"zero-value shape", simdconv.Shape{N: 1, Ci: 1, H: 1, W: 1, Co: 1, Kh: 1, Kw: 1}, simdconv.ErrShape, []string{"StrideH=0"}},
		{"negative padding", ok.WithPadding(0, -1, 0, 0), simdconv.ErrShape, []string{"PadBottom=-1"}},
		{"Ci not divisible", ok.WithGroups(3), simdconv.ErrShape, []string{"Ci=4", "Groups=3"}},
		{"Co not divisible", simdconv.NewShape(1, 4, 8, 8, 6, 3, 3).WithGroups(4), simdconv.ErrShape, []string{"Co=6", "Groups=4"}},
		{"kernel larger than input", simdconv.NewShape(1, 1, 4, 4, 1, 5, 3), simdconv.ErrShape, []string{"extent 5", "along H"}},
		{"dilated kernel larger", simdconv.NewShape(1, 1, 8, 8, 1, 3, 3).WithDilation(1, 4), simdconv.ErrShape, []string{"extent 9", "along W"}},
		{"padding does not save it", simdconv.NewShape(1, 1, 4, 4, 1, 3, 7).WithPadding(0, 0, 1, 1), simdconv.ErrShape, []string{"extent 7", "padded input 6"}},
		{"input overflows", simdconv.NewShape(big, big, 1, 1, 1, 1, 1), simdconv.ErrOverflow, []string{"input"}},
		{"weights overflow", simdconv.NewShape(1, big, 1, 1, big, 1, 1), simdconv.ErrOverflow, []string{"input"}},
		{"co*ci overflow", simdconv.NewShape(1, 1<<31, 1, 1, 1<<31, 1, 1), simdconv.ErrOverflow, []string{"weights"}},
		{"padding overflows", simdconv.NewShape(1, 1, 4, 4, 1, 1, 1).WithPadding(big, big, 0, 0), simdconv.ErrOverflow, []string{"H=4"}},
		{"dilation overflows", simdconv.NewShape(1, 1, 4, 4, 1, 3, 1).WithDilation(big, 1), simdconv.ErrOverflow, []string{"dilated kernel"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.s.Validate()
			require.ErrorIs(t, err, c.err)
			for _, w := range c.words {
				assert.Contains(t, err.Error(), w)
			}
			// NewPlan and Conv2D report the same error and compute nothing.
			_, err2 := simdconv.NewPlan(c.s, nil, nil)
			require.ErrorIs(t, err2, c.err)
			dst := []float32{42}
			require.ErrorIs(t, simdconv.Conv2D(dst, nil, nil, nil, c.s), c.err)
			assert.Equal(t, float32(42), dst[0])
		})
	}
}

func TestWrongLengths(t *testing.T) {
	s := simdconv.NewShape(2, 4, 6, 5, 3, 3, 2) // output 2*3*4*4
	w := make([]float32, s.WeightsLen())
	forEachPath(t, true, func(t *testing.T, path string) {
		for _, c := range []struct {
			name     string
			w, b     []float32
			dst, src int
			words    []string
		}{
			{"weights short", w[1:], nil, 0, 0, []string{"weights has 71", "want", "72"}},
			{"weights long", append(w, 0), nil, 0, 0, []string{"weights has 73"}},
			{"bias short", w, make([]float32, 2), 0, 0, []string{"bias has 2", "Co = 3"}},
			{"bias long", w, make([]float32, 4), 0, 0, []string{"bias has 4"}},
			{"src short", w, nil, 0, -1, []string{"src has 239", "240"}},
			{"src long", w, nil, 0, 1, []string{"src has 241"}},
			{"dst short", w, nil, -1, 0, []string{"dst has 95", "96"}},
			{"dst long", w, nil, 1, 0, []string{"dst has 97"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				dst := make([]float32, s.OutputLen()+c.dst)
				for i := range dst {
					dst[i] = 7
				}
				src := make([]float32, s.InputLen()+c.src)
				err := simdconv.Conv2D(dst, src, c.w, c.b, s, simdconv.WithKernel(path))
				require.ErrorIs(t, err, simdconv.ErrLength)
				for _, word := range c.words {
					assert.Contains(t, err.Error(), word)
				}
				for _, v := range dst {
					require.Equal(t, float32(7), v, "dst changed on error")
				}
			})
		}
	})
}

func TestOverlapRejected(t *testing.T) {
	s := simdconv.NewShape(1, 1, 4, 4, 1, 1, 1)
	buf := make([]float32, 32)
	p, err := simdconv.NewPlan(s, []float32{2}, nil)
	require.NoError(t, err)
	require.ErrorIs(t, p.Forward(buf[:16], buf[:16]), simdconv.ErrOverlap)
	require.ErrorIs(t, p.Forward(buf[8:24], buf[:16]), simdconv.ErrOverlap)
	require.ErrorIs(t, p.Forward(buf[:16], buf[15:31]), simdconv.ErrOverlap)
	// Adjacent but disjoint is fine.
	for i := range buf[:16] {
		buf[i] = float32(i)
	}
	require.NoError(t, p.Forward(buf[16:32], buf[:16]))
	assert.Equal(t, float32(30), buf[31])
}

func TestBadOptions(t *testing.T) {
	s := simdconv.NewShape(1, 1, 2, 2, 1, 1, 1)
	nan := float32(math.NaN())
	for _, c := range []struct {
		name  string
		opt   simdconv.Option
		err   error
		words []string
	}{
		{"clamp reversed", simdconv.WithClamp(2, 1), simdconv.ErrOption, []string{"lo=2", "hi=1"}},
		{"clamp NaN", simdconv.WithClamp(nan, 1), simdconv.ErrOption, []string{"NaN"}},
		{"negative workers", simdconv.WithWorkers(-1), simdconv.ErrOption, []string{"WithWorkers(-1)"}},
		{"unknown path", simdconv.WithKernel("sse9"), simdconv.ErrPath, []string{`"sse9"`, "not a path"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := simdconv.NewPlan(s, []float32{1}, nil, c.opt)
			require.ErrorIs(t, err, c.err)
			for _, w := range c.words {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	// A path this CPU or build lacks is an error, never a fallback.
	for _, path := range []string{simdconv.PathAVX512, simdconv.PathAVX2, simdconv.PathNEON} {
		why, missing := simdconv.CPU().Missing[path]
		if !missing {
			continue
		}
		_, err := simdconv.NewPlan(s, []float32{1}, nil, simdconv.WithKernel(path))
		require.ErrorIs(t, err, simdconv.ErrPath)
		assert.True(t, strings.Contains(err.Error(), why), err.Error())
	}
}
