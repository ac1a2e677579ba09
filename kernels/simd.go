package kernels

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// pixelKernel is a pixel-lane GEMM micro-kernel (see asm/pixels.go for the
// contract): MR output channels by v vectors of lanes pixels.
type pixelKernel struct {
	isa          ISA
	name         string
	mr, v, lanes int
	runStores    bool // takes the (-1, offset) segment list of a tile that is one run of whole vectors
	fn           pixelFn
}

// pixelFn computes ntiles tiles of MR consecutive output channels each over
// the same pixels, and prefetches the rows of the pixels from pf to pfLast
// bytes past it (see asm/pixels.go).
type pixelFn func(a, b *float32, offs *int64, k int, c *float32, ldc, m, lastMask int, bias *float32, clamp *[2]float32, segs *int64, ntiles int, pf *float32, pfLast int)

// channelKernel is a channel-lane GEMM micro-kernel (see asm/channels.go):
// v vectors of lanes output channels by nr pixels.
type channelKernel struct {
	isa          ISA
	name         string
	v, nr, lanes int
	fn           channelFn
	parts        bool // fn computes sums in parts and prefetches (asm/channels.go); else it takes flags 0 and ignores pf
	// runs is 0 for a kernel that reads each pixel from its own address,
	// 2 for one that reads two runs of nr/2 contiguous pixels from pix[0]
	// and pix[nr/2] and always writes part (genChannelsRun): run calls it
	// only for tiles of that shape, the kernel of nr/2 pixels for the others.
	runs int
}

// channelFn computes one channel-lane tile (see asm/channels.go): part,
// flags carry a long sum from one call to the next, and the call prefetches
// npf lines from pf.
type channelFn func(a, b *float32, offs *int64, k int, pix *int64, c *float32, ldc, m, nmask int, bias *float32, clamp *[2]float32, part *float32, flags int, pf *float32, npf int)

// The flags of a channelFn.
const (
	partResume = 1 // start from the kept sums, not the bias
	partKeep   = 2 // keep the sums for the next part, store no output
)

// depthwiseKernel computes one output channel of a convolution with one
// input channel per group (see asm/depthwise.go): full computes a list of
// whole vectors, masked one of partial vectors, group at a time.
type depthwiseKernel struct {
	isa                ISA
	name               string
	lanes              int
	group, groupMasked int
	full, masked       func(x *float32, taps *int64, ntaps int, w *float32, bias *float32, clamp *[2]float32, y *float32, vecs *int64, nvec int)
}

// depthwiseRowKernel computes one output channel of a k x k, stride-1,
// dilation-1 convolution with one input channel per group, several output
// rows per pass, reading the caller's input with the zero padding done by
// masks and a zero row (see asm/dwrows.go).
type depthwiseRowKernel struct {
	isa            ISA
	name           string
	k, rows, lanes int
	stride         int  // 1, or 2 (shift kernels)
	shift          bool // loads each row vector once and shifts it for the taps
	fn             func(x *float32, left, rowBytes, h, row0 int, zero, w, bias *float32, clamp *[2]float32, y *float32, ldy, rows int, cols *int64, ncols, nch, xStride, yStride int)
}

// dwColEntry is the length of one entry of a depthwise column list (see
// asm/dwrows.go and dwColumns): byte offset, kind (0 whole, 1 masked), store
// mask, then one load mask per kernel column, or for a shift kernel the load
// masks of the row vectors, the second column vector's store mask and the
// number of column vectors.
const dwColEntry = 10

// simdProgram is the part of a Program that the SIMD algorithms add: the
// kernels by width, the byte-offset tables and, for the pixel algorithm,
// the store segments of every tile of the computed grid.
type simdProgram struct {
	isa   ISA
	lanes int
	rows  int         // output channels per weight panel (MR, or vmax*lanes)
	offB  []int64     // byte offsets of the im2col rows in the virtual input
	clamp *[2]float32 // lo, hi; nil without a clamp

	// algoPixels: the kernels and the tiles of a whole block's grid ([0])
	// and of the shorter last block's ([1])
	pix       []*pixelKernel // by number of vectors - 1, all with the same MR
	tileW     int            // pixels of a full tile
	callTiles int            // tiles of output channels one call computes at most
	tiles     [2]tileSet

	// algoDepthwise: the kernel and its lists of output vectors, each entry
	// (input byte offset, output byte offset, lane mask), padded to whole
	// groups, of a whole block ([0]) and of the shorter last block ([1])
	dw                *depthwiseKernel
	dwFull, dwPartial [2][]int64
	dwRows            *depthwiseRowKernel // used instead of dw when the layer fits it
	dwCols            []int64             // dwRows: the column list
	dwZero            []float32           // dwRows: a padded row of zeros

	// algoChannels
	ch     []*channelKernel // by number of vectors - 1, all with the same NR
	chHalf []*channelKernel // run kernels (ch[0].runs > 0): the kernels of NR/2 pixels for the other tiles
	nr     int
	pixB   [2][]int64 // byte offset of each output pixel in the virtual input, padded: of a whole block, of the shorter last one
	edges  *edgeTiles // tiles that read the caller's input (padded layers)
	kPart  int        // k steps per call: g.K, or less when a panel is too long to stay in L2 (see partBytes)
}

