package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/simdconv/simdconv/internal/check"
)

// TestRunTiles runs whole convolutions with the run tiles (channel tiles of
// two runs of contiguous pixels, channelKernel.runs) forced: 1x1 layers
// read in place, padded layers through the virtual input, strided ones
// whose edge tiles read the caller's input, images whose rows end inside a
// tile, blocks of a few rows, batches, groups and sums in parts. Each
// output must be within the reference sum's error bound and the same, bit
// for bit, as the plan with the kernels of half the pixels (which compute
// every sum in the same order). The input and output sit against guard
// pages and the scratch starts as NaNs. The sweep must reach tiles of two
// runs, tiles that are not (computed by the half kernels) and tiles at
// most half full.
func TestRunTiles(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		var runChoices []choice
		for _, k := range archChannelKernels {
			if k.isa == isa && k.runs > 0 {
				runChoices = append(runChoices, choice{nr: k.nr, rows: k.v * k.lanes})
			}
		}
		if len(runChoices) == 0 {
			t.Skipf("%s has no run tiles", isa)
		}
		saved := partBytes
		defer func() { partBytes = saved }()
		rng := rand.New(rand.NewPCG(17, uint64(isa)))
		layers := []Conv{
			{N: 1, Ci: 40, H: 14, W: 14, Co: 40, Kh: 1, Kw: 1, SH: 1, SW: 1, DH: 1, DW: 1, G: 1},
			{N: 2, Ci: 24, H: 7, W: 7, Co: 50, Kh: 1, Kw: 1, SH: 1, SW: 1, DH: 1, DW: 1, G: 1},
			{N: 1, Ci: 8, H: 13, W: 13, Co: 33, Kh: 3, Kw: 3, SH: 1, SW: 1, PT: 1, PB: 1, PL: 1, PR: 1, DH: 1, DW: 1, G: 1},
			{N: 1, Ci: 6, H: 28, W: 28, Co: 20, Kh: 5, Kw: 5, SH: 1, SW: 1, PT: 2, PB: 2, PL: 2, PR: 2, DH: 1, DW: 1, G: 1},
			{N: 2, Ci: 8, H: 20, W: 21, Co: 32, Kh: 3, Kw: 3, SH: 2, SW: 2, PT: 1, PB: 1, PL: 1, PR: 1, DH: 1, DW: 1, G: 1},
			{N: 1, Ci: 12, H: 9, W: 23, Co: 36, Kh: 3, Kw: 2, SH: 1, SW: 1, PT: 0, PB: 2, PL: 1, PR: 0, DH: 2, DW: 1, G: 2},
		}
		var runs, halves, short, parted, blocks int
		for i := 0; i < 60; i++ {
			c := layers[i%len(layers)]
			ch := runChoices[rng.IntN(len(runChoices))]
			half := choice{nr: ch.nr / 2, rows: ch.rows}
			workers := 1 + rng.IntN(3)
			split := rng.IntN(2) == 0
			rows, chunk := 1+rng.IntN(4), 1+rng.IntN(3)
			partBytes = saved
			if rng.IntN(3) == 0 {
				partBytes = 4 * ch.rows * (1 + rng.IntN(20))
			}
			w := make([]float32, c.Co*(c.Ci/c.G)*c.Kh*c.Kw)
			randFill(rng, w)
			bias := make([]float32, c.Co)
			randFill(rng, bias)
			cl := randClamp(rng)
			compile := func(ch choice) *Program {
				forcedChoice = func() choice { return ch }
				if split {
					forcedSplit = func(oh, coTiles int) (int, int) { return min(rows, oh), min(chunk, coTiles) }
				}
				defer func() { forcedChoice, forcedSplit = nil, nil }()
				return Compile(c, isa, w, bias, cl[0], cl[1], workers)
			}
			p, ph := compile(ch), compile(half)
			if p.simd == nil || p.simd.ch == nil || p.simd.ch[0].runs == 0 {
				t.Fatalf("%+v: not compiled with the run tile %s", c, ch)
			}
			if p.readsInput == false && !p.g.direct && i%2 == 0 {
				// Tiles that read the caller's input wherever their
				// pixels allow, as TestEdgeTiles does.
				p.simd.edges = newEdgeTiles(c, &p.g, p.nBlocks, p.simd.nr)
				ph.simd.edges = newEdgeTiles(c, &ph.g, ph.nBlocks, ph.simd.nr)
			}
			r, h, s := p.countRunTiles()
			runs, halves, short = runs+r, halves+h, short+s
			if p.simd.sumsInParts(p.g.K) {
				parted++
			}
			if p.nBlocks > 1 {
				blocks++
			}
			t.Run(fmt.Sprintf("%d/%s/w%d", i, ch, workers), func(t *testing.T) {
				oh, ow := c.OutputSize()
				x := guarded(t, c.N*c.Ci*c.H*c.W, i%2 == 0)
				randFill(rng, x)
				y := guarded(t, c.N*c.Co*oh*ow, i%2 == 1)
				yh := make([]float32, len(y))
				for _, run := range []struct {
					p *Program
					y []float32
				}{{p, y}, {ph, yh}} {
					fillSentinel(run.y)
					work := []*Scratch{run.p.NewScratch(), run.p.NewScratch()}
					for _, s := range work {
						s.Forget()
					}
					for j, task := range rng.Perm(run.p.Tasks()) {
						run.p.Run(task, run.y, x, work[j%2])
					}
				}
				want := make([]check.Acc, len(y))
				ForEachTerm(c, x, w, bias, func(out int, t float64) { want[out].Add(t) })
				for j := range y {
					if err := want[j].Check(y[j], p.lo, p.hi); err != nil {
						t.Fatalf("%+v %s: output %d: %v", c, ch, j, err)
					}
					if math.Float32bits(y[j]) != math.Float32bits(yh[j]) {
						t.Fatalf("%+v: output %d is %v with %s, %v with %s", c, j, y[j], ch, yh[j], half)
					}
				}
			})
		}
		if runs == 0 || halves == 0 || short == 0 || parted == 0 || blocks == 0 {
			t.Fatalf("%d tiles of two runs, %d computed by the half kernels, %d at most half full, %d plans with sums in parts, %d with several blocks: the sweep misses what it tests",
				runs, halves, short, parted, blocks)
		}
	})
}
