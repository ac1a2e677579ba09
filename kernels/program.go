package kernels

import (
	"fmt"
	"math"
)

// ISA names a family of kernels.
type ISA int

const (
	Generic ISA = iota // pure Go
	AVX2               // amd64 AVX2 + FMA, 16 ymm registers
	AVX512             // amd64 AVX-512 (F, VL), 32 zmm registers and opmasks
	NEON               // arm64 Advanced SIMD, 32 V registers
)

func (i ISA) String() string {
	switch i {
	case Generic:
		return "generic"
	case AVX2:
		return "avx2"
	case AVX512:
		return "avx512"
	case NEON:
		return "neon"
	}
	return fmt.Sprintf("ISA(%d)", int(i))
}

// algorithm is the way a Program computes its layer.
type algorithm int

const (
	algoGenericGEMM      algorithm = iota // Go GEMM over packed im2col panels
	algoGenericDepthwise                  // Go row loops, one input channel per group
	algoPixels                            // SIMD GEMM, output pixels in the vector lanes
	algoChannels                          // SIMD GEMM, output channels in the vector lanes
	algoDepthwise                         // SIMD, one input channel per group, output vectors from a list
)

var algoNames = [...]string{
	algoGenericGEMM:      "gemm (pure Go, packed im2col panels)",
	algoGenericDepthwise: "depthwise (pure Go rows)",
	algoPixels:           "gemm, pixels in lanes",
	algoChannels:         "gemm, output channels in lanes",
	algoDepthwise:        "depthwise, output vectors in lanes",
}

// Description says how a Program computes its layer.
type Description struct {
	ISA       ISA
	Algorithm string // e.g. "gemm, pixels in lanes"
	Kernel    string // the micro-kernel, e.g. "gemmAVX512_8x48"
	Tile      string // its register tile, e.g. "8 output channels x 48 pixels"
	Tasks     int    // units of parallel work per call
}

// Program is one layer compiled for one ISA: its weights packed for the
// chosen kernel, the virtual-input geometry and the split into tasks. It is
// immutable after Compile, so any number of goroutines may run it at once,
// each with its own scratch buffer.
type Program struct {
	c    Conv
	g    geometry
	isa  ISA
	algo algorithm

	a          []float32 // packed weights
	aGroupLen  int       // elements of a per group
	bias       []float32 // Co values (zeros without a bias), padded for the SIMD kernels
	lo, hi     float32   // output clamp
	oneByOne   bool      // generic: 1x1 convolution read in place
	readsInput bool      // the kernels read the caller's input as it is, padding or not
	poff       []int     // generic: pixel offset of each output pixel of a block, padded

	// Tasks: (image, chunk of groups, block of output rows, output-channel
	// chunk).
	workers            int // goroutines sharing a call, which the task split serves
	groupChunk         int // groups per task
	nGroupChunks       int
	nBlocks            int
	coChunk, nCoChunks int
	workLen            int // per-worker scratch elements

	simd *simdProgram // kernel-specific state of the SIMD algorithms
}

// Compile prepares c for isa. weights are OIHW (Co*(Ci/G)*Kh*Kw values);
// bias has Co values or is nil. Outputs are clamped to [lo, hi]. workers is
// the number of goroutines that will share a call's tasks: it sizes the
// tasks, never the arithmetic, so results do not depend on it. The caller
// has validated c and the lengths; isa must be one this build supports (see
// Compiled).
func Compile(c Conv, isa ISA, weights, bias []float32, lo, hi float32, workers int) *Program {
	p := &Program{c: c, isa: isa, lo: lo, hi: hi, workers: max(workers, 1)}
	p.bias = make([]float32, c.Co)
	if bias != nil {
		copy(p.bias, bias)
	}
	if isa != Generic && compileSIMD(p, weights) {
		return p
	}
	p.isa = Generic
	p.compileGeneric(weights)
	return p
}

func (p *Program) compileGeneric(weights []float32) {
	c := p.c
	if c.Ci == c.G { // one input channel per group
		p.algo = algoGenericDepthwise
		p.plan(false, 1, nil)
		p.a = append([]float32(nil), weights...)
		p.workLen = p.g.blockVinLen()
		return
	}
	p.algo = algoGenericGEMM
	p.plan(false, genericMR, func(g *geometry, rows int) float64 { return float64(ceilDiv(rows*g.OW, genericNR) * genericNR) })
	g := &p.g
	p.oneByOne = g.direct && c.Kh == 1 && c.Kw == 1 && c.SH == 1 && c.SW == 1
	tiles := ceilDiv(g.Cog, genericMR)
	p.aGroupLen = tiles * genericMR * g.K
	p.a = make([]float32, c.G*p.aGroupLen)
	for gr := 0; gr < c.G; gr++ {
		packGenericA(p.a[gr*p.aGroupLen:], weights[gr*g.Cog*g.K:], g.Cog, g.K)
	}
	p.poff = outputPixelOffsets(g, g.blockRows, genericNR)
	p.workLen = g.blockVinLen() + g.K*genericNR
}