// partBytes bounds the weights one channel-lane call reads, a part of its
// panel: a longer sum is computed in parts, one pass over the block's pixel
// tiles per part, so that the part each pass reads again stays in L2 while
// the next one is prefetched beside it (two parts and a block's virtual
// input, at most blockBytes, fill about 640 KB of a 1 MB L2). Measured on
// Zen 5, 128 to 256 KB run alike, 320 KB slower; smaller parts add calls.
// (A variable: tests lower it.)
var partBytes = 192 << 10

// tileSet is the tiling of one block's computed grid.
type tileSet struct {
	tileV    []int   // vectors of each tile
	lastMask []int   // lane mask of each tile's last vector
	readLast []int   // byte offset of each tile's last pixel from its first
	segStart []int   // each tile's first entry in segs
	segs     []int64 // per tile, per vector: count, (byte offset, mask)...
}

// biasPad is how far past Co the plan's bias is zero-padded, so that a
// kernel may read a whole panel's worth of bias values.
const biasPad = 64

// compileSIMD picks the SIMD algorithm and kernels for p and packs the
// weights for them; it reports false if isa has no kernels in this build.
//
// The choice is a cost model in units of one lane's multiply-add: the
// lanes each algorithm computes (whole tiles, wasted lanes included) divided
// by the tile's efficiency, plus the cost of storing each output and of
// building the virtual input. It depends on the layer and the number of
// workers, never on the data. Whatever it picks, every kernel of an ISA
// computes an output as the bias followed by one fused multiply-add per
// term, in the same order, so the choice changes speed, never results.
func compileSIMD(p *Program, weights []float32) bool {
	c := p.c
	byMR := map[int][]*pixelKernel{}
	var lanes int
	for i := range archPixelKernels {
		k := &archPixelKernels[i]
		if k.isa == p.isa {
			byMR[k.mr] = append(byMR[k.mr], k)
			lanes = k.lanes
		}
	}
	if len(byMR) == 0 {
		return false
	}
	byNR := map[int][]*channelKernel{}
	for i := range archChannelKernels {
		if k := &archChannelKernels[i]; k.isa == p.isa {
			byNR[k.nr] = append(byNR[k.nr], k)
		}
	}
	// The whole image as one block, for the cost model.
	split, flat := newGeometry(c, true, c.H), newGeometry(c, false, c.H)
	if split.Cig == 1 {
		for i := range archDepthwiseKernels {
			if k := &archDepthwiseKernels[i]; k.isa == p.isa {
				p.compileDepthwise(k, weights)
				return true
			}
		}
	}
	best := chooseTile(c, &split, &flat, byMR, byNR, p.workers)
	if forcedChoice != nil {
		best = forcedChoice()
	}

	s := &simdProgram{isa: p.isa, lanes: lanes, clamp: clampArg(p.lo, p.hi)}
	p.simd = s
	p.bias = append(p.bias, make([]float32, biasPad)...)
	if best.mr == 0 {
		p.algo = algoChannels
		s.ch = byV(byNR[best.nr])
		if s.ch[0].runs > 0 {
			s.chHalf = byV(byNR[best.nr/2])
		}
		s.nr = best.nr
		s.rows = best.rows
		p.plan(false, s.rows, func(g *geometry, rows int) float64 { return float64(ceilDiv(rows*g.OW, s.nr) * s.nr) })
		// The last block's own table: a tile that ends past its last pixel
		// must not read the pixels a whole block has there (past the
		// image, where the kernels read the caller's input in place).
		g := &p.g
		for i, rows := range []int{g.blockRows, g.OH - (p.nBlocks-1)*g.blockRows} {
			if i == 0 || rows < g.blockRows {
				pix := outputPixelOffsets(g, rows, s.nr)
				s.pixB[i] = make([]int64, len(pix))
				for j, v := range pix {
					s.pixB[i][j] = 4 * int64(v)
				}
			}
		}
		p.packPanels(weights, s.rows, lanes)
		s.kPart = p.g.K
		if !slices.ContainsFunc(s.ch, func(k *channelKernel) bool { return !k.parts }) {
			s.kPart = ceilDiv(p.g.K, ceilDiv(4*s.rows*p.g.K, partBytes))
		}
		if !p.g.direct {
			if e := newEdgeTiles(c, &p.g, p.nBlocks, s.nr); e.worthIt(p) {
				s.edges = e
			}
		}
	} else {
		p.algo = algoPixels
		s.pix = byVPixel(byMR[best.mr])
		s.rows = best.mr
		s.tileW = len(s.pix) * lanes
		p.plan(true, best.mr, func(g *geometry, rows int) float64 { return s.gridWork(g.gridLen(rows)) })
		g := &p.g
		s.tiles[0] = s.buildTiles(g, g.blockRows)
		if short := g.OH - (p.nBlocks-1)*g.blockRows; short < g.blockRows {
			s.tiles[1] = s.buildTiles(g, short)
		}
		p.packPanels(weights, best.mr, best.mr)
		s.callTiles = max(1, maxCallMACs/(s.rows*s.tileW*p.g.K))
	}
	s.setOffsets(&p.g)
	p.workLen = p.g.blockVinLen()
	if s.needsParts(p.g.K) {
		p.workLen += s.partsLen(&p.g)
	}
	return true
}

