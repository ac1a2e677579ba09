//go:build purego

package kernels

// PureGo reports whether the purego build tag removed all assembly.
const PureGo = true
