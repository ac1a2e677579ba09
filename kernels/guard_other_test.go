//go:build !linux

package kernels

import "testing"

// guarded returns an ordinary slice where guard pages are not implemented;
// the sentinel checks still run.
func guarded(t testing.TB, n int, atEnd bool) []float32 { return make([]float32, n) }
