package simdconv

import (
	"fmt"
	"math"
	"math/bits"
)

// Shape describes one 2-D convolution layer in NCHW / OIHW layout:
//
//	input   X[N][Ci][H][W]
//	weights K[Co][Ci/Groups][Kh][Kw]
//	bias    b[Co] (optional)
//	output  Y[N][Co][OH][OW]
//
//	OH = (H + PadTop + PadBottom - DilationH*(Kh-1) - 1)/StrideH + 1
//	OW = (W + PadLeft + PadRight - DilationW*(Kw-1) - 1)/StrideW + 1
//
// Output channel co of group g = co/(Co/Groups) is the sum, over the Ci/Groups
// input channels of that group, of the 2-D cross-correlation of the channel
// with the kernel slice K[co][ci], plus b[co]. Padded positions are zeros and
// are multiplied like any other input.
//
// The zero Shape is not valid: StrideH, StrideW, DilationH, DilationW and
// Groups must be at least 1. NewShape fills them in.
type Shape struct {
	N, Ci, H, W int // batch, input channels, input height and width
	Co, Kh, Kw  int // output channels, kernel height and width

	StrideH, StrideW                     int
	PadTop, PadBottom, PadLeft, PadRight int
	DilationH, DilationW                 int
	Groups                               int
}

// NewShape returns the shape of a convolution with stride 1, no padding,
// dilation 1 and a single group. Use the With methods to change those.
func NewShape(n, ci, h, w, co, kh, kw int) Shape {
	return Shape{
		N: n, Ci: ci, H: h, W: w, Co: co, Kh: kh, Kw: kw,
		StrideH: 1, StrideW: 1, DilationH: 1, DilationW: 1, Groups: 1,
	}
}

// WithStride returns s with the given vertical and horizontal strides.
func (s Shape) WithStride(h, w int) Shape { s.StrideH, s.StrideW = h, w; return s }

// WithPadding returns s with explicit zero padding on each side.
func (s Shape) WithPadding(top, bottom, left, right int) Shape {
	s.PadTop, s.PadBottom, s.PadLeft, s.PadRight = top, bottom, left, right
	return s
}

// WithDilation returns s with the given vertical and horizontal dilations.
func (s Shape) WithDilation(h, w int) Shape { s.DilationH, s.DilationW = h, w; return s }

// WithGroups returns s with the given number of groups. Groups == Ci == Co is
// a depthwise convolution.
func (s Shape) WithGroups(g int) Shape { s.Groups = g; return s }

// AutoPad names a padding convention that derives the padding from the
// input size, kernel, stride and dilation.
type AutoPad int

const (
	// PadValid uses no padding: only windows that fit inside the input.
	PadValid AutoPad = iota
	// PadSameUpper pads so that OH = ceil(H/StrideH) and OW = ceil(W/StrideW),
	// putting the odd extra row or column at the bottom and right, as ONNX
	// auto_pad=SAME_UPPER does.
	PadSameUpper
	// PadSameLower is PadSameUpper with the odd extra row or column at the
	// top and left, as ONNX auto_pad=SAME_LOWER does.
	PadSameLower
	// PadSameTF is TensorFlow's padding="SAME", which is the same as
	// PadSameUpper.
	PadSameTF = PadSameUpper
)

func (a AutoPad) String() string {
	switch a {
	case PadValid:
		return "valid"
	case PadSameUpper:
		return "same-upper"
	case PadSameLower:
		return "same-lower"
	}
	return fmt.Sprintf("AutoPad(%d)", int(a))
}

// WithAutoPad returns s with its padding set by the convention mode. It needs
// valid sizes, strides and dilations, and returns an error wrapping ErrShape
// or ErrOverflow otherwise.
func (s Shape) WithAutoPad(mode AutoPad) (Shape, error) {
	if err := s.checkAutoPadInputs(); err != nil {
		return s, err
	}
	var err error
	switch mode {
	case PadValid:
		s.PadTop, s.PadBottom, s.PadLeft, s.PadRight = 0, 0, 0, 0
	case PadSameUpper, PadSameLower:
		var th, tw int
		if th, err = samePadTotal("H", s.H, s.Kh, s.StrideH, s.DilationH); err != nil {
			return s, err
		}
		if tw, err = samePadTotal("W", s.W, s.Kw, s.StrideW, s.DilationW); err != nil {
			return s, err
		}
		small, large := th/2, th-th/2
		if mode == PadSameLower {
			small, large = large, small
		}
		s.PadTop, s.PadBottom = small, large
		small, large = tw/2, tw-tw/2
		if mode == PadSameLower {
			small, large = large, small
		}
		s.PadLeft, s.PadRight = small, large
	default:
		return s, fmt.Errorf("%w: unknown AutoPad mode %d", ErrShape, int(mode))
	}
	return s, nil
}

