//go:build linux

package simdconv_test

import (
	"math"
	"math/rand/v2"
	"os"
	"syscall"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/simdconv/simdconv"
)

// guardedSlice returns n float32s flush against an inaccessible (PROT_NONE)
// page after the last element (atEnd) or before the first: one element read
// or written past that side faults the test.
func guardedSlice(t *testing.T, n int, atEnd bool) []float32 {
	t.Helper()
	page := syscall.Getpagesize()
	bytes := (n*4 + page - 1) / page * page
	mem, err := syscall.Mmap(-1, 0, bytes+2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	require.NoError(t, err)
	t.Cleanup(func() { _ = syscall.Munmap(mem) })
	require.NoError(t, syscall.Mprotect(mem[:page], syscall.PROT_NONE))
	require.NoError(t, syscall.Mprotect(mem[page+bytes:], syscall.PROT_NONE))
	start := page
	if atEnd {
		start = page + bytes - n*4
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&mem[start])), n)
}

// TestGuardPagesWholeConvolution runs every path on every layer class with
// the input, weights, bias and output each flush against guard pages (on
// one side, then the other), so that a single element read or written out
// of bounds anywhere in a plan or its kernels faults. Inputs must come out
// unchanged, and the result must be right.
func TestGuardPagesWholeConvolution(t *testing.T) {
	if os.Getenv("SIMDCONV_NO_GUARD_PAGES") == "1" {
		t.Skip("guard pages off (x86 emulation, see kernels/guard_linux_test.go)")
	}
	shapes := []simdconv.Shape{
		simdconv.NewShape(1, 2, 3, 3, 1, 2, 2),                                              // textbook
		simdconv.NewShape(1, 13, 7, 9, 19, 1, 1),                                            // 1x1, read in place
		simdconv.NewShape(2, 5, 11, 17, 9, 3, 3).WithPadding(1, 1, 1, 1),                    // padded 3x3
		simdconv.NewShape(1, 4, 15, 15, 50, 3, 3).WithPadding(1, 1, 1, 1),                   // 48+2 channels
		simdconv.NewShape(1, 6, 17, 13, 7, 5, 3).WithStride(2, 3).WithPadding(2, 1, 0, 2),   // strides
		simdconv.NewShape(1, 3, 14, 14, 8, 3, 3).WithDilation(2, 3).WithPadding(0, 1, 2, 2), // dilation
		simdconv.NewShape(1, 8, 9, 10, 12, 3, 3).WithGroups(4).WithPadding(1, 1, 1, 1),      // groups
		simdconv.NewShape(1, 24, 13, 29, 24, 3, 3).WithGroups(24).WithPadding(1, 1, 1, 1),   // depthwise
		simdconv.NewShape(1, 5, 9, 33, 10, 3, 3).WithGroups(5).WithPadding(2, 0, 1, 2),      // depthwise x2, asymmetric
		simdconv.NewShape(1, 12, 21, 35, 12, 3, 3).WithGroups(12).WithStride(2, 2).WithPadding(1, 1, 1, 1),
		simdconv.NewShape(2, 6, 14, 40, 12, 3, 3).WithGroups(6).WithStride(2, 2).WithPadding(0, 1, 0, 1),
		simdconv.NewShape(1, 16, 7, 7, 96, 3, 3).WithPadding(1, 1, 1, 1),                   // 7x7 image
		simdconv.NewShape(1, 3, 33, 37, 16, 7, 7).WithStride(2, 2).WithPadding(3, 3, 3, 3), // conv1-like
		simdconv.NewShape(3, 7, 5, 5, 10, 2, 2),                                            // unpadded, batch
		// Unpadded 3x3 layers that two workers split into blocks of rows,
		// the last one shorter and ending inside a channel-lane tile
		// (read in place: the tile must not read the image's next rows).
		simdconv.NewShape(1, 10, 13, 17, 156, 3, 3),
		simdconv.NewShape(1, 10, 5, 5, 113, 3, 3),
	}
	forEachPath(t, true, func(t *testing.T, path string) {
		rng := rand.New(rand.NewPCG(31, 32))
		for _, s := range shapes {
			for _, atEnd := range []bool{true, false} {
				x := guardedSlice(t, s.InputLen(), atEnd)
				w := guardedSlice(t, s.WeightsLen(), atEnd)
				b := guardedSlice(t, s.Co, atEnd)
				y := guardedSlice(t, s.OutputLen(), atEnd)
				copy(x, randData(rng, len(x)))
				copy(w, randData(rng, len(w)))
				copy(b, randData(rng, len(b)))
				x0, w0, b0 := append([]float32(nil), x...), append([]float32(nil), w...), append([]float32(nil), b...)
				p, err := simdconv.NewPlan(s, w, b, simdconv.WithKernel(path), simdconv.WithWorkers(2), simdconv.WithReLU())
				require.NoError(t, err)
				require.NoError(t, p.Forward(y, x))
				require.Equal(t, x0, []float32(x), "input changed")
				require.Equal(t, w0, []float32(w), "weights changed")
				require.Equal(t, b0, []float32(b), "bias changed")
				checkConv(t, s, y, x0, w0, b0, 0, float32(math.Inf(1)))
			}
		}
	})
}
