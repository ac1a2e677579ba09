package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdconv/simdconv/internal/check"
)

// TestEdgeTiles runs whole convolutions with the channel algorithm, every
// tile width and channel-tile height of each ISA, and tiles that read the
// caller's input wherever their pixels allow (whether or not the plan would
// choose that), on random padded, strided and dilated layers: the input and
// output sit against guard pages, the scratch starts as NaNs and is shared
// by blocks run in a shuffled order, so a tile that reads outside the input
// or computes a stored output from a part of the virtual input that no fill
// wrote fails.
func TestEdgeTiles(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		choices := channelChoices(isa, false)
		rng := rand.New(rand.NewPCG(7, uint64(isa)))
		var direct, edge, mixed, crossing, chunked, cases int
		for i := 0; i < 120; i++ {
			c := randomEdgeConv(rng)
			ch := choices[rng.IntN(len(choices))]
			workers := 1 + rng.IntN(4)
			// Half the cases split the work at random (blocks of a few rows,
			// so that tiles cross block ends; channel chunks, so that a
			// worker reuses a block it filled for another chunk).
			if rng.IntN(2) == 0 {
				forcedSplit = func(oh, coTiles int) (int, int) { return 1 + rng.IntN(min(oh, 4)), 1 + rng.IntN(coTiles) }
			}
			p, w, bias := compileForced(c, isa, ch, workers, rng)
			forcedSplit = nil
			if p.simd == nil || p.simd.ch == nil || p.g.direct {
				continue
			}
			p.simd.edges = newEdgeTiles(c, &p.g, p.nBlocks, p.simd.nr)
			for bi, tiles := range p.simd.edges.direct {
				d, e := 0, 0
				P := min(p.g.blockRows, p.g.OH-bi*p.g.blockRows) * p.g.OW
				for j, x := range tiles {
					if x {
						d++
						if (j+1)*p.simd.nr > P {
							crossing++
						}
					} else {
						e++
					}
				}
				direct, edge = direct+d, edge+e
				if d > 0 && e > 0 {
					mixed++
				}
			}
			if p.nCoChunks > 1 {
				chunked++
			}
			// Half the cases fill the virtual input in Go (as builds
			// without a row-copy kernel do).
			goFill := i%4 < 2
			cases++
			t.Run(fmt.Sprintf("%d/%s/w%d/gofill=%v", i, ch, workers, goFill), func(t *testing.T) {
				if goFill {
					saved := archPadCopy[isa]
					archPadCopy[isa] = nil
					defer func() { archPadCopy[isa] = saved }()
				}
				runEdgeCase(t, rng, p, w, bias, i%2 == 0)
			})
		}
		// The sweep must reach what it tests.
		if cases < 60 || direct == 0 || edge == 0 || mixed == 0 || crossing == 0 || chunked == 0 {
			t.Fatalf("%d cases, %d direct and %d edge tiles, %d mixed blocks, %d direct tiles reading past their block, %d plans with channel chunks: the shapes miss what the test is for",
				cases, direct, edge, mixed, crossing, chunked)
		}
	})
}

// channelChoices lists the channel-lane tiles of isa (only those whose
// kernels compute sums in parts, if parts).
func channelChoices(isa ISA, parts bool) []choice {
	var choices []choice
	seen := map[choice]bool{}
	for _, k := range archChannelKernels {
		if ch := (choice{nr: k.nr, rows: k.v * k.lanes}); k.isa == isa && (k.parts || !parts) && !seen[ch] {
			seen[ch] = true
			choices = append(choices, ch)
		}
	}
	return choices
}

// randomEdgeConv is a small layer with padding (often asymmetric), strides,
// dilations, groups and a batch.
func randomEdgeConv(rng *rand.Rand) Conv {
	for {
		c := Conv{N: 1 + rng.IntN(2), G: 1 + rng.IntN(2),
			H: 1 + rng.IntN(20), W: 1 + rng.IntN(24),
			Kh: 1 + rng.IntN(5), Kw: 1 + rng.IntN(5),
			SH: 1 + rng.IntN(3), SW: 1 + rng.IntN(3),
			PT: rng.IntN(4), PB: rng.IntN(4), PL: rng.IntN(4), PR: rng.IntN(4),
			DH: 1 + rng.IntN(2), DW: 1 + rng.IntN(2)}
		c.Ci = c.G * (1 + rng.IntN(4))
		c.Co = c.G * (1 + rng.IntN(40))
		if rng.IntN(3) == 0 {
			c.SW = c.SH
			c.PB, c.PL, c.PR = c.PT, c.PT, c.PT
		}
		if oh, ow := c.OutputSize(); c.H+c.PT+c.PB >= c.DH*(c.Kh-1)+1 && c.W+c.PL+c.PR >= c.DW*(c.Kw-1)+1 && oh*ow > 0 {
			return c
		}
	}
}