func (s Shape) checkAutoPadInputs() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"H", s.H}, {"W", s.W}, {"Kh", s.Kh}, {"Kw", s.Kw}, {"StrideH", s.StrideH},
		{"StrideW", s.StrideW}, {"DilationH", s.DilationH}, {"DilationW", s.DilationW}} {
		if f.v < 1 {
			return fmt.Errorf("%w: %s=%d, must be at least 1", ErrShape, f.name, f.v)
		}
	}
	return nil
}

// samePadTotal is the total padding along one axis that makes the output
// size ceil(in/stride).
func samePadTotal(axis string, in, k, stride, dil int) (int, error) {
	out := (in + stride - 1) / stride
	span, ok := mulAdd((k - 1), dil, 1) // dilated kernel extent
	if !ok {
		return 0, fmt.Errorf("%w: dilated kernel extent along %s", ErrOverflow, axis)
	}
	need, ok := mulAdd(out-1, stride, span)
	if !ok {
		return 0, fmt.Errorf("%w: padded extent along %s", ErrOverflow, axis)
	}
	return max(need-in, 0), nil
}

// mulAdd returns a*b+c for non-negative a, b, c and whether it fits in int.
func mulAdd(a, b, c int) (int, bool) {
	p, ok := mulInt(a, b)
	if !ok || p > math.MaxInt-c {
		return 0, false
	}
	return p + c, true
}

// mulInt multiplies non-negative ints, reporting overflow.
func mulInt(a, b int) (int, bool) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi != 0 || lo > math.MaxInt {
		return 0, false
	}
	return int(lo), true
}

// OutputSize returns OH and OW. The values are meaningful only for a shape
// that passes Validate.
func (s Shape) OutputSize() (oh, ow int) {
	if s.StrideH < 1 || s.StrideW < 1 {
		return 0, 0
	}
	oh = (s.H+s.PadTop+s.PadBottom-s.DilationH*(s.Kh-1)-1)/s.StrideH + 1
	ow = (s.W+s.PadLeft+s.PadRight-s.DilationW*(s.Kw-1)-1)/s.StrideW + 1
	return oh, ow
}

// InputLen is the number of elements of X: N*Ci*H*W.
func (s Shape) InputLen() int { return s.N * s.Ci * s.H * s.W }

// WeightsLen is the number of elements of K: Co*(Ci/Groups)*Kh*Kw.
func (s Shape) WeightsLen() int {
	if s.Groups < 1 {
		return 0
	}
	return s.Co * (s.Ci / s.Groups) * s.Kh * s.Kw
}

// BiasLen is the number of elements of the optional bias: Co.
func (s Shape) BiasLen() int { return s.Co }

// OutputLen is the number of elements of Y: N*Co*OH*OW.
func (s Shape) OutputLen() int {
	oh, ow := s.OutputSize()
	return s.N * s.Co * oh * ow
}

// MACs is the number of multiply-adds: N*Co*(Ci/Groups)*Kh*Kw*OH*OW.
func (s Shape) MACs() int64 {
	if s.Groups < 1 {
		return 0
	}
	oh, ow := s.OutputSize()
	return int64(s.N) * int64(s.Co) * int64(s.Ci/s.Groups) * int64(s.Kh) * int64(s.Kw) * int64(oh) * int64(ow)
}

// FLOPs is twice MACs: each multiply-add counts as two floating-point
// operations.
func (s Shape) FLOPs() int64 { return 2 * s.MACs() }

// IsDepthwise reports whether every group has one input channel
// (Groups == Ci), the MobileNet depthwise convolution when also Co == Ci.
func (s Shape) IsDepthwise() bool { return s.Groups > 1 && s.Groups == s.Ci }

// String formats the shape compactly, for logs and error messages.
func (s Shape) String() string {
	return fmt.Sprintf("N=%d Ci=%d H=%d W=%d Co=%d Kh=%d Kw=%d stride=%dx%d pad=%d,%d,%d,%d dilation=%dx%d groups=%d",
		s.N, s.Ci, s.H, s.W, s.Co, s.Kh, s.Kw, s.StrideH, s.StrideW,
		s.PadTop, s.PadBottom, s.PadLeft, s.PadRight, s.DilationH, s.DilationW, s.Groups)
}