// clampArg is the clamp the kernels take: nil when [lo, hi] is open.
func clampArg(lo, hi float32) *[2]float32 {
	if math.IsInf(float64(lo), -1) && math.IsInf(float64(hi), 1) {
		return nil
	}
	return &[2]float32{lo, hi}
}

// compileDepthwise prepares a layer with one input channel per group: the
// weights stay as they are (Kh*Kw per output channel), and the output
// vectors of a block, row by row, go into a list of whole vectors and one of
// partial vectors (the end of each row).
func (p *Program) compileDepthwise(k *depthwiseKernel, weights []float32) {
	p.algo = algoDepthwise
	p.plan(true, 1, func(g *geometry, rows int) float64 { return float64(rows * ceilDiv(g.OW, k.lanes) * k.lanes) })
	g := &p.g
	s := &simdProgram{isa: p.isa, lanes: k.lanes, dw: k, clamp: clampArg(p.lo, p.hi)}
	p.simd = s
	p.a = append([]float32(nil), weights...)
	s.setOffsets(g)
	p.workLen = g.blockVinLen()
	if c := p.c; c.Kh == c.Kw && c.SH == c.SW && c.DH == 1 && c.DW == 1 {
		for i := range archDepthwiseRowKernels {
			if r := &archDepthwiseRowKernels[i]; r.isa == p.isa && r.k == c.Kh && r.stride == c.SH {
				s.setDepthwiseRows(p, r)
				return
			}
		}
	}
	L := k.lanes
	lists := func(rows int) (full, partial []int64) {
		for r := 0; r < rows; r++ {
			for c := 0; c < g.OW; c += L {
				e := []int64{4 * int64(r*g.Wq+c), 4 * int64(r*g.OW+c), 1<<min(L, g.OW-c) - 1}
				if g.OW-c >= L {
					full = append(full, e...)
				} else {
					partial = append(partial, e...)
				}
			}
		}
		return padGroups(full, k.group), padGroups(partial, k.groupMasked)
	}
	s.dwFull[0], s.dwPartial[0] = lists(g.blockRows)
	if short := g.OH - (p.nBlocks-1)*g.blockRows; short < g.blockRows {
		s.dwFull[1], s.dwPartial[1] = lists(short)
	}
}

// setDepthwiseRows prepares the row-pass depthwise kernel, which reads the
// caller's input (no virtual input): the column list, with a load mask per
// kernel column for the vectors whose taps reach the padding, and the zero
// row that rows of the padding read.
func (s *simdProgram) setDepthwiseRows(p *Program, r *depthwiseRowKernel) {
	c, g := p.c, &p.g
	s.dwRows = r
	p.readsInput = true
	p.workLen = 0
	s.dwCols = dwColumns(g.OW, c.W, c.PL, r.k, r.lanes, r.shift, r.stride)
	s.dwZero = make([]float32, r.stride*g.OW+c.W+6*r.lanes) // as long as a padded row, and the vectors read past it
}

