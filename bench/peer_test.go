package main

import (
	"testing"

	"github.com/simdconv/simdconv"
)

// TestPeerMatchesReference checks the peer against simdconv.Reference on
// small layers covering stride, padding, dilation, groups, batches and the
// in-place 1x1 case, with and without bias.
func TestPeerMatchesReference(t *testing.T) {
	for _, l := range []Layer{
		{"textbook", simdconv.NewShape(1, 2, 3, 3, 1, 2, 2)},
		{"1x1_inplace", simdconv.NewShape(2, 5, 6, 7, 3, 1, 1)},
		{"1x1_stride2", simdconv.NewShape(1, 4, 7, 7, 3, 1, 1).WithStride(2, 2)},
		{"3x3_pad", simdconv.NewShape(2, 3, 9, 8, 5, 3, 3).WithPadding(1, 1, 1, 1)},
		{"5x5_stride2_pad2", simdconv.NewShape(1, 3, 13, 11, 4, 5, 5).WithStride(2, 2).WithPadding(2, 2, 2, 2)},
		{"asym_pad_stride", simdconv.NewShape(1, 2, 10, 9, 3, 3, 2).WithStride(2, 3).WithPadding(0, 2, 1, 0)},
		{"dilated", simdconv.NewShape(1, 4, 12, 12, 4, 3, 3).WithDilation(2, 2).WithPadding(2, 2, 2, 2)},
		{"grouped", simdconv.NewShape(2, 6, 8, 8, 9, 3, 3).WithGroups(3).WithPadding(1, 1, 1, 1)},
		{"depthwise", simdconv.NewShape(1, 8, 10, 10, 8, 3, 3).WithGroups(8).WithPadding(1, 1, 1, 1)},
	} {
		t.Run(l.Name, func(t *testing.T) {
			d := newLayerData(l)
			for _, bias := range [][]float32{d.bias, nil} {
				pr, err := newPeer(l.Shape, d.weights, bias)
				if err != nil {
					t.Fatal(err)
				}
				ref, bound, err := simdconv.Reference(l.Shape, d.src, d.weights, bias)
				if err != nil {
					t.Fatal(err)
				}
				for i := range d.dst {
					d.dst[i] = 1e30 // stale values must be overwritten
				}
				for range 2 { // the second call reuses the scratch
					if err := pr.Forward(d.dst, d.src); err != nil {
						t.Fatal(err)
					}
				}
				if r := maxErrRatio(d.dst, ref, bound); !(r <= 1) {
					t.Errorf("bias=%v: max |y-ref|/bound = %g, want <= 1", bias != nil, r)
				}
			}
		})
	}
}

func TestPeerTextbook(t *testing.T) {
	// The d2l example: X = 0..8 and 1..9 channels, K = [[0,1],[2,3]] and
	// [[1,2],[3,4]] gives [[56,72],[104,120]].
	s := simdconv.NewShape(1, 2, 3, 3, 1, 2, 2)
	src := []float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	w := []float32{0, 1, 2, 3, 1, 2, 3, 4}
	pr, err := newPeer(s, w, nil)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float32, 4)
	if err := pr.Forward(dst, src); err != nil {
		t.Fatal(err)
	}
	want := []float32{56, 72, 104, 120}
	for i := range want {
		if dst[i] != want[i] {
			t.Fatalf("got %v, want %v", dst, want)
		}
	}
}

func TestPeerErrors(t *testing.T) {
	s := simdconv.NewShape(1, 2, 3, 3, 1, 2, 2)
	if _, err := newPeer(s, make([]float32, 7), nil); err == nil {
		t.Error("short weights: no error")
	}
	if _, err := newPeer(s, make([]float32, 8), make([]float32, 2)); err == nil {
		t.Error("long bias: no error")
	}
	pr, err := newPeer(s, make([]float32, 8), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := pr.Forward(make([]float32, 4), make([]float32, 17)); err == nil {
		t.Error("short src: no error")
	}
}
