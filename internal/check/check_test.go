package check

import (
	"math"
	"testing"
)

func TestCheck(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	open := [2]float32{float32(math.Inf(-1)), inf}
	for _, c := range []struct {
		name   string
		terms  [][2]float32 // products w*x
		got    float32
		lo, hi float32
		ok     bool
	}{
		{"exact", [][2]float32{{1, 2}, {3, 4}}, 14, open[0], open[1], true},
		{"one ulp off is within the bound", [][2]float32{{1, 0.1}, {1, 0.2}}, math.Nextafter32(0.3, 1), open[0], open[1], true},
		{"far off", [][2]float32{{1, 2}, {3, 4}}, 14.01, open[0], open[1], false},
		{"NaN where finite", [][2]float32{{1, 2}}, nan, open[0], open[1], false},
		{"NaN input", [][2]float32{{1, nan}, {1, 2}}, nan, open[0], open[1], true},
		{"NaN input, finite output", [][2]float32{{1, nan}}, 3, open[0], open[1], false},
		{"Inf times zero", [][2]float32{{inf, 0}}, nan, open[0], open[1], true},
		{"+Inf", [][2]float32{{inf, 2}, {1, 1}}, inf, open[0], open[1], true},
		{"+Inf and -Inf", [][2]float32{{inf, 2}, {-inf, 1}}, nan, open[0], open[1], true},
		{"+Inf clamped", [][2]float32{{inf, 2}}, 6, 0, 6, true},
		{"NaN passes the clamp", [][2]float32{{nan, 2}}, nan, 0, 6, true},
		{"clamped low", [][2]float32{{-1, 2}}, 0, 0, 6, true},
		{"overflow allowed", [][2]float32{{3e38, 1}, {3e38, 1}, {-3e38, 1}}, inf, open[0], open[1], true},
		{"overflow: exact also fine", [][2]float32{{3e38, 1}, {3e38, 1}, {-3e38, 1}}, 3e38, open[0], open[1], true},
		{"no overflow possible", [][2]float32{{1e30, 1}}, inf, open[0], open[1], false},
		{"subnormals", [][2]float32{{1e-30, 1e-15}, {1e-30, 1e-15}}, 2e-45, open[0], open[1], true},
	} {
		var a Acc
		for _, p := range c.terms {
			a.Product(p[0], p[1])
		}
		if err := a.Check(c.got, c.lo, c.hi); (err == nil) != c.ok {
			t.Errorf("%s: Check(%v) = %v, want ok=%v", c.name, c.got, err, c.ok)
		}
	}
}
