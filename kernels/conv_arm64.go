//go:build !purego

package kernels

import "unsafe"

// NEON (arm64 Advanced SIMD) kernels, hand-written in conv_arm64.s. Every
// instruction they use is in the arm64 base ISA's Advanced SIMD (ASIMD).

// archFeatures lists, per ISA, the CPU features its kernels use.
var archFeatures = map[ISA][]string{
	NEON: {"ASIMD"},
}

// archPeak runs each ISA's FMA peak loop and returns its floating-point
// operations: 24 four-lane FMLAs per iteration.
var archPeak = map[ISA]func(iters int) int64{
	NEON: func(iters int) int64 { peakNEON(iters); return int64(iters) * 192 },
}

// archPixelKernels are the pixel-lane GEMM micro-kernels: MR = 8 with 1-3
// vectors (the main tile, 8 x 12, holds 24 accumulators) and MR = 1 with
// 1-16 vectors for depthwise convolutions.
var archPixelKernels = []pixelKernel{
	{isa: NEON, name: "gemmNEON_8x4", mr: 8, v: 1, lanes: 4, fn: tiles(gemmNEON_8x4, 8)},
	{isa: NEON, name: "gemmNEON_8x8", mr: 8, v: 2, lanes: 4, fn: tiles(gemmNEON_8x8, 8)},
	{isa: NEON, name: "gemmNEON_8x12", mr: 8, v: 3, lanes: 4, fn: tiles(gemmNEON_8x12, 8)},
	{isa: NEON, name: "gemmNEON_1x4", mr: 1, v: 1, lanes: 4, fn: tiles(gemmNEON_1x4, 1)},
	{isa: NEON, name: "gemmNEON_1x8", mr: 1, v: 2, lanes: 4, fn: tiles(gemmNEON_1x8, 1)},
	{isa: NEON, name: "gemmNEON_1x12", mr: 1, v: 3, lanes: 4, fn: tiles(gemmNEON_1x12, 1)},
	{isa: NEON, name: "gemmNEON_1x16", mr: 1, v: 4, lanes: 4, fn: tiles(gemmNEON_1x16, 1)},
	{isa: NEON, name: "gemmNEON_1x20", mr: 1, v: 5, lanes: 4, fn: tiles(gemmNEON_1x20, 1)},
	{isa: NEON, name: "gemmNEON_1x24", mr: 1, v: 6, lanes: 4, fn: tiles(gemmNEON_1x24, 1)},
	{isa: NEON, name: "gemmNEON_1x28", mr: 1, v: 7, lanes: 4, fn: tiles(gemmNEON_1x28, 1)},
	{isa: NEON, name: "gemmNEON_1x32", mr: 1, v: 8, lanes: 4, fn: tiles(gemmNEON_1x32, 1)},
	{isa: NEON, name: "gemmNEON_1x36", mr: 1, v: 9, lanes: 4, fn: tiles(gemmNEON_1x36, 1)},
	{isa: NEON, name: "gemmNEON_1x40", mr: 1, v: 10, lanes: 4, fn: tiles(gemmNEON_1x40, 1)},
	{isa: NEON, name: "gemmNEON_1x44", mr: 1, v: 11, lanes: 4, fn: tiles(gemmNEON_1x44, 1)},
	{isa: NEON, name: "gemmNEON_1x48", mr: 1, v: 12, lanes: 4, fn: tiles(gemmNEON_1x48, 1)},
	{isa: NEON, name: "gemmNEON_1x52", mr: 1, v: 13, lanes: 4, fn: tiles(gemmNEON_1x52, 1)},
	{isa: NEON, name: "gemmNEON_1x56", mr: 1, v: 14, lanes: 4, fn: tiles(gemmNEON_1x56, 1)},
	{isa: NEON, name: "gemmNEON_1x60", mr: 1, v: 15, lanes: 4, fn: tiles(gemmNEON_1x60, 1)},
	{isa: NEON, name: "gemmNEON_1x64", mr: 1, v: 16, lanes: 4, fn: tiles(gemmNEON_1x64, 1)},
}

// archChannelKernels are the channel-lane GEMM micro-kernels: 6 or 4 pixels
// by 1-4 vectors of 4 output channels (16 x 6 holds 24 accumulators).
var archChannelKernels = []channelKernel{
	{isa: NEON, name: "gemmtNEON_4x4", v: 1, nr: 4, lanes: 4, fn: plainChannel(gemmtNEON_4x4)},
	{isa: NEON, name: "gemmtNEON_8x4", v: 2, nr: 4, lanes: 4, fn: plainChannel(gemmtNEON_8x4)},
	{isa: NEON, name: "gemmtNEON_12x4", v: 3, nr: 4, lanes: 4, fn: plainChannel(gemmtNEON_12x4)},
	{isa: NEON, name: "gemmtNEON_16x4", v: 4, nr: 4, lanes: 4, fn: plainChannel(gemmtNEON_16x4)},
	{isa: NEON, name: "gemmtNEON_4x6", v: 1, nr: 6, lanes: 4, fn: plainChannel(gemmtNEON_4x6)},
	{isa: NEON, name: "gemmtNEON_8x6", v: 2, nr: 6, lanes: 4, fn: plainChannel(gemmtNEON_8x6)},
	{isa: NEON, name: "gemmtNEON_12x6", v: 3, nr: 6, lanes: 4, fn: plainChannel(gemmtNEON_12x6)},
	{isa: NEON, name: "gemmtNEON_16x6", v: 4, nr: 6, lanes: 4, fn: plainChannel(gemmtNEON_16x6)},
}