// dwColumns is the column list of the row-pass depthwise kernel for ow
// output columns of an input w columns wide with left padding pl and a
// kernel k wide: vectors of lanes columns, each with its store mask and, for
// each kernel column, the mask of the lanes whose input lies inside the row
// (the others are padding and read as zero). A vector whose lanes are all
// inside for every kernel column is marked whole (no masks).
//
// A shift kernel's entries cover two column vectors (the last one alone if
// their number is odd) and hold the masks of the row vectors it loads, input
// columns stride*col-pl on: lanes it needs (those that output columns read)
// that lie inside the row. The others are never read.
func dwColumns(ow, w, pl, k, lanes int, shift bool, stride int) []int64 {
	full := int64(1)<<lanes - 1
	inside := func(x int) bool { return x >= 0 && x < w }
	var cols []int64
	step := lanes
	if shift {
		step = 2 * lanes
	}
	for col := 0; col < ow; col += step {
		e := make([]int64, dwColEntry)
		e[0] = 4 * int64(stride*col)
		if shift {
			n := min(step, ow-col)
			nc := ceilDiv(n, lanes)
			store := [2]int64{int64(1)<<min(n, lanes) - 1, int64(1)<<max(n-lanes, 0) - 1}
			// Row vectors loaded: stride*nc+1, from input column
			// stride*col-pl; output column j of the entry reads relative
			// columns stride*j .. stride*j+k-1.
			vecs := stride*nc + 1
			needed := func(r int) bool { return r < stride*(n-1)+k }
			whole := n == step
			for l := 0; l < vecs*lanes; l++ {
				if !inside(stride*col - pl + l) {
					whole = false
				} else if needed(l) {
					e[3+l/lanes] |= 1 << (l % lanes)
				}
			}
			if !whole {
				e[1] = 1
			}
			if stride == 1 {
				e[2], e[6], e[7] = store[0], store[1], int64(nc)
			} else {
				e[2], e[8], e[9] = store[0], store[1], int64(nc)
			}
			cols = append(cols, e...)
			continue
		}
		n := min(lanes, ow-col)
		e[2] = int64(1)<<n - 1
		if stride == 2 {
			// Tap kw loads the 2*lanes padded columns from 2*col+kw on, as
			// two vectors, and uses their even lanes: each vector's mask
			// keeps the even lanes of real outputs that lie inside the
			// input. Whole entries load every lane, so all must be inside.
			if n < lanes {
				e[1] = 1
			}
			for kw := 0; kw < k; kw++ {
				for h := 0; h < 2; h++ {
					var m int64
					for l := 0; l < lanes; l++ {
						c := h*lanes + l
						x := stride*col + c + kw - pl
						if c%2 == 0 && c/2 < n && inside(x) {
							m |= 1 << l
						}
						if !inside(x) {
							e[1] = 1
						}
					}
					e[3+2*kw+h] = m
				}
			}
			cols = append(cols, e...)
			continue
		}
		for kw := 0; kw < k; kw++ {
			var m int64
			for l := 0; l < n; l++ {
				if inside(col + l + kw - pl) {
					m |= 1 << l
				}
			}
			e[3+kw] = m
			if m != full {
				e[1] = 1
			}
		}
		cols = append(cols, e...)
	}
	return cols
}

// padGroups repeats the last 3-value entry of list until it holds a whole
// number of groups.
func padGroups(list []int64, group int) []int64 {
	for n := len(list) / 3; n > 0 && n%group != 0; n++ {
		list = append(list, list[len(list)-3:]...)
	}
	return list
}

// chooseTile returns the cheapest algorithm and tile by the cost model
// (cost.go): the pixel algorithm with each MR, or the channel algorithm with
// each NR and channel-tile width. With several workers, a channel tiling of a
// small image (whose rows are too few to share out) pays for the workers
// left idle when its tiles do not divide among them.
func chooseTile(c Conv, split, flat *geometry, byMR map[int][]*pixelKernel, byNR map[int][]*channelKernel, workers int) choice {
	var best choice
	bestCost := math.Inf(1)
	consider := func(ch choice, cost float64) {
		if cost < bestCost {
			best, bestCost = ch, cost
		}
	}
	for _, mr := range sortedKeys(byMR) {
		consider(choice{mr: mr}, pixelCost(c, split, byVPixel(byMR[mr])))
	}
	// Run kernels last: they take a layer only where they cost strictly
	// less (where no tile is two runs they cost what the kernels of half
	// their pixels cost, and run slower, two calls a tile).
	nrs := sortedKeys(byNR)
	sort.SliceStable(nrs, func(i, j int) bool { return byNR[nrs[i]][0].runs < byNR[nrs[j]][0].runs })
	for _, nr := range nrs {
		ks := byV(byNR[nr])
		for v := 1; v <= len(ks); v++ {
			rows := v * ks[0].lanes
			var half []*channelKernel
			if ks[0].runs > 0 {
				half = byV(byNR[nr/2])
			}
			cost := channelCost(c, flat, ks, half, rows)
			if tiles := c.N * c.G * ceilDiv(flat.Cog, rows); workers > 1 && flat.OH*flat.OW <= 4*nr*workers {
				if idle := float64(ceilDiv(tiles, workers)*workers) / float64(tiles); idle > 1+idleTolerance {
					cost *= idle
				}
			}
			consider(choice{nr: nr, rows: rows}, cost)
		}
	}
	return best
}

