//go:build !purego

package kernels

// arm64 has no dedicated depthwise kernel (depthwise layers use the NEON
// pixel-lane kernels with one output channel) and builds the virtual input
// in Go.
var (
	archDepthwiseKernels    []depthwiseKernel
	archDepthwiseRowKernels []depthwiseRowKernel
	archPadCopy             = map[ISA]padCopyFunc{}
	archPadCopy2            = map[ISA]padCopyFunc{}
)
