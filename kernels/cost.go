package kernels

import "fmt"

// The cost model that picks a SIMD algorithm and tile for a layer. A plan's
// cost is the sum, over the tiles it runs, of the lane multiply-adds each
// tile computes (wasted lanes included) divided by the kernel's efficiency,
// plus a cost per stored output and for building the virtual input, all in
// units of one lane multiply-add. It depends on the layer only.

// choice is an algorithm and tile for a layer.
type choice struct {
	mr   int // pixel algorithm: output channels per tile (0: channel algorithm)
	nr   int // channel algorithm: pixels per tile
	rows int // channel algorithm: output channels per tile, a multiple of the lanes
}

func (c choice) String() string {
	if c.mr > 0 {
		return fmt.Sprintf("pix%d", c.mr)
	}
	return fmt.Sprintf("ch%dx%d", c.rows, c.nr)
}

// measuredEfficiency is the fraction of the FMA peak each amd64 kernel
// sustains on cache-resident data (K = 256 to 512), measured on the
// reference machine (AMD Zen 5, 2 FMA pipes of 512 bits; the best of two
// runs on an idle machine, scaled so the best AVX2 tile matches the best
// AVX-512 one) with
//
//	go test -run '^$' -bench 'PixelKernel|ChannelKernel' ./kernels
//
// (the channel tiles' in=dense runs). Relative values are what matter;
// other CPUs keep the same ordering. Where each k step reads its input from
// a new cache line (in=plane, as 1x1 layers read in place), the channel
// tiles run 1-5% slower with 2 or 3 vectors (32 or 48 AVX-512 channels),
// up to 10% with 32x6 and 25-30% with one vector: the model does not weigh
// that (charging each such step a line made AVX2 plans pick the pixel tile
// where the channel tile is faster). The run tiles (two runs of 7 pixels)
// ran 4% faster than 32x8 and 6% faster than 16x8 there (best of 6 with
// -count=6 -benchtime=200ms; in=plane alike), and whole layers whose tiles
// are runs 0-7.5% faster than the best other channel tile (SIMDCONV_TUNE=1
// go test -run 'TestTune$' -v ./kernels: r50_4_1x1_reduce 7.5%, 7x7 layers
// 1.5%, 28- and 56-wide 3x3 layers within the noise): 32x14 is set at 0.965,
// not the 1.0 of the micro benchmark, which would take the 56x56 1x1 layers
// from the pixel tile that runs 7% faster on them (the model does not weigh
// the input line each k step of a channel tile reads, above).
var measuredEfficiency = map[string]float64{
	"gemmAVX512_8x16": 0.80, "gemmAVX512_8x32": 0.95, "gemmAVX512_8x48": 0.96,
	"gemmtAVX512_16x6": 0.64, "gemmtAVX512_16x7": 0.73, "gemmtAVX512_16x8": 0.75,
	"gemmtAVX512_32x6": 0.95, "gemmtAVX512_32x7": 0.96, "gemmtAVX512_32x8": 0.96,
	"gemmtAVX512_48x6": 0.96, "gemmtAVX512_48x7": 0.96, "gemmtAVX512_48x8": 0.95,
	"gemmtrAVX512_16x14": 0.80, "gemmtrAVX512_32x14": 0.965,
	"gemmAVX2_6x8": 0.63, "gemmAVX2_6x16": 0.96,
	"gemmtAVX2_8x4": 0.49, "gemmtAVX2_16x4": 0.86, "gemmtAVX2_24x4": 0.94,
}

// efficiency of a kernel with the given number of accumulator registers;
// kernels without a measurement (NEON) are judged by their accumulators,
// MR = 1 pixel kernels by their one load per multiply-add.
func efficiency(name string, accumulators int, oneRow bool) float64 {
	if e, ok := measuredEfficiency[name]; ok {
		return e
	}
	switch {
	case oneRow:
		return 0.35
	case accumulators >= 16:
		return 0.9
	case accumulators >= 12:
		return 0.8
	case accumulators >= 8:
		return 0.6
	}
	return 0.45
}

// Costs per stored output and per virtual-input element, in lane
// multiply-adds per lane of the vector width (so the same for every ISA).
const (
	pixelStoreCost = 1.0 // masked store through the segment list
	transposeCost  = 4.0 // in-register transpose, then the row stores
	copyCost       = 0.5 // a row copy into the virtual input, per element and lane
	gatherCost     = 1.5 // a strided gather (column phases), per element and lane
)

// pixelCost is the cost of the pixel algorithm with the kernels ks (indexed
// by vectors - 1, all with the same MR) on geometry g (split).
func pixelCost(c Conv, g *geometry, ks []*pixelKernel) float64 {
	mr, lanes := ks[0].mr, ks[0].lanes
	tileW := len(ks) * lanes
	var perRowTile float64 // one MR-row tile across the whole grid
	n := g.gridLen(g.OH)
	for q := 0; q < n; q += tileW {
		k := ks[ceilDiv(min(tileW, n-q), lanes)-1]
		perRowTile += float64(mr*k.v*lanes*g.K) / efficiency(k.name, mr*k.v, mr == 1)
	}
	images := float64(c.N * c.G)
	return images*(float64(ceilDiv(g.Cog, mr))*perRowTile+pixelStoreCost*float64(g.Cog*g.OH*g.OW)) + vinCost(c, g, lanes)
}

// channelCost is the cost of the channel algorithm with the kernels ks
// (indexed by vectors - 1, all with the same NR), in tiles of rows output
// channels, on geometry g (unsplit). For run kernels (ks[0].runs > 0), half
// are the kernels of NR/2 pixels that compute the tiles that are not two
// runs of contiguous pixels.
func channelCost(c Conv, g *geometry, ks, half []*channelKernel, rows int) float64 {
	nr, lanes := ks[0].nr, ks[0].lanes
	// all output channels of a group, one tile of n pixels
	perPixelTile := func(ks []*channelKernel, n int) float64 {
		var t float64
		for co := 0; co < g.Cog; co += rows {
			k := ks[ceilDiv(min(rows, g.Cog-co), lanes)-1]
			t += float64(k.v*lanes*n*g.K) / efficiency(k.name, k.v*n, false)
		}
		return t
	}
	P := g.OH * g.OW
	full := perPixelTile(ks, nr)
	tiles := float64(ceilDiv(P, nr)) * full
	if ks[0].runs > 0 {
		tiles = 0
		h := perPixelTile(half, nr/2)
		for px := 0; px < P; px += nr {
			switch {
			case px+nr <= P && runTile(g, px, nr):
				tiles += full
			case P-px <= nr/2:
				tiles += h
			default:
				tiles += 2 * h
			}
		}
	}
	images := float64(c.N * c.G)
	return images*(tiles+transposeCost*float64(g.Cog*P)) + vinCost(c, g, lanes)
}

// runTile reports whether the nr output pixels from px of geometry g are
// read as two runs of nr/2 contiguous pixels (twoRuns).
func runTile(g *geometry, px, nr int) bool {
	at := func(i int) int { return g.pixel(i/g.OW, i%g.OW) }
	for j := 1; j < nr; j++ {
		if j != nr/2 && at(px+j) != at(px+j-1)+1 {
			return false
		}
	}
	return true
}

// vinCost is the cost of building the virtual input (g describes the whole
// image as one block).
func vinCost(c Conv, g *geometry, lanes int) float64 {
	if g.direct {
		return 0
	}
	per := copyCost
	if g.sW > 1 {
		per = gatherCost
	}
	return float64(c.N*c.G*g.blockVinLen()) * per * float64(lanes)
}