// idleTolerance is the share of idle workers that chooseTile ignores: the
// efficiencies of the channel tiles are known to a few percent (32- and
// 48-channel tiles often tie), and a smaller imbalance, which the tasks of
// several tiles mostly even out, must not override the single-worker
// choice. (r50_5_1x1_expand, 2048 channels of 7x7 pixels, in 43 tiles of 48
// for two workers: 2.3%. Weighed, it made the plan take 32-channel tiles:
// with two workers on Zen 5 they ran at 361 GFLOP/s, the 48-channel ones at
// 376; 8192 channels, 337 and 369.)
const idleTolerance = 0.05

func sortedKeys[T any](m map[int]T) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(keys)))
	return keys
}

// byV indexes channel kernels of one NR by their number of vectors - 1.
func byV(ks []*channelKernel) []*channelKernel {
	out := make([]*channelKernel, len(ks))
	for _, k := range ks {
		out[k.v-1] = k
	}
	return out
}

// byVPixel indexes pixel kernels of one MR by their number of vectors - 1.
func byVPixel(ks []*pixelKernel) []*pixelKernel {
	out := make([]*pixelKernel, maxV(ks))
	for _, k := range ks {
		out[k.v-1] = k
	}
	return out
}

// forcedChoice, set only by tests, replaces the cost model.
var forcedChoice func() choice

// setOffsets converts the im2col row offsets to bytes, as the kernels use them.
func (s *simdProgram) setOffsets(g *geometry) {
	s.offB = make([]int64, len(g.off))
	for i, o := range g.off {
		s.offB[i] = 4 * o
	}
}

func maxV(ks []*pixelKernel) int {
	v := 0
	for _, k := range ks {
		v = max(v, k.v)
	}
	return v
}

// gridWork is the work of the pixel tiles over n grid pixels of a block:
// their lanes, each tile's weighted by the full tile's efficiency over its
// own (cost.go).
func (s *simdProgram) gridWork(n int) float64 {
	full := s.pix[len(s.pix)-1]
	eFull := efficiency(full.name, full.mr*full.v, full.mr == 1)
	work := float64(n/s.tileW) * float64(s.tileW)
	if r := n % s.tileW; r > 0 {
		k := s.pix[ceilDiv(r, s.lanes)-1]
		work += float64(k.v*k.lanes) * eFull / efficiency(k.name, k.mr*k.v, k.mr == 1)
	}
	return work
}

// packPanels packs each group's Cog x K weights into panels of rows output
// channels, k-major (rows values per k). The last panel of a group is only
// as wide as its channels rounded up to unit (zero rows fill the rest).
func (p *Program) packPanels(weights []float32, rows, unit int) {
	g := &p.g
	p.aGroupLen = ceilDiv(g.Cog, rows) * rows * g.K
	p.a = make([]float32, p.c.G*p.aGroupLen)
	for gr := 0; gr < p.c.G; gr++ {
		w := weights[gr*g.Cog*g.K : (gr+1)*g.Cog*g.K]
		dst := p.a[gr*p.aGroupLen:]
		for t := 0; t*rows < g.Cog; t++ {
			width := min(rows, ceilDiv(g.Cog-t*rows, unit)*unit)
			panel := dst[t*rows*g.K:]
			for k := 0; k < g.K; k++ {
				for i := 0; i < width; i++ {
					if row := t*rows + i; row < g.Cog {
						panel[k*width+i] = w[row*g.K+k]
					}
				}
			}
		}
	}
}

