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
// each with its own scratch buffers.
type Program struct {
	c    Conv
	g    geometry
	isa  ISA
	algo algorithm

	a         []float32 // packed weights
	aGroupLen int       // elements of a per group
	bias      []float32 // Co values (zeros without a bias)
	lo, hi    float32   // output clamp
	oneByOne  bool      // 1x1 convolution read in place (direct, Kh=Kw=1)
	poff      []int     // per output pixel oh*OW+ow: its offset in vin (geometry.pixel), padded

	// Tasks: (image, group, pixel block, output-channel chunk).
	pixUnit, pixTotal, pixBlock, nPixBlocks int
	coChunk, nCoChunks                      int
	workLen                                 int // per-worker scratch elements

	simd *simdProgram // kernel-specific state of the SIMD algorithms
}

// Compile prepares c for isa. weights are OIHW (Co*(Ci/G)*Kh*Kw values);
// bias has Co values or is nil. Outputs are clamped to [lo, hi]. The caller
// has validated c and the lengths; isa must be one this build supports
// (see Supported).
func Compile(c Conv, isa ISA, weights, bias []float32, lo, hi float32) *Program {
	p := &Program{c: c, isa: isa, lo: lo, hi: hi}
	p.bias = make([]float32, c.Co)
	if bias != nil {
		copy(p.bias, bias)
	}
	if isa != Generic && compileSIMD(p, weights) {
		return p
	}
	p.isa = Generic
	p.g = newGeometry(c, false)
	p.oneByOne = p.g.direct && c.Kh == 1 && c.Kw == 1 && c.SH == 1 && c.SW == 1
	p.compileGeneric(weights)
	return p
}

func (p *Program) compileGeneric(weights []float32) {
	c, g := p.c, &p.g
	if g.Cig == 1 {
		p.algo = algoGenericDepthwise
		p.a = append([]float32(nil), weights...)
		p.setDepthwiseTasks()
		return
	}
	p.algo = algoGenericGEMM
	tiles := ceilDiv(g.Cog, genericMR)
	p.aGroupLen = tiles * genericMR * g.K
	p.a = make([]float32, c.G*p.aGroupLen)
	for gr := 0; gr < c.G; gr++ {
		packGenericA(p.a[gr*p.aGroupLen:], weights[gr*g.Cog*g.K:], g.Cog, g.K)
	}
	p.poff = outputPixelOffsets(g, genericNR)
	p.workLen = g.K * genericNR
	p.setTasks(genericNR, g.OH*g.OW, g.Cog, genericMR)
}

// outputPixelOffsets returns g.pixel(oh, ow) for every output pixel
// oh*OW+ow, then pad copies of the last entry so that a tile may read a whole
// tile's worth.
func outputPixelOffsets(g *geometry, pad int) []int {
	n := g.OH * g.OW
	t := make([]int, n, n+pad)
	for oh := 0; oh < g.OH; oh++ {
		for ow := 0; ow < g.OW; ow++ {
			t[oh*g.OW+ow] = g.pixel(oh, ow)
		}
	}
	for i := 0; i < pad; i++ {
		t = append(t, t[n-1])
	}
	return t
}

// targetTaskMACs is the work of one task that setTasks aims for: large enough
// that scheduling costs nothing measurable, small enough (tens of
// microseconds at SIMD speed) to balance workers and to keep each call into
// assembly short.
const (
	targetTaskMACs = 1 << 21
	maxTasks       = 1024
)

// setTasks splits each (image, group) into pixel blocks (multiples of
// pixUnit among pixTotal pixel positions) and output-channel chunks
// (multiples of coUnit among the group's coTotal channels). The split
// depends on the layer only, never on the number of workers, so every output
// is computed the same way however the tasks are shared out.
func (p *Program) setTasks(pixUnit, pixTotal, coTotal, coUnit int) {
	c, g := p.c, &p.g
	p.pixUnit, p.pixTotal = pixUnit, pixTotal
	pixTiles := ceilDiv(pixTotal, pixUnit)
	coTiles := ceilDiv(coTotal, coUnit)
	macs := float64(c.N) * float64(c.Co) * float64(g.K) * float64(g.OH*g.OW)
	want := int(math.Min(math.Ceil(macs/targetTaskMACs), maxTasks))
	base := c.N * c.G
	pixSplit, coSplit := 1, 1
	if base < want {
		pixSplit = min(pixTiles, ceilDiv(want, base))
		coSplit = min(coTiles, ceilDiv(want, base*pixSplit))
	}
	p.pixBlock = ceilDiv(pixTiles, pixSplit) * pixUnit
	p.nPixBlocks = ceilDiv(pixTotal, p.pixBlock)
	p.coChunk = ceilDiv(coTiles, coSplit) * coUnit
	p.nCoChunks = ceilDiv(coTotal, p.coChunk)
}