// randomDenseConv is randomEdgeConv with several input channels per group
// (one is depthwise) or, when inPlace, a 1x1 stride-1 layer without
// padding, which the kernels read in place.
func randomDenseConv(rng *rand.Rand, inPlace bool) Conv {
	c := randomEdgeConv(rng)
	c.Ci = c.G * (2 + rng.IntN(23))
	if inPlace {
		c.Kh, c.Kw, c.SH, c.SW, c.DH, c.DW = 1, 1, 1, 1, 1, 1
		c.PT, c.PB, c.PL, c.PR = 0, 0, 0, 0
	}
	return c
}

// compileForced compiles c for isa with the tile ch, random weights, bias
// and clamp.
func compileForced(c Conv, isa ISA, ch choice, workers int, rng *rand.Rand) (p *Program, w, bias []float32) {
	w = make([]float32, c.Co*(c.Ci/c.G)*c.Kh*c.Kw)
	randFill(rng, w)
	bias = make([]float32, c.Co)
	randFill(rng, bias)
	cl := randClamp(rng)
	forcedChoice = func() choice { return ch }
	defer func() { forcedChoice = nil }()
	return Compile(c, isa, w, bias, cl[0], cl[1], workers), w, bias
}

// runEdgeCase runs p's tasks in a shuffled order on two scratch spaces and
// checks every output against the reference sum's error bound.
func runEdgeCase(t *testing.T, rng *rand.Rand, p *Program, w, bias []float32, atEnd bool) {
	c := p.c
	oh, ow := c.OutputSize()
	x := guarded(t, c.N*c.Ci*c.H*c.W, atEnd)
	randFill(rng, x)
	y := guarded(t, c.N*c.Co*oh*ow, !atEnd)
	fillSentinel(y)
	work := []*Scratch{p.NewScratch(), p.NewScratch()}
	for _, s := range work {
		s.Forget()
	}
	for i, task := range rng.Perm(p.Tasks()) {
		p.Run(task, y, x, work[i%2])
	}
	want := make([]check.Acc, len(y))
	ForEachTerm(c, x, w, bias, func(out int, t float64) { want[out].Add(t) })
	for i := range y {
		if err := want[i].Check(y[i], p.lo, p.hi); err != nil {
			t.Fatalf("%+v: output %d (image %d, channel %d, pixel %d): %v", c, i, i/(c.Co*oh*ow), i/(oh*ow)%c.Co, i%(oh*ow), err)
		}
	}
}

// TestEdgeTilesChosen pins where the plans read the input directly: the
// strided layers whose copies the direct tiles save (see minCopySaved),
// not the stride-1 ones. The small layer's plan, as compiled, is also
// checked against the reference.
func TestEdgeTilesChosen(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		rng := rand.New(rand.NewPCG(11, uint64(isa)))
		for _, l := range []struct {
			c    Conv
			want bool
		}{
			{Conv{N: 1, Ci: 128, H: 56, W: 56, Co: 128, Kh: 3, Kw: 3, SH: 2, SW: 2, PT: 1, PB: 1, PL: 1, PR: 1, DH: 1, DW: 1, G: 1}, true},
			{Conv{N: 1, Ci: 128, H: 28, W: 28, Co: 128, Kh: 3, Kw: 3, SH: 1, SW: 1, PT: 1, PB: 1, PL: 1, PR: 1, DH: 1, DW: 1, G: 1}, false},
			{Conv{N: 2, Ci: 8, H: 20, W: 20, Co: 32, Kh: 3, Kw: 3, SH: 2, SW: 2, PT: 1, PB: 1, PL: 1, PR: 1, DH: 1, DW: 1, G: 1}, true},
		} {
			c := l.c
			w := make([]float32, c.Co*c.Ci*9)
			randFill(rng, w)
			bias := make([]float32, c.Co)
			randFill(rng, bias)
			p := Compile(c, isa, w, bias, float32(math.Inf(-1)), float32(math.Inf(1)), 1)
			if p.simd.ch == nil {
				t.Skipf("%v: not the channel algorithm on %s", c, isa)
			}
			if got := p.simd.edges != nil; got != l.want {
				t.Errorf("%+v: direct tiles %v, want %v", c, got, l.want)
			}
			if c.Ci < 100 {
				runEdgeCase(t, rng, p, w, bias, true)
			}
		}
	})
}