// buildTiles cuts the computed grid of a block of rows output rows into
// tiles of tileW pixels (the last one rounded up to whole vectors) and
// lists, for each vector of each tile, the runs of real output pixels it
// holds: lanes of grid row r with column ow < OW go to output pixel
// p - r*(Wq-OW) of the block. A run is stored as the byte offset of lane 0's
// destination (as if lane 0 were in the run's row) and the mask of the run's
// lanes.
func (s *simdProgram) buildTiles(g *geometry, rows int) tileSet {
	var ts tileSet
	L := s.lanes
	gap := g.Wq - g.OW
	n := g.gridLen(rows)
	for q0 := 0; q0 < n; q0 += s.tileW {
		nv := ceilDiv(min(s.tileW, n-q0), L)
		ts.tileV = append(ts.tileV, nv)
		last := q0 + (nv-1)*L
		ts.lastMask = append(ts.lastMask, 1<<min(L, n-last)-1)
		ts.readLast = append(ts.readLast, 4*(min(s.tileW, n-q0)-1))
		ts.segStart = append(ts.segStart, len(ts.segs))
		if s.pix[0].runStores && n-q0 >= nv*L && (gap == 0 || (q0%g.Wq)+nv*L <= g.OW) {
			// Whole vectors of real outputs, contiguous in the output: the
			// grid has no extra columns, or the tile lies within one row.
			r := q0 / g.Wq
			ts.segs = append(ts.segs, -1, 4*int64(q0-r*gap))
			continue
		}
		for v := 0; v < nv; v++ {
			start := q0 + v*L
			end := min(start+L, n)
			countAt := len(ts.segs)
			ts.segs = append(ts.segs, 0)
			for r := start / g.Wq; r*g.Wq < end; r++ {
				lo, hi := max(start, r*g.Wq), min(end, r*g.Wq+g.OW)
				if lo >= hi {
					continue
				}
				mask := int64(0)
				for l := lo; l < hi; l++ {
					mask |= 1 << (l - start)
				}
				ts.segs = append(ts.segs, 4*int64(start-r*gap), mask)
				ts.segs[countAt]++
			}
		}
	}
	return ts
}

func (s *simdProgram) describe(p *Program) (kernel, tile string) {
	K := p.g.K
	if r := s.dwRows; r != nil {
		return r.name, fmt.Sprintf("%d output rows x %d pixels, one channel", r.rows, r.lanes)
	}
	if s.dw != nil {
		return s.dw.name, fmt.Sprintf("%d output vectors of %d pixels, one channel", s.dw.group, s.dw.lanes)
	}
	if s.ch != nil {
		k := s.ch[s.rows/s.lanes-1] // the kernel of a whole channel tile
		tile = fmt.Sprintf("%d output channels x %d pixels (channels in lanes, transposed on store)", k.v*k.lanes, k.nr)
		if k.runs > 0 {
			runs, halves, _ := p.countRunTiles()
			tile += fmt.Sprintf("; %d of %d pixel tiles in two runs of %d pixels, the others by %s", runs, runs+halves, k.nr/2, s.chHalf[k.v-1].name)
		}
		if s.sumsInParts(K) {
			tile += fmt.Sprintf("; sums in %d parts of up to %d terms", ceilDiv(K, s.kPart), s.kPart)
		}
		if e := s.edges; e != nil {
			n, d := 0, 0
			for _, tiles := range e.direct {
				for _, x := range tiles {
					n++
					if x {
						d++
					}
				}
			}
			tile += fmt.Sprintf("; %d of %d pixel tiles read the input in place", d, n)
		}
		return k.name, tile
	}
	k := s.pix[len(s.pix)-1]
	return k.name, fmt.Sprintf("%d output channels x %d pixels (pixels in lanes)", k.mr, k.v*k.lanes)
}

