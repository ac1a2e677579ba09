package simdconv

import (
	"fmt"

	"github.com/simdconv/simdconv/kernels"
)

// Reference computes the layer in float64 and, for each output, the bound on
// the error of any float32 evaluation: |y - ref| <= bound for a correct
// result, whatever the order of the sums and whether multiply-adds are fused
// (the classical bound gamma(K+2) * (|bias| + sum |w*x|), K = (Ci/Groups)*Kh*Kw,
// plus the absolute error of gradual underflow). No clamp is applied; clamps
// never increase an error. bias may be nil. The bound assumes no partial sum
// overflows float32.
func Reference(s Shape, src, weights, bias []float32) (ref, bound []float64, err error) {
	if err := s.Validate(); err != nil {
		return nil, nil, err
	}
	if len(src) != s.InputLen() {
		return nil, nil, fmt.Errorf("%w: src has %d elements, want %d", ErrLength, len(src), s.InputLen())
	}
	if len(weights) != s.WeightsLen() {
		return nil, nil, fmt.Errorf("%w: weights has %d elements, want %d", ErrLength, len(weights), s.WeightsLen())
	}
	if len(bias) != 0 && len(bias) != s.Co {
		return nil, nil, fmt.Errorf("%w: bias has %d elements, want Co = %d (or none)", ErrLength, len(bias), s.Co)
	}
	if len(bias) == 0 {
		bias = nil
	}
	ref = make([]float64, s.OutputLen())
	bound = make([]float64, len(ref))
	kernels.Reference64(toConv(s), ref, bound, src, weights, bias)
	k := (s.Ci / s.Groups) * s.Kh * s.Kw
	for i, a := range bound {
		bound[i] = kernels.ErrorBound(k, a)
	}
	return ref, bound, nil
}
