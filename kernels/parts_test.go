package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestChannelParts runs whole convolutions with the channel algorithm with
// their sums cut into parts of a few k steps (partBytes lowered), padded
// and strided layers and 1x1 ones that read the input in place, the tasks
// in a shuffled order on two scratch spaces, the input and output against
// guard pages. Each output must be within the reference sum's error bound
// and the same, bit for bit, as the same plan's with each sum in one call:
// the parts do the same multiply-adds in the same order.
func TestChannelParts(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		choices := channelChoices(isa, true)
		if len(choices) == 0 {
			t.Skipf("the %s channel kernels compute each sum in one call", isa)
		}
		saved := partBytes
		defer func() { partBytes = saved }()
		rng := rand.New(rand.NewPCG(11, uint64(isa)))
		var cases, direct, chunked, many int
		for i := 0; i < 80; i++ {
			c := randomDenseConv(rng, i%3 == 0)
			ch := choices[rng.IntN(len(choices))]
			workers := 1 + rng.IntN(3)
			rows, chunk := 1+rng.IntN(4), 1+rng.IntN(4)
			if rng.IntN(2) == 0 {
				forcedSplit = func(oh, coTiles int) (int, int) { return min(rows, oh), min(chunk, coTiles) }
			}
			g := c.Ci / c.G
			w := make([]float32, c.Co*g*c.Kh*c.Kw)
			randFill(rng, w)
			bias := make([]float32, c.Co)
			randFill(rng, bias)
			cl := randClamp(rng)
			forcedChoice = func() choice { return ch }
			partBytes = math.MaxInt32
			whole := Compile(c, isa, w, bias, cl[0], cl[1], workers)
			partBytes = 4 * ch.rows * (1 + rng.IntN(6))
			parted := Compile(c, isa, w, bias, cl[0], cl[1], workers)
			forcedChoice, forcedSplit = nil, nil
			if parted.simd == nil || parted.simd.ch == nil || whole.simd.kPart != whole.g.K {
				t.Fatalf("%+v with %s: not compiled for the channel algorithm with whole sums", c, ch)
			}
			if parted.simd.kPart == parted.g.K {
				continue // a sum of a single part
			}
			cases++
			if parted.g.direct {
				direct++
			}
			if parted.nCoChunks > 1 || parted.nBlocks > 1 {
				chunked++
			}
			if ceilDiv(parted.g.K, parted.simd.kPart) > 2 {
				many++
			}
			t.Run(fmt.Sprintf("%d/%s/w%d/kpart=%d", i, ch, workers, parted.simd.kPart), func(t *testing.T) {
				atEnd := i%2 == 0
				oh, ow := c.OutputSize()
				x := guarded(t, c.N*c.Ci*c.H*c.W, atEnd)
				randFill(rng, x)
				want := make([]float32, c.N*c.Co*oh*ow)
				t.Logf("whole %+v direct=%v kpart=%d K=%d nBlocks=%d", c, whole.g.direct, parted.simd.kPart, parted.g.K, parted.nBlocks)
				runShuffled(rng, whole, want, x)
				t.Logf("whole ok")
				runEdgeCase(t, rng, parted, w, bias, atEnd)
				y := guarded(t, len(want), !atEnd)
				fillSentinel(y)
				runShuffled(rng, parted, y, x)
				for j := range y {
					if math.Float32bits(y[j]) != math.Float32bits(want[j]) {
						t.Fatalf("%+v: output %d is %v in parts of %d k steps, %v in one call", c, j, y[j], parted.simd.kPart, want[j])
					}
				}
			})
		}
		// The sweep must reach what it tests.
		if cases < 30 || direct == 0 || chunked == 0 || many == 0 {
			t.Fatalf("%d cases with parts, %d read in place, %d split in blocks or channel chunks, %d in more than two parts: the shapes miss what the test is for",
				cases, direct, chunked, many)
		}
	})
}

// runShuffled runs p's tasks in a shuffled order on two scratch spaces.
func runShuffled(rng *rand.Rand, p *Program, y, x []float32) {
	work := []*Scratch{p.NewScratch(), p.NewScratch()}
	for i, task := range rng.Perm(p.Tasks()) {
		p.Run(task, y, x, work[i%2])
	}
}

// TestChannelPartsChosen pins when plans cut sums: r50_5_3x3's panels
// (4608 terms) exceed partBytes and are read in parts, each within it, and
// the plan's description says so; r50_3_3x3's (1152 terms) are not.
func TestChannelPartsChosen(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		if !slices.ContainsFunc(archChannelKernels, func(k channelKernel) bool { return k.isa == isa && k.parts }) {
			t.Skipf("the %s channel kernels compute each sum in one call", isa)
		}
		for _, c := range []Conv{
			{N: 1, Ci: 512, H: 7, W: 7, Co: 512, Kh: 3, Kw: 3, SH: 1, SW: 1, PT: 1, PB: 1, PL: 1, PR: 1, DH: 1, DW: 1, G: 1},
			{N: 1, Ci: 128, H: 28, W: 28, Co: 128, Kh: 3, Kw: 3, SH: 1, SW: 1, PT: 1, PB: 1, PL: 1, PR: 1, DH: 1, DW: 1, G: 1},
		} {
			p := Compile(c, isa, make([]float32, c.Co*c.Ci*c.Kh*c.Kw), nil, float32(math.Inf(-1)), float32(math.Inf(1)), 1)
			s := p.simd
			if s == nil || s.ch == nil {
				t.Fatalf("%+v: not compiled for the channel algorithm on %s", c, isa)
			}
			long := 4*s.rows*p.g.K > partBytes && s.ch[0].parts
			tile := p.Describe().Tile
			parts := ceilDiv(p.g.K, s.kPart)
			if got := parts > 1; got != long || got != s.sumsInParts(p.g.K) || 4*s.rows*s.kPart > partBytes {
				t.Fatalf("%+v on %s: %d-row panels of %d terms in %d parts of %d", c, isa, s.rows, p.g.K, parts, s.kPart)
			}
			if want := fmt.Sprintf("sums in %d parts", parts); long != strings.Contains(tile, want) {
				t.Fatalf("%+v on %s: tile %q, %d parts", c, isa, tile, parts)
			}
		}
	})
}
