package simdconv

import "fmt"

// MatMul computes the float32 matrix product C = A·B, all row-major: A is
// m×k, B is k×n, C is m×n. It is the 1×1 convolution with Co = m, Ci = k and
// a 1×n image, so it runs on the same kernels (and the same options apply:
// WithClamp, WithWorkers, WithKernel). A is repacked on every call; to
// multiply many matrices by the same A, make a Plan with MatMulShape(m, k, n)
// and A as the weights, then call Forward(C, B).
func MatMul(c, a, b []float32, m, k, n int, opts ...Option) error {
	s := MatMulShape(m, k, n)
	if err := s.Validate(); err != nil {
		return fmt.Errorf("MatMul(m=%d, k=%d, n=%d): %w", m, k, n, err)
	}
	if len(a) != m*k {
		return fmt.Errorf("%w: MatMul: a has %d elements, want m*k = %d*%d = %d", ErrLength, len(a), m, k, m*k)
	}
	if len(b) != k*n {
		return fmt.Errorf("%w: MatMul: b has %d elements, want k*n = %d*%d = %d", ErrLength, len(b), k, n, k*n)
	}
	if len(c) != m*n {
		return fmt.Errorf("%w: MatMul: c has %d elements, want m*n = %d*%d = %d", ErrLength, len(c), m, n, m*n)
	}
	return Conv2D(c, b, a, nil, s, opts...)
}

// MatMulShape is the convolution shape of the m×k by k×n matrix product: a
// 1×1 convolution of k input channels of a 1×n image into m output channels.
func MatMulShape(m, k, n int) Shape { return NewShape(1, k, 1, n, m, 1, 1) }
