//go:build (amd64 || arm64) && !purego

package kernels

var archFeatures = map[ISA][]string{}