// setDepthwiseTasks splits each image into chunks of output channels, for
// the algorithms that run one whole output plane at a time.
func (p *Program) setDepthwiseTasks() {
	c, g := p.c, &p.g
	macs := float64(c.N) * float64(c.Co) * float64(g.K) * float64(g.OH*g.OW)
	want := int(math.Min(math.Ceil(macs/targetTaskMACs), maxTasks))
	split := min(c.Co, ceilDiv(want, c.N))
	p.coChunk = ceilDiv(c.Co, split)
	p.nCoChunks = ceilDiv(c.Co, p.coChunk)
}

// Describe says how p computes its layer.
func (p *Program) Describe() Description {
	d := Description{ISA: p.isa, Algorithm: algoNames[p.algo], Tasks: p.Tasks()}
	switch p.algo {
	case algoGenericGEMM:
		d.Kernel, d.Tile = "gemmGo2x4", fmt.Sprintf("%d output channels x %d pixels", genericMR, genericNR)
	case algoGenericDepthwise:
		d.Kernel, d.Tile = "depthwiseGo", "one output row"
	default:
		d.Kernel, d.Tile = p.simd.describe()
	}
	return d
}

// VinLen is the length of the virtual-input buffer a call needs, shared by
// all its workers (0 when the kernels read the input in place).
func (p *Program) VinLen() int {
	if p.g.direct {
		return 0
	}
	return p.c.N*p.g.imgLen + p.vinSlack()
}

// vinSlack is extra zeroed room past the last image; the kernels never read
// it, but it keeps the buffer length independent of tile shapes.
func (p *Program) vinSlack() int { return 0 }

// WorkLen is the length of the scratch buffer each worker needs.
func (p *Program) WorkLen() int { return p.workLen }

// PrepTasks is the number of tasks of the first phase of a call, which
// builds the virtual input (zero when the input is read in place).
func (p *Program) PrepTasks() int {
	if p.g.direct {
		return 0
	}
	return p.c.N * p.c.Ci
}

// Prep runs first-phase task t: one channel of one image of the virtual
// input.
func (p *Program) Prep(t int, vin, src []float32) {
	c, g := p.c, &p.g
	plane := c.H * c.W
	dst, in := vin[t*g.chanLen:(t+1)*g.chanLen], src[t*plane:(t+1)*plane]
	if f := archPadCopy[p.isa]; f != nil && g.sW == 1 {
		buildVinRows(c, g, dst, in, f)
		return
	}
	buildVin(c, g, dst, in)
}

// Tasks is the number of tasks of the second phase, which computes the
// outputs; tasks write disjoint parts of dst.
func (p *Program) Tasks() int {
	if p.algo == algoGenericDepthwise || p.algo == algoDepthwise {
		return p.c.N * p.nCoChunks
	}
	return p.c.N * p.c.G * p.nPixBlocks * p.nCoChunks
}

// Run runs second-phase task t. vin is the virtual input (the caller's
// input when VinLen is 0) and work a WorkLen scratch buffer of this worker.
func (p *Program) Run(t int, dst, vin, work []float32) {
	if p.algo == algoGenericDepthwise || p.algo == algoDepthwise {
		n, ch := t/p.nCoChunks, t%p.nCoChunks
		co0 := ch * p.coChunk
		co1 := min(co0+p.coChunk, p.c.Co)
		if p.algo == algoDepthwise {
			p.simd.run(p, dst, vin, n, 0, co0, co1, 0, 0)
		} else {
			p.runGenericDepthwise(dst, vin, n, co0, co1)
		}
		return
	}
	cc := t % p.nCoChunks
	t /= p.nCoChunks
	pb := t % p.nPixBlocks
	t /= p.nPixBlocks
	gr, n := t%p.c.G, t/p.c.G
	co0 := gr*p.g.Cog + cc*p.coChunk
	co1 := min(co0+p.coChunk, (gr+1)*p.g.Cog)
	p0 := pb * p.pixBlock
	p1 := min(p0+p.pixBlock, p.pixTotal)
	if p.algo == algoGenericGEMM {
		p.runGenericGEMM(dst, vin, work, n, gr, co0, co1, p0, p1)
		return
	}
	p.simd.run(p, dst, vin, n, gr, co0, co1, p0, p1)
}
