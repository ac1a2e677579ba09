package simdconv_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdconv/simdconv"
)

func TestAutoPad(t *testing.T) {
	for _, c := range []struct {
		name       string
		s          simdconv.Shape
		mode       simdconv.AutoPad
		pads       [4]int // top, bottom, left, right
		outH, outW int
	}{
		{"valid", simdconv.NewShape(1, 1, 7, 8, 1, 3, 3).WithPadding(1, 1, 1, 1), simdconv.PadValid, [4]int{0, 0, 0, 0}, 5, 6},
		{"same 3x3", simdconv.NewShape(1, 1, 7, 8, 1, 3, 3), simdconv.PadSameUpper, [4]int{1, 1, 1, 1}, 7, 8},
		// Even kernel: total padding 1, the extra goes after (upper) or before (lower).
		{"same-upper 2x2", simdconv.NewShape(1, 1, 5, 5, 1, 2, 2), simdconv.PadSameUpper, [4]int{0, 1, 0, 1}, 5, 5},
		{"same-lower 2x2", simdconv.NewShape(1, 1, 5, 5, 1, 2, 2), simdconv.PadSameLower, [4]int{1, 0, 1, 0}, 5, 5},
		{"tf same = upper", simdconv.NewShape(1, 1, 5, 5, 1, 2, 2), simdconv.PadSameTF, [4]int{0, 1, 0, 1}, 5, 5},
		// Stride 2 on 224 with a 7x7 kernel (ResNet conv1 in TensorFlow): total 5.
		{"same stride 2", simdconv.NewShape(1, 3, 224, 224, 64, 7, 7).WithStride(2, 2), simdconv.PadSameUpper, [4]int{2, 3, 2, 3}, 112, 112},
		{"same stride 2 lower", simdconv.NewShape(1, 3, 224, 224, 64, 7, 7).WithStride(2, 2), simdconv.PadSameLower, [4]int{3, 2, 3, 2}, 112, 112},
		// Stride larger than needed: no padding at all.
		{"same stride 3 odd", simdconv.NewShape(1, 1, 7, 7, 1, 1, 1).WithStride(3, 3), simdconv.PadSameUpper, [4]int{0, 0, 0, 0}, 3, 3},
		// Dilation 2, kernel 3: extent 5, total 4 with stride 1.
		{"same dilated", simdconv.NewShape(1, 1, 9, 9, 1, 3, 3).WithDilation(2, 2), simdconv.PadSameUpper, [4]int{2, 2, 2, 2}, 9, 9},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := c.s.WithAutoPad(c.mode)
			require.NoError(t, err)
			assert.Equal(t, c.pads, [4]int{s.PadTop, s.PadBottom, s.PadLeft, s.PadRight})
			require.NoError(t, s.Validate())
			oh, ow := s.OutputSize()
			assert.Equal(t, [2]int{c.outH, c.outW}, [2]int{oh, ow})
		})
	}
	_, err := simdconv.NewShape(1, 1, 5, 5, 1, 3, 3).WithStride(0, 1).WithAutoPad(simdconv.PadSameUpper)
	require.ErrorIs(t, err, simdconv.ErrShape)
	_, err = simdconv.NewShape(1, 1, 5, 5, 1, 3, 3).WithAutoPad(simdconv.AutoPad(9))
	require.ErrorIs(t, err, simdconv.ErrShape)
}

func TestShapeString(t *testing.T) {
	s := simdconv.NewShape(1, 3, 224, 224, 64, 7, 7).WithStride(2, 2).WithPadding(3, 3, 3, 3)
	assert.Equal(t, "N=1 Ci=3 H=224 W=224 Co=64 Kh=7 Kw=7 stride=2x2 pad=3,3,3,3 dilation=1x1 groups=1", s.String())
	assert.False(t, s.IsDepthwise())
	assert.True(t, simdconv.NewShape(1, 8, 5, 5, 8, 3, 3).WithGroups(8).IsDepthwise())
}
