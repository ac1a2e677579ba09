//go:build (!amd64 && !arm64) || purego

package kernels

// archFeatures is empty: this build has only the generic kernels.
var archFeatures = map[ISA][]string{}