// run computes a block.
func (s *simdProgram) run(p *Program, dst []float32, b *block) {
	g := &p.g
	ldc := 4 * b.outPlane
	vin := b.vin
	short := 0
	if b.short {
		short = 1
	}
	switch {
	case s.dwRows != nil:
		c := p.c
		taps := len(g.off)
		// The block's channels read one plane, or with one output channel
		// per group, consecutive planes (Run merges such groups).
		xStride := 0
		if g.Cog == 1 {
			xStride = 4 * c.H * c.W
		}
		s.dwRows.fn(&vin[0], 4*c.PL, 4*c.W, c.H, b.oh0*c.SH-c.PT, &s.dwZero[0], &p.a[b.co0*taps], &p.bias[b.co0], s.clamp,
			&dst[b.out(b.co0)], 4*g.OW, b.rows, &s.dwCols[0], len(s.dwCols)/dwColEntry, b.co1-b.co0, xStride, 4*b.outPlane)
	case s.dw != nil:
		taps := len(g.off)
		full, partial := s.dwFull[short], s.dwPartial[short]
		for co := b.co0; co < b.co1; co++ {
			y := &dst[b.out(co)]
			w := &p.a[co*taps]
			if len(full) > 0 {
				s.dw.full(&vin[0], &s.offB[0], taps, w, &p.bias[co], s.clamp, y, &full[0], len(full)/3)
			}
			if len(partial) > 0 {
				s.dw.masked(&vin[0], &s.offB[0], taps, w, &p.bias[co], s.clamp, y, &partial[0], len(partial)/3)
			}
		}
	case s.ch != nil:
		// Output-channel tiles outer: each weight panel is read from memory
		// once and the block's input is reused from cache. A long panel is
		// read in parts, each part over all the pixel tiles. Each call
		// prefetches its share of the weights of the next part (or of the
		// next tile's first), so that they arrive in L2 while this part
		// computes.
		gEnd := (b.gr + 1) * g.Cog
		P := b.rows * g.OW
		nt := ceilDiv(P, s.nr)
		var direct []bool
		if s.edges != nil {
			direct = s.edges.direct[b.oh0/g.blockRows]
		}
		aGroup := p.a[b.gr*p.aGroupLen : (b.gr+1)*p.aGroupLen]
		for co := b.co0; co < b.co1; co += s.rows {
			t := (co - b.gr*g.Cog) / s.rows
			k := s.ch[ceilDiv(min(s.rows, gEnd-co), s.lanes)-1]
			width := k.v * k.lanes
			a := aGroup[t*s.rows*g.K:]
			m := min(s.rows, b.co1-co)
			out := b.out(co)
			for k0 := 0; k0 < g.K; k0 += s.kPart {
				kn := min(s.kPart, g.K-k0)
				flags := 0
				if k0 > 0 {
					flags |= partResume
				}
				// next: the weights the block reads after this part
				var next []float32
				if k0+kn < g.K {
					flags |= partKeep
					next = a[(k0+kn)*width : (k0+kn+min(s.kPart, g.K-k0-kn))*width]
				} else if co+s.rows < b.co1 {
					w2 := min(s.rows, ceilDiv(gEnd-co-s.rows, s.lanes)*s.lanes)
					next = aGroup[(t+1)*s.rows*g.K:][:min(s.kPart, g.K)*w2]
				}
				// Call i prefetches lines [i*share, i*share+npf) of next,
				// each line the 16 floats from a multiple of 16 in next.
				lines := ceilDiv(len(next), 16)
				share := ceilDiv(lines, nt)
				for i, px := 0, 0; px < P; i, px = i+1, px+s.nr {
					x, offs, pixT := &vin[0], &s.offB[k0], s.pixB[short][px:]
					if direct != nil && direct[i] {
						x, offs, pixT = &b.in[0], &s.edges.offB[k0], s.edges.pixB[b.oh0*g.OW+px:]
					}
					part := &a[0] // not read unless flags are set
					switch {
					case flags != 0:
						part = &b.parts[i*s.rows*s.nr]
					case k.runs > 0:
						// where a run kernel stores its sums before the
						// transposes: one tile's worth for every tile, so
						// that it stays in L1
						part = &b.parts[0]
					}
					pf, npf := &a[0], min(share, lines-i*share)
					if npf > 0 {
						// (sliced to the last line's first float, so that
						// no prefetch can leave next)
						pf = &next[i*share*16 : (i*share+npf-1)*16+1][0]
					} else {
						npf = 0
					}
					if k.runs == 0 || s.takesRun(pixT, px, P) {
						k.fn(&a[k0*width], x, offs, kn, &pixT[0], &dst[out+px], ldc, m,
							1<<min(s.nr, P-px)-1, &p.bias[co], s.clamp, part, flags, pf, npf)
						continue
					}
					// Not two runs (a row's end in the virtual input, a
					// strided tile read in place, or the block's last,
					// shorter tile): the kernel of half the pixels, twice
					// (once for the pixels of a tile at most half full),
					// its kept sums in the two halves of the tile's.
					h := s.chHalf[k.v-1]
					half := s.nr / 2
					h.fn(&a[k0*width], x, offs, kn, &pixT[0], &dst[out+px], ldc, m,
						1<<min(half, P-px)-1, &p.bias[co], s.clamp, part, flags, pf, npf)
					if P-px > half {
						part2 := &a[0]
						if flags != 0 {
							part2 = &b.parts[i*s.rows*s.nr+s.rows*half]
						}
						h.fn(&a[k0*width], x, offs, kn, &pixT[half], &dst[out+px+half], ldc, m,
							1<<min(half, P-px-half)-1, &p.bias[co], s.clamp, part2, flags, &a[0], 0)
					}
				}
			}
		}
	default:
		// One call computes up to callTiles tiles of output channels over
		// a tile of pixels.
		// (The divisions are per block, not per call: tiny layers make one
		// call per block.)
		ts := &s.tiles[short]
		t0 := (b.co0 - b.gr*g.Cog) / s.rows // the block's first tile of output channels
		nt := ceilDiv(b.co1-b.co0, s.rows)
		a := p.a[b.gr*p.aGroupLen+t0*s.rows*g.K:]
		// The last call over a tile of pixels prefetches (in its last tile
		// of output channels) the next tile's input, which the same offsets
		// address; the other calls, and those of the last tile, prefetch
		// lines they load themselves.
		for ti, nv := range ts.tileV {
			k := s.pix[nv-1]
			bp := &vin[ti*s.tileW]
			next, nextLast := bp, 0
			if ti+1 < len(ts.tileV) {
				next, nextLast = &vin[(ti+1)*s.tileW], ts.readLast[ti+1]
			}
			for i := 0; i < nt; i += s.callTiles {
				co := b.co0 + i*s.rows
				pf, pfLast := bp, 0
				if i+s.callTiles >= nt {
					pf, pfLast = next, nextLast
				}
				k.fn(&a[i*s.rows*g.K], bp, &s.offB[0], g.K,
					&dst[b.out(co)], ldc, b.co1-co, ts.lastMask[ti],
					&p.bias[co], s.clamp, &ts.segs[ts.segStart[ti]], min(s.callTiles, nt-i), pf, pfLast)
			}
		}
	}
}

