// Package simdconv computes 2-D convolutions with multiple input and output
// channels (float32, NCHW input and output, OIHW weights) with
// assembly-optimized SIMD kernels and no cgo: AVX-512 and AVX2+FMA on amd64
// (generated with avo), NEON on arm64 (hand-written), and a blocked pure-Go
// GEMM everywhere else.
//
// A Shape describes the layer; NewPlan validates it, repacks the weights for
// the fastest kernel path the CPU offers and returns a Plan whose Forward can
// be called any number of times, from any number of goroutines, without
// allocating:
//
//	s := simdconv.NewShape(1, 64, 56, 56, 64, 3, 3).WithPadding(1, 1, 1, 1)
//	plan, err := simdconv.NewPlan(s, weights, bias, simdconv.WithReLU())
//	...
//	err = plan.Forward(y, x)
//
// Conv2D does the same for a single call.
//
// Output channel co is the sum over the input channels of its group of the
// 2-D cross-correlation of each channel with the kernel slice K[co][ci],
// plus bias[co], then clamped if an activation was fused. A 1x1 convolution
// is the matrix product Y[Co][H*W] = K[Co][Ci] * X[Ci][H*W].
//
// # Kernel paths
//
// Dispatch picks, once at start-up, the best of "avx512", "avx2", "neon" and
// "generic" that the CPU and build support (golang.org/x/sys/cpu, OS support
// included). The environment variable SIMDCONV_KERNEL or the WithKernel
// option forces a path; a forced path the CPU lacks is an error, never a
// silent fallback. The purego build tag removes all assembly. "naive" is the
// reference loops, available only when forced. CPU and Plan.Info report what
// was chosen and why.
//
// # Numerics
//
// Every path computes each output as a float32 sum of its products in a fixed
// order, so results are bitwise reproducible for a given path and plan,
// whatever the number of workers. Different paths sum in different orders;
// each result lies within the rounding-error bound that Reference reports
// (gamma(K+2) times the sum of |w*x| and |bias|, K = (Ci/Groups)*Kh*Kw).
// NaN and infinities propagate as IEEE arithmetic defines; padded positions
// are zeros multiplied like any other input.
//
// # Errors
//
// Invalid shapes, lengths, options and paths return errors wrapping ErrShape,
// ErrOverflow, ErrLength, ErrOverlap, ErrOption or ErrPath; nothing panics,
// and the output is untouched on error.
package simdconv