// outputPixelOffsets returns g.pixel(r, ow) for every output pixel r*OW+ow
// of a block of rows output rows, then pad copies of the last entry so that
// a tile may read a whole tile's worth.
func outputPixelOffsets(g *geometry, rows, pad int) []int {
	n := rows * g.OW
	t := make([]int, n, n+pad)
	for r := 0; r < rows; r++ {
		for ow := 0; ow < g.OW; ow++ {
			t[r*g.OW+ow] = g.pixel(r, ow)
		}
	}
	for i := 0; i < pad; i++ {
		t = append(t, t[n-1])
	}
	return t
}

// Task sizes. A block's virtual input takes at most blockBytes, so that it
// stays in the core's L2 cache with the weights it meets. With several
// workers, a call aims at tasksPerWorker tasks per worker (to balance them)
// unless tasks would fall under minTaskMACs multiply-adds (a few
// microseconds of work).
const (
	blockBytes     = 256 << 10
	tasksPerWorker = 8
	minTaskMACs    = 1 << 18
	// Costs of the split, in lane multiply-adds: per byte read again from
	// memory (weights once per block of rows, input once per channel chunk)
	// and per element copied into a block's virtual input (once per block
	// and worker: a worker keeps the block it built for its next task).
	rereadCost = 2.0
	copyElem   = 4.0
)

// plan sets the geometry (split or not) and the tasks: blocks of output
// rows and output-channel chunks (multiples of coUnit). lanes, when not nil,
// says how many pixel lanes the kernels compute for a block of a given
// number of rows (tiles cut at block edges waste some), each weighted by
// its tile's speed relative to the full tile's (narrow edge tiles are
// slower). Each output's sum is
// computed the same way whatever the blocks, so the split only changes which
// goroutine computes what, how much is copied and read again, and how many
// lanes are wasted: plan weighs those and takes the cheapest split.
func (p *Program) plan(split bool, coUnit int, lanes func(g *geometry, rows int) float64) {
	c := p.c
	g := newGeometry(c, split, c.H) // the whole image as one block
	macs := float64(c.N) * float64(c.Co) * float64(g.K) * float64(g.OH*g.OW)
	want := 1
	if p.workers > 1 {
		want = int(math.Max(1, math.Min(float64(tasksPerWorker*p.workers), macs/minTaskMACs)))
	}
	maxRows := g.OH
	one := newGeometry(c, split, 1)
	if !g.direct {
		// planeRows(rows) = (rows-1)*rowsPerOut + planeRows(1)
		fit := blockBytes / (4 * one.sH * one.sW * one.Wq * one.Cig)
		maxRows = 1
		if fit > one.planeRows {
			maxRows = min(g.OH, (fit-one.planeRows)/one.rowsPerOut+1)
		}
	}
	base := c.N * c.G
	coTiles := ceilDiv(g.Cog, coUnit)
	weightBytes := 4 * float64(g.Cog*g.K)
	inputBytes := 4 * float64(g.Cig*c.H*c.W)
	bestCost := math.Inf(1)
	bestRows, bestChunk := g.OH, coTiles
	for nb := ceilDiv(g.OH, maxRows); nb <= g.OH; nb++ {
		rows := ceilDiv(g.OH, nb)
		if nb > 1 && ceilDiv(g.OH, nb-1) == rows {
			continue // the same blocks as nb-1
		}
		nb := ceilDiv(g.OH, rows)
		bg := newGeometry(c, split, rows)
		computed := float64(g.OH * g.OW)
		if lanes != nil {
			short := g.OH - (nb-1)*rows
			computed = float64(nb-1)*lanes(&bg, rows) + lanes(&bg, short)
		}
		for nc := 1; nc <= coTiles; nc++ {
			chunk := ceilDiv(coTiles, nc)
			if nc > 1 && ceilDiv(coTiles, nc-1) == chunk {
				continue
			}
			nc := ceilDiv(coTiles, chunk)
			tasks := base * nb * nc
			work := float64(base) * float64(g.Cog*g.K) * computed
			cost := work +
				float64(base)*rereadCost*(float64(nb)*weightBytes+float64(nc)*inputBytes) +
				float64(base*nb*min(nc, p.workers)*bg.blockVinLen())*copyElem
			if p.workers > 1 {
				cost *= splitBalance(tasks, p.workers, float64(chunk*rows), float64(base*coTiles*g.OH))
			}
			if cost < bestCost {
				bestCost, bestRows, bestChunk = cost, rows, chunk
			}
			if tasks >= want {
				break // more chunks only add reads
			}
		}
	}
	if forcedSplit != nil {
		bestRows, bestChunk = forcedSplit(g.OH, coTiles)
	}
	p.nBlocks = ceilDiv(g.OH, bestRows)
	p.coChunk = bestChunk * coUnit
	p.nCoChunks = ceilDiv(g.Cog, p.coChunk)
	p.g = newGeometry(c, split, bestRows)
	// Many small groups (depthwise): several groups per task.
	p.groupChunk = 1
	if tasks := base * p.nBlocks * p.nCoChunks; tasks > 2*want {
		p.groupChunk = min(c.G, tasks/want)
	}
	p.nGroupChunks = ceilDiv(c.G, p.groupChunk)
}

