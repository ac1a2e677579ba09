// Package check decides whether a float32 result of a convolution sum is
// correct, for the tests of every kernel path.
//
// A result is the float32 sum, in some order, of K products w*x and a bias,
// possibly with fused multiply-adds, then clamped to [lo, hi]. The exact
// value is known in float64 (a product of two float32 values is exact
// there). A correct float32 evaluation, whatever its order, lies within
//
//	gamma(n+2) * sum|terms| + (n+2) * 2^-149,  gamma(m) = m*u/(1-m*u), u = 2^-24,
//
// of it, n being the number of terms (Higham, Accuracy and Stability of
// Numerical Algorithms, 2nd ed., §3.1 and §4.2; the last term covers
// gradual underflow), as long as no partial sum overflows. IEEE special
// values follow from the terms: a NaN term, or +Inf and -Inf terms
// together, give NaN in any order; +Inf terms alone give +Inf. When the
// finite terms are large enough that some order may overflow, the result
// may also be ±Inf or NaN, and Acc accepts those.
package check

import (
	"fmt"
	"math"
)

// Acc accumulates the exact terms of one output.
type Acc struct {
	sum       float64 // exact sum of the finite terms
	finiteAbs float64 // sum of |finite terms|
	n         int     // terms added
	nan       bool
	posInf    bool
	negInf    bool
}

// Add adds one term (a product, computed in float64 from float32 operands,
// or the bias).
func (a *Acc) Add(t float64) {
	a.n++
	switch {
	case math.IsNaN(t):
		a.nan = true
	case math.IsInf(t, 1):
		a.posInf = true
	case math.IsInf(t, -1):
		a.negInf = true
	default:
		a.sum += t
		a.finiteAbs += math.Abs(t)
	}
}

// Product adds w*x.
func (a *Acc) Product(w, x float32) { a.Add(float64(w) * float64(x)) }

// Bound is the error bound of the finite part of the sum.
func (a *Acc) Bound() float64 {
	const u = 0x1p-24
	m := float64(a.n + 2)
	gamma := m * u / (1 - m*u)
	return gamma*a.finiteAbs + m*0x1p-149
}

// Check returns nil if got is a correct float32 evaluation of the sum,
// clamped to [lo, hi], and otherwise an error describing the mismatch.
func (a *Acc) Check(got, lo, hi float32) error {
	cl := func(v float64) float64 {
		if v < float64(lo) {
			v = float64(lo)
		}
		if v > float64(hi) {
			v = float64(hi)
		}
		return v
	}
	g := float64(got)
	bound := a.Bound()
	mayOverflow := a.finiteAbs+bound >= math.MaxFloat32
	isNaN := math.IsNaN(g)
	switch {
	case a.nan || (a.posInf && a.negInf):
		if !isNaN {
			return fmt.Errorf("got %v, want NaN", got)
		}
		return nil
	case a.posInf || a.negInf:
		want := cl(math.Inf(1))
		if a.negInf {
			want = cl(math.Inf(-1))
		}
		if g == want || (isNaN && mayOverflow) {
			return nil
		}
		return fmt.Errorf("got %v, want %v", got, want)
	}
	want := cl(a.sum)
	if !isNaN && math.Abs(g-want) <= bound {
		return nil
	}
	if mayOverflow && (isNaN || g == cl(math.Inf(1)) || g == cl(math.Inf(-1))) {
		return nil
	}
	return fmt.Errorf("got %v, want %v (error %.3g > bound %.3g)", got, want, math.Abs(g-want), bound)
}