// plainChannel adapts a hand-written NEON channel-lane kernel, which
// computes a sum in one call and does not prefetch, to channelFn: the plan
// gives kernels without parts flags 0, and pf and npf are hints.
func plainChannel(f func(a, b *float32, offs *int64, k int, pix *int64, c *float32, ldc, m, nmask int, bias *float32, clamp *[2]float32)) channelFn {
	return func(a, b *float32, offs *int64, k int, pix *int64, c *float32, ldc, m, nmask int, bias *float32, clamp *[2]float32, _ *float32, _ int, _ *float32, _ int) {
		f(a, b, offs, k, pix, c, ldc, m, nmask, bias, clamp)
	}
}

// oneTile is a hand-written NEON pixel kernel: the contract of
// asm/pixels.go for a single tile.
type oneTile func(a, b *float32, offs *int64, k int, c *float32, ldc, m, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// tiles runs a one-tile NEON kernel over ntiles consecutive output-channel
// tiles of mr channels, as the pixel-kernel contract asks: each tile's
// weights, bias and output rows follow the previous tile's.
// They do not prefetch (pf and pfLast are hints).
func tiles(f oneTile, mr int) pixelFn {
	return func(a, b *float32, offs *int64, k int, c *float32, ldc, m, lastMask int, bias *float32, clamp *[2]float32, segs *int64, ntiles int, _ *float32, _ int) {
		for t := 1; ; t++ {
			f(a, b, offs, k, c, ldc, m, lastMask, bias, clamp, segs)
			if t >= ntiles {
				return
			}
			a = (*float32)(unsafe.Add(unsafe.Pointer(a), 4*mr*k))
			bias = (*float32)(unsafe.Add(unsafe.Pointer(bias), 4*mr))
			c = (*float32)(unsafe.Add(unsafe.Pointer(c), mr*ldc))
			m -= mr
		}
	}
}

// peakNEON runs iters (>= 1) iterations of 24 independent 4-lane FMLAs.
func peakNEON(iters int)

// gemmNEON_8x4 computes an 8 x 4 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_8x4(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_8x8 computes an 8 x 8 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_8x8(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_8x12 computes an 8 x 12 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_8x12(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x4 computes a 1 x 4 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x4(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x8 computes a 1 x 8 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x8(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x12 computes a 1 x 12 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x12(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x16 computes a 1 x 16 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x16(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x20 computes a 1 x 20 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x20(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x24 computes a 1 x 24 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x24(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x28 computes a 1 x 28 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x28(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x32 computes a 1 x 32 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x32(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x36 computes a 1 x 36 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x36(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x40 computes a 1 x 40 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x40(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x44 computes a 1 x 44 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x44(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x48 computes a 1 x 48 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x48(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x52 computes a 1 x 52 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x52(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x56 computes a 1 x 56 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x56(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x60 computes a 1 x 60 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x60(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmNEON_1x64 computes a 1 x 64 pixel-lane GEMM tile (see asm/pixels.go).
//
//go:noescape
func gemmNEON_1x64(a *float32, b *float32, offs *int64, k int, c *float32, ldc int, m int, lastMask int, bias *float32, clamp *[2]float32, segs *int64)

// gemmtNEON_4x4 computes a 4 x 4 channel-lane GEMM tile (see asm/channels.go).
//
//go:noescape
func gemmtNEON_4x4(a *float32, b *float32, offs *int64, k int, pix *int64, c *float32, ldc int, m int, nmask int, bias *float32, clamp *[2]float32)

// gemmtNEON_8x4 computes a 8 x 4 channel-lane GEMM tile (see asm/channels.go).
//
//go:noescape
func gemmtNEON_8x4(a *float32, b *float32, offs *int64, k int, pix *int64, c *float32, ldc int, m int, nmask int, bias *float32, clamp *[2]float32)

// gemmtNEON_12x4 computes a 12 x 4 channel-lane GEMM tile (see asm/channels.go).
//
//go:noescape
func gemmtNEON_12x4(a *float32, b *float32, offs *int64, k int, pix *int64, c *float32, ldc int, m int, nmask int, bias *float32, clamp *[2]float32)

// gemmtNEON_16x4 computes a 16 x 4 channel-lane GEMM tile (see asm/channels.go).
//
//go:noescape
func gemmtNEON_16x4(a *float32, b *float32, offs *int64, k int, pix *int64, c *float32, ldc int, m int, nmask int, bias *float32, clamp *[2]float32)

// gemmtNEON_4x6 computes a 4 x 6 channel-lane GEMM tile (see asm/channels.go).
//
//go:noescape
func gemmtNEON_4x6(a *float32, b *float32, offs *int64, k int, pix *int64, c *float32, ldc int, m int, nmask int, bias *float32, clamp *[2]float32)

// gemmtNEON_8x6 computes a 8 x 6 channel-lane GEMM tile (see asm/channels.go).
//
//go:noescape
func gemmtNEON_8x6(a *float32, b *float32, offs *int64, k int, pix *int64, c *float32, ldc int, m int, nmask int, bias *float32, clamp *[2]float32)

// gemmtNEON_12x6 computes a 12 x 6 channel-lane GEMM tile (see asm/channels.go).
//
//go:noescape
func gemmtNEON_12x6(a *float32, b *float32, offs *int64, k int, pix *int64, c *float32, ldc int, m int, nmask int, bias *float32, clamp *[2]float32)

// gemmtNEON_16x6 computes a 16 x 6 channel-lane GEMM tile (see asm/channels.go).
//
//go:noescape
func gemmtNEON_16x6(a *float32, b *float32, offs *int64, k int, pix *int64, c *float32, ldc int, m int, nmask int, bias *float32, clamp *[2]float32)

// pixStoreNEON and chStoreNEON are the kernels' shared store epilogues. They
// are called only from conv_arm64.s, with their inputs in registers (see
// there); these declarations exist for go vet.
func pixStoreNEON()

func chStoreNEON()
