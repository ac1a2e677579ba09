package simdconv_test

import (
	"fmt"

	"github.com/simdconv/simdconv"
)

// The textbook's two-input-channel example, computed once.
func ExampleConv2D() {
	x := []float32{
		0, 1, 2, 3, 4, 5, 6, 7, 8, // input channel 0 (3x3)
		1, 2, 3, 4, 5, 6, 7, 8, 9, // input channel 1
	}
	k := []float32{
		0, 1, 2, 3, // kernel for input channel 0 (2x2)
		1, 2, 3, 4, // kernel for input channel 1
	}
	s := simdconv.NewShape(1, 2, 3, 3, 1, 2, 2) // N, Ci, H, W, Co, Kh, Kw
	y := make([]float32, s.OutputLen())
	if err := simdconv.Conv2D(y, x, k, nil, s); err != nil {
		panic(err)
	}
	fmt.Println(y)
	// Output: [56 72 104 120]
}

// A plan prepares a layer once (weights repacked, path chosen) and runs it
// many times. Here a 3x3 convolution with "same" padding, a bias and a fused
// ReLU.
func ExampleNewPlan() {
	s, err := simdconv.NewShape(1, 1, 4, 4, 2, 3, 3).WithAutoPad(simdconv.PadSameUpper)
	if err != nil {
		panic(err)
	}
	weights := make([]float32, s.WeightsLen())
	for i := 0; i < 9; i++ {
		weights[i] = 1    // output channel 0: sum of the 3x3 window
		weights[9+i] = -1 // output channel 1: its negation, cut to 0 by the ReLU
	}
	bias := []float32{0.5, 0.5}
	plan, err := simdconv.NewPlan(s, weights, bias, simdconv.WithReLU())
	if err != nil {
		panic(err)
	}
	x := make([]float32, s.InputLen())
	for i := range x {
		x[i] = 1
	}
	y := make([]float32, s.OutputLen())
	if err := plan.Forward(y, x); err != nil {
		panic(err)
	}
	fmt.Println("channel 0:", y[:16])
	fmt.Println("channel 1:", y[16:])
	// Output:
	// channel 0: [4.5 6.5 6.5 4.5 6.5 9.5 9.5 6.5 6.5 9.5 9.5 6.5 4.5 6.5 6.5 4.5]
	// channel 1: [0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0]
}

// A 1x1 convolution mixes channels only: it is the matrix product
// Y[Co][H*W] = K[Co][Ci] * X[Ci][H*W].
func ExampleNewShape_oneByOne() {
	s := simdconv.NewShape(1, 3, 1, 2, 2, 1, 1) // 3 input channels of 1x2 pixels
	x := []float32{
		1, 2, // channel 0
		3, 4, // channel 1
		5, 6, // channel 2
	}
	k := []float32{
		1, 0, 1, // output channel 0 = channel 0 + channel 2
		0, 2, 0, // output channel 1 = 2 * channel 1
	}
	y := make([]float32, s.OutputLen())
	if err := simdconv.Conv2D(y, x, k, nil, s); err != nil {
		panic(err)
	}
	fmt.Println(y)
	// Output: [6 8 6 8]
}

// CPU reports what the processor offers and which path plans use.
func ExampleCPU() {
	info := simdconv.CPU()
	fmt.Println(len(info.Paths) > 0, info.Paths[len(info.Paths)-1])
	// Output: true generic
}
