package kernels

import "math"

// Naive computes the convolution with seven nested loops, written to be
// obviously correct rather than fast. It is the "naive" path and the
// baseline of the benchmarks. Padded positions contribute w*0, like any
// other zero input. bias may be nil. The result of each output is
// min(max(acc+bias, lo), hi), with NaN passing through the clamp.
func Naive(c Conv, dst, src, weights, bias []float32, lo, hi float32) {
	oh, ow := c.OutputSize()
	cig, cog := c.Ci/c.G, c.Co/c.G
	for n := 0; n < c.N; n++ {
		for co := 0; co < c.Co; co++ {
			g := co / cog
			for y := 0; y < oh; y++ {
				for x := 0; x < ow; x++ {
					var acc float32
					for ci := 0; ci < cig; ci++ {
						for kh := 0; kh < c.Kh; kh++ {
							for kw := 0; kw < c.Kw; kw++ {
								iy := y*c.SH - c.PT + kh*c.DH
								ix := x*c.SW - c.PL + kw*c.DW
								var v float32
								if iy >= 0 && iy < c.H && ix >= 0 && ix < c.W {
									v = src[((n*c.Ci+g*cig+ci)*c.H+iy)*c.W+ix]
								}
								acc += weights[((co*cig+ci)*c.Kh+kh)*c.Kw+kw] * v
							}
						}
					}
					if bias != nil {
						acc += bias[co]
					}
					dst[((n*c.Co+co)*oh+y)*ow+x] = clamp(acc, lo, hi)
				}
			}
		}
	}
}

// clamp returns min(max(v, lo), hi); a NaN v stays NaN.
func clamp(v, lo, hi float32) float32 {
	if v < lo {
		v = lo
	}
	if v > hi {
		v = hi
	}
	return v
}

// ForEachTerm calls f for every term of every output's sum, in the
// reference order: out is the output's index in dst, t the term in float64
// (a product w*x, exact in float64, with x = 0 at padded positions, and
// then the bias, if not nil). Tests build their expected results from it.
func ForEachTerm(c Conv, src, weights, bias []float32, f func(out int, t float64)) {
	oh, ow := c.OutputSize()
	cig, cog := c.Ci/c.G, c.Co/c.G
	for n := 0; n < c.N; n++ {
		for co := 0; co < c.Co; co++ {
			g := co / cog
			for y := 0; y < oh; y++ {
				for x := 0; x < ow; x++ {
					out := ((n*c.Co+co)*oh+y)*ow + x
					for ci := 0; ci < cig; ci++ {
						for kh := 0; kh < c.Kh; kh++ {
							for kw := 0; kw < c.Kw; kw++ {
								iy := y*c.SH - c.PT + kh*c.DH
								ix := x*c.SW - c.PL + kw*c.DW
								var v float64
								if iy >= 0 && iy < c.H && ix >= 0 && ix < c.W {
									v = float64(src[((n*c.Ci+g*cig+ci)*c.H+iy)*c.W+ix])
								}
								f(out, float64(weights[((co*cig+ci)*c.Kh+kh)*c.Kw+kw])*v)
							}
						}
					}
					if bias != nil {
						f(out, float64(bias[co]))
					}
				}
			}
		}
	}
}

// Reference64 computes the convolution in float64 (each float32 product is
// exact in float64) and, per output, sumAbs = |bias| + sum |w*x| over the
// taps, from which ErrorBound derives how far any float32 evaluation order
// may stray. dst and sumAbs have the output's length; bias may be nil. No
// clamp is applied.
func Reference64(c Conv, dst, sumAbs []float64, src, weights, bias []float32) {
	clear(dst)
	clear(sumAbs)
	ForEachTerm(c, src, weights, bias, func(out int, t float64) {
		dst[out] += t
		sumAbs[out] += math.Abs(t)
	})
}

// ErrorBound is the largest error a float32 sum of k products and a bias,
// evaluated in any order with or without fused multiply-adds, can have:
//
//	|computed - exact| <= gamma(k+2) * sumAbs + (k+2) * 2^-149,
//	gamma(n) = n*u / (1 - n*u),  u = 2^-24,
//
// the classical bound for recursive summation (Higham, Accuracy and Stability
// of Numerical Algorithms, 2nd ed., eq. 3.5 and 4.4) with one more term for
// the rounding of each product, plus the absolute error of gradual underflow
// (each operation may lose up to half the smallest subnormal). The float64
// reference itself errs by far less than this bound's slack. The bound
// assumes that no partial sum overflows float32, which holds when
// sumAbs*(1+gamma) < MaxFloat32.
func ErrorBound(k int, sumAbs float64) float64 {
	const u = 0x1p-24
	n := float64(k + 2)
	gamma := n * u / (1 - n*u)
	return gamma*sumAbs + n*0x1p-149
}