// splitBalance is the factor by which a split's time on workers exceeds
// its work shared out evenly, for tasks of at most taskWork each out of
// totalWork (taskWork = chunk tiles of channels by the block's output rows:
// the last chunk and the last block may be smaller, and count as less).
// The slowest worker does ceil(tasks/workers) of the largest tasks; and
// the tasks end unevenly, the workers waiting for the last one about an
// eighth of a task each. (Measured with two workers on Zen 5: weighing half
// a task, the model split the twelve layers of 100 MFLOP or more of the
// benchmark set into 12 to 38 tasks on AVX-512; in the 4 to 28 they take
// now, their geometric mean ran 1.3, 1.8 and 4.7% faster in three
// alternations of binaries, r50_2c_1x1 2-7%, r50_4_1x1_reduce (12 tasks
// to 4) -3 to +2%; on AVX2 the mean stayed the same, r50_4_1x1_reduce, 12
// tasks to 2, 5% slower.)
func splitBalance(tasks, workers int, taskWork, totalWork float64) float64 {
	return float64(ceilDiv(tasks, workers)*workers) * taskWork / totalWork * (1 + float64(workers)/(8*float64(tasks)))
}

// forcedSplit, set only by tests, replaces plan's choice of the output rows
// per block and the channel tiles per chunk (given the output rows and the
// channel tiles of a group).
var forcedSplit func(oh, coTiles int) (rows, chunk int)

// Describe says how p computes its layer.
func (p *Program) Describe() Description {
	d := Description{ISA: p.isa, Algorithm: algoNames[p.algo], Tasks: p.Tasks()}
	switch p.algo {
	case algoGenericGEMM:
		d.Kernel, d.Tile = "gemmGo2x4", fmt.Sprintf("%d output channels x %d pixels", genericMR, genericNR)
	case algoGenericDepthwise:
		d.Kernel, d.Tile = "depthwiseGo", "one output row"
	default:
		d.Kernel, d.Tile = p.simd.describe(p)
	}
	return d
}

// Scratch is one worker's scratch space for a Program's tasks. Besides
// room to work, it remembers which block's virtual input it holds, so that
// a worker that takes several tasks of one block (its output-channel
// chunks) builds that input once per call, not once per task.
type Scratch struct {
	work []float32
	held blockKey // the block whose virtual input is in work, if valid
	ok   bool
}

// blockKey names a block of a call's input: image, group, block of rows.
type blockKey struct{ n, gr, bi int }

// NewScratch returns a scratch space for p's tasks. It starts as NaNs, so
// that a stored output computed from a part of it that no task wrote (a
// defect) is spoilt rather than computed from zeros that look like padding.
// (Lanes that are never stored may read such parts: see edges.go.)
func (p *Program) NewScratch() *Scratch {
	work := make([]float32, p.workLen)
	nan := float32(math.NaN())
	for i := range work {
		work[i] = nan
	}
	return &Scratch{work: work}
}

// Forget makes s hold nothing: call it before each call, whose input may
// differ from the last one's even at the same address.
func (s *Scratch) Forget() { s.ok = false }

// edgeTiles is the channel algorithm's direct addressing of interior
// tiles, or nil.
func (p *Program) edgeTiles() *edgeTiles {
	if p.simd == nil {
		return nil
	}
	return p.simd.edges
}

// Tasks is the number of tasks of a call; they write disjoint parts of dst
// and may run in any order, on any goroutines.
func (p *Program) Tasks() int { return p.c.N * p.nGroupChunks * p.nBlocks * p.nCoChunks }

