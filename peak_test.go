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
