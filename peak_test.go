package simdconv

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPeakGFLOPS checks that every available path reports a positive,
// finite peak and that an unknown path is an error naming it. (Under an
// emulator a SIMD loop may run slower than the scalar one, so the test
// does not order them.)
func TestPeakGFLOPS(t *testing.T) {
	for _, p := range append(Paths(), PathNaive) {
		g, err := PeakGFLOPS(p, 10*time.Millisecond)
		require.NoError(t, err, p)
		require.Greater(t, g, 0.0, p)
		require.Less(t, g, 1e5, p)
	}
	_, err := PeakGFLOPS("sse9", time.Millisecond)
	require.Error(t, err)
	require.True(t, errors.Is(err, ErrPath), "%v", err)
	require.Contains(t, err.Error(), "sse9")
}

// TestPeakRates checks that PeakRates returns one positive rate per batch
// and rejects impossible batch counts and lengths with an error.
func TestPeakRates(t *testing.T) {
	rates, err := PeakRates(PathGeneric, 2*time.Millisecond, 3)
	require.NoError(t, err)
	require.Len(t, rates, 3)
	for _, r := range rates {
		require.Greater(t, r, 0.0)
		require.Less(t, r, 1e5)
	}
	for _, bad := range []struct {
		batch time.Duration
		n     int
	}{{time.Millisecond, 0}, {time.Millisecond, -1}, {0, 3}, {-time.Millisecond, 3}} {
		_, err := PeakRates(PathGeneric, bad.batch, bad.n)
		require.Error(t, err, "%v x %d", bad.batch, bad.n)
		require.Contains(t, err.Error(), "batch")
	}
	_, err = PeakRates("sse9", time.Millisecond, 1)
	require.True(t, errors.Is(err, ErrPath), "%v", err)
}
