//go:build arm64 && !purego

package kernels

// Until the NEON kernels land, arm64 builds have only the generic kernels.
var (
	archFeatures       = map[ISA][]string{}
	archPeak           = map[ISA]func(iters int) int64{}
	archPixelKernels   []pixelKernel
	archChannelKernels []channelKernel
)