// block is one task's share of the work: output channels [co0, co1) of
// group gr, image n, output rows [oh0, oh0+rows), and the block's virtual
// input.
type block struct {
	vin       []float32
	in        []float32 // the caller's input from the group's first channel of image n
	n, gr     int
	co0, co1  int
	oh0, rows int
	short     bool      // fewer rows than a whole block (the image's last)
	outBase   int       // dst offset of channel 0 of image n at row oh0
	outPlane  int       // OH*OW
	parts     []float32 // channel-lane sums in parts: the kept sums of each pixel tile
}

// out is the dst offset of channel co of the block's first output row.
func (b *block) out(co int) int { return b.outBase + co*b.outPlane }

// Run runs task t: src is the caller's input, s the calling worker's
// scratch space (Forget it at the start of each call).
func (p *Program) Run(t int, dst, src []float32, s *Scratch) {
	cc := t % p.nCoChunks
	t /= p.nCoChunks
	bi := t % p.nBlocks
	t /= p.nBlocks
	gc, n := t%p.nGroupChunks, t/p.nGroupChunks
	g0, g1 := gc*p.groupChunk, min((gc+1)*p.groupChunk, p.c.G)
	if m := p.mergeGroups(); m > 1 {
		for gr := g0; gr < g1; gr += m {
			p.runBlock(dst, src, s, n, gr, min(m, g1-gr), bi, cc)
		}
		return
	}
	for gr := g0; gr < g1; gr++ {
		p.runBlock(dst, src, s, n, gr, 1, bi, cc)
	}
}

// mergeGroups is the number of consecutive groups that one block may
// compute, for kernels that take several input planes per call (the
// depthwise row kernels, with one output channel per group): as many as
// keep a call to about maxCallOutputs outputs, so that each call into
// assembly stays short.
func (p *Program) mergeGroups() int {
	if p.simd == nil || p.simd.dwRows == nil || p.g.Cog != 1 {
		return 1
	}
	return max(1, maxCallOutputs/(p.g.blockRows*p.g.OW))
}

// maxCallMACs bounds the multiply-adds of one pixel-kernel call (several
// tiles of output channels): 10 to 40 microseconds at 200 to 50 GFLOP/s.
const maxCallMACs = 1 << 20

// maxCallOutputs bounds the outputs of one depthwise kernel call: 3 to 15
// microseconds for a 3x3 kernel at 20 to 100 GFLOP/s, five times that for a
// 5x5 one.
const maxCallOutputs = 1 << 15

// runBlock computes output-channel chunk cc of block bi of groups
// [gr, gr+ngr) of image n (ngr > 1 only for algorithms that merge groups).
func (p *Program) runBlock(dst, src []float32, s *Scratch, n, gr, ngr, bi, cc int) {
	work := s.work
	c, g := p.c, &p.g
	b := block{gr: gr, n: n, oh0: bi * g.blockRows}
	b.rows = min(g.blockRows, g.OH-b.oh0)
	b.short = b.rows < g.blockRows
	b.co0 = b.gr*g.Cog + cc*p.coChunk
	b.co1 = min(b.co0+p.coChunk, (b.gr+1)*g.Cog)
	if ngr > 1 {
		b.co1 = (b.gr + ngr) * g.Cog // one output channel per group, one chunk
	}
	b.outPlane = g.OH * g.OW
	b.outBase = b.n*c.Co*b.outPlane + b.oh0*g.OW
	if p.simd != nil && p.simd.needsParts(g.K) {
		b.parts = work[g.blockVinLen():]
	}
	in := src[(b.n*c.Ci+b.gr*g.Cig)*c.H*c.W:]
	switch {
	case p.readsInput:
		b.vin = in
	case g.direct:
		b.vin = in[b.oh0*g.rowStep:]
	default:
		b.vin, b.in = work[:g.blockVinLen()], in
		if key := (blockKey{n, gr, bi}); !s.ok || s.held != key {
			if e := p.edgeTiles(); e != nil {
				fillBlock(c, g, b.vin, in, b.oh0*g.rowsPerOut, e.fill[bi], archPadCopy[p.isa])
			} else {
				buildBlock(c, g, b.vin, in, b.oh0*g.rowsPerOut, archPadCopy[p.isa], archPadCopy2[p.isa])
			}
			s.held, s.ok = key, true
		}
	}
	switch p.algo {
	case algoGenericGEMM:
		p.runGenericGEMM(dst, work[g.blockVinLen():], &b)
	case algoGenericDepthwise:
		p.runGenericDepthwise(dst, &b)
	default:
		p.simd.run(p, dst, &b)
	}
}