// countRunTiles counts, over the blocks of p (channel algorithm with a run
// tile), the pixel tiles that run gives the run kernel, those it computes
// with the kernels of half the pixels, and of those the tiles at most half
// full.
func (p *Program) countRunTiles() (runs, halves, short int) {
	s, g := p.simd, &p.g
	for bi := 0; bi < p.nBlocks; bi++ {
		rows := min(g.blockRows, g.OH-bi*g.blockRows)
		P := rows * g.OW
		table := s.pixB[0]
		if rows < g.blockRows {
			table = s.pixB[1]
		}
		for i, px := 0, 0; px < P; i, px = i+1, px+s.nr {
			pix := table[px:]
			if s.edges != nil && s.edges.direct[bi][i] {
				pix = s.edges.pixB[bi*g.blockRows*g.OW+px:]
			}
			switch {
			case s.takesRun(pix, px, P):
				runs++
			case P-px <= s.nr/2:
				halves++
				short++
			default:
				halves++
			}
		}
	}
	return runs, halves, short
}

// takesRun reports whether the pixel tile from px of a block of P pixels,
// pix its pixels' offsets onward, goes to a run kernel: whole, and two runs.
func (s *simdProgram) takesRun(pix []int64, px, P int) bool {
	return px+s.nr <= P && twoRuns(pix[:s.nr])
}

// twoRuns reports whether the byte offsets pix of a tile's pixels are two
// runs of len(pix)/2 contiguous floats each (see channelKernel.runs).
func twoRuns(pix []int64) bool {
	h := len(pix) / 2
	for j := 1; j < len(pix); j++ {
		if j != h && pix[j] != pix[j-1]+4 {
			return false
		}
	}
	return true
}

// needsParts reports whether a worker needs the scratch of partsLen: for
// sums in parts, and for run kernels, which always write their sums there.
func (s *simdProgram) needsParts(K int) bool {
	return s.sumsInParts(K) || (s.ch != nil && s.ch[0].runs > 0)
}

// sumsInParts reports whether the channel-lane sums of K terms take more
// than one call each.
func (s *simdProgram) sumsInParts(K int) bool { return s.ch != nil && s.kPart < K }

// partsLen is the scratch a worker needs for the kept sums of a block's
// pixel tiles (channel-lane sums in parts), or with whole sums, for the one
// tile a run kernel stores before its transposes.
func (s *simdProgram) partsLen(g *geometry) int {
	if !s.sumsInParts(g.K) {
		return s.rows * s.nr
	}
	return ceilDiv(g.blockRows*g.OW, s.nr) * s.rows * s.nr
}
