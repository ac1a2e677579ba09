package simdconv_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdconv/simdconv"
	"github.com/simdconv/simdconv/internal/check"
)

func TestMatMul(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for _, c := range []struct{ m, k, n int }{{1, 1, 1}, {2, 3, 4}, {7, 64, 49}, {33, 17, 100}, {64, 256, 200}} {
		a, b := randData(rng, c.m*c.k), randData(rng, c.k*c.n)
		forEachPath(t, true, func(t *testing.T, path string) {
			got := make([]float32, c.m*c.n)
			require.NoError(t, simdconv.MatMul(got, a, b, c.m, c.k, c.n, simdconv.WithKernel(path)))
			for i := 0; i < c.m; i++ {
				for j := 0; j < c.n; j++ {
					var want check.Acc
					for l := 0; l < c.k; l++ {
						want.Product(a[i*c.k+l], b[l*c.n+j])
					}
					require.NoError(t, want.Check(got[i*c.n+j], negInf, posInf), "m=%d k=%d n=%d C[%d][%d]", c.m, c.k, c.n, i, j)
				}
			}
		})
	}
	c := make([]float32, 6)
	assert.ErrorIs(t, simdconv.MatMul(c, make([]float32, 5), make([]float32, 6), 2, 3, 3), simdconv.ErrLength)
	assert.ErrorIs(t, simdconv.MatMul(c, nil, nil, 0, 3, 3), simdconv.ErrShape)
	assert.ErrorIs(t, simdconv.MatMul(c[:5], make([]float32, 6), make([]float32, 9), 2, 3, 3), simdconv.ErrLength)
}

// The product of a 2x3 and a 3x2 matrix.
func ExampleMatMul() {
	a := []float32{
		1, 2, 3,
		4, 5, 6,
	}
	b := []float32{
		7, 8,
		9, 10,
		11, 12,
	}
	c := make([]float32, 4)
	if err := simdconv.MatMul(c, a, b, 2, 3, 2); err != nil {
		panic(err)
	}
	fmt.Println(c)
	// Output: [58 64 139 154]
}