// maxElems bounds every tensor so that its size in bytes, and every byte
// offset into it, fits in an int.
const maxElems = math.MaxInt / 4

// Validate reports whether s describes a layer this package can compute. The
// error wraps ErrShape or ErrOverflow and names the offending field.
func (s Shape) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"N", s.N}, {"Ci", s.Ci}, {"H", s.H}, {"W", s.W}, {"Co", s.Co}, {"Kh", s.Kh}, {"Kw", s.Kw}} {
		if f.v < 1 {
			return fmt.Errorf("%w: %s=%d, must be at least 1", ErrShape, f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"StrideH", s.StrideH}, {"StrideW", s.StrideW}, {"DilationH", s.DilationH}, {"DilationW", s.DilationW}, {"Groups", s.Groups}} {
		if f.v < 1 {
			return fmt.Errorf("%w: %s=%d, must be at least 1", ErrShape, f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"PadTop", s.PadTop}, {"PadBottom", s.PadBottom}, {"PadLeft", s.PadLeft}, {"PadRight", s.PadRight}} {
		if f.v < 0 {
			return fmt.Errorf("%w: %s=%d, must not be negative", ErrShape, f.name, f.v)
		}
	}
	if s.Ci%s.Groups != 0 {
		return fmt.Errorf("%w: Ci=%d not divisible by Groups=%d", ErrShape, s.Ci, s.Groups)
	}
	if s.Co%s.Groups != 0 {
		return fmt.Errorf("%w: Co=%d not divisible by Groups=%d", ErrShape, s.Co, s.Groups)
	}
	if err := checkAxis("H", s.H, s.PadTop, s.PadBottom, s.Kh, s.DilationH); err != nil {
		return err
	}
	if err := checkAxis("W", s.W, s.PadLeft, s.PadRight, s.Kw, s.DilationW); err != nil {
		return err
	}
	oh, ow := s.OutputSize()
	counts := []struct {
		name string
		f    []int
	}{
		{"input N*Ci*H*W", []int{s.N, s.Ci, s.H, s.W}},
		{"weights Co*(Ci/Groups)*Kh*Kw", []int{s.Co, s.Ci / s.Groups, s.Kh, s.Kw}},
		{"output N*Co*OH*OW", []int{s.N, s.Co, oh, ow}},
		// The padded input bounds the scratch
		// buffers the kernels use (at most twice the padded extent along
		// each axis, after rounding up to whole strides).
		{"padded input N*Ci*2(H+pads)*2(W+pads)", []int{s.N, s.Ci, 2 * (s.H + s.PadTop + s.PadBottom), 2 * (s.W + s.PadLeft + s.PadRight)}},
	}
	for _, c := range counts {
		p := 1
		for _, v := range c.f {
			var ok bool
			if p, ok = mulInt(p, v); !ok || p > maxElems {
				return fmt.Errorf("%w: %s with %s", ErrOverflow, c.name, s)
			}
		}
	}
	macs := uint64(1)
	for _, v := range []int{s.N, s.Co, s.Ci / s.Groups, s.Kh, s.Kw, oh, ow} {
		hi, lo := bits.Mul64(macs, uint64(v))
		if hi != 0 || lo > math.MaxInt64/2 {
			return fmt.Errorf("%w: multiply-add count of %s", ErrOverflow, s)
		}
		macs = lo
	}
	return nil
}

// checkAxis checks that the padded extent along one axis holds the dilated
// kernel, without overflowing.
func checkAxis(axis string, in, padA, padB, k, dil int) error {
	padded := in
	for _, p := range []int{padA, padB} {
		if padded > maxElems-p {
			return fmt.Errorf("%w: %s=%d with padding %d+%d", ErrOverflow, axis, in, padA, padB)
		}
		padded += p
	}
	span, ok := mulAdd(k-1, dil, 1)
	if !ok || span > maxElems {
		return fmt.Errorf("%w: dilated kernel extent along %s (kernel %d, dilation %d)", ErrOverflow, axis, k, dil)
	}
	if span > padded {
		return fmt.Errorf("%w: dilated kernel extent %d along %s exceeds the padded input %d (%s=%d, padding %d+%d)",
			ErrShape, span, axis, padded, axis, in, padA, padB)
	}
	return nil
}
