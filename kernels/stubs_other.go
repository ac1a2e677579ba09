//go:build (!amd64 && !arm64) || purego

package kernels

// This build has only the generic kernels.
var (
	archFeatures            = map[ISA][]string{}
	archPeak                = map[ISA]func(iters int) int64{}
	archPixelKernels        []pixelKernel
	archChannelKernels      []channelKernel
	archDepthwiseKernels    []depthwiseKernel
	archDepthwiseRowKernels []depthwiseRowKernel
	archPadCopy             = map[ISA]padCopyFunc{}
	archPadCopy2            = map[ISA]padCopyFunc{}
)
