package kernels

import (
	"math"
	"slices"
	"testing"
)

// TestIdleWorkersChoice pins how the tile choice weighs the workers left
// idle on a small image (too few pixels to share out, so the workers share
// the tiles of output channels): an odd number of tiles for two workers
// steers the choice when it leaves one worker a tile behind the other, and
// is ignored when that is one tile in many (idleTolerance), where the
// tasks even it out and two workers keep the single-worker tile.
func TestIdleWorkersChoice(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		compile := func(c Conv, workers int) *Program {
			p := Compile(c, isa, make([]float32, c.Co*c.Ci*c.Kh*c.Kw), nil, float32(math.Inf(-1)), float32(math.Inf(1)), workers)
			if p.simd == nil || p.simd.ch == nil {
				t.Skipf("%+v: the %s plan does not take channel tiles", c, isa)
			}
			return p
		}
		layer := func(co int) Conv {
			return Conv{N: 1, Ci: 512, H: 7, W: 7, Co: co, Kh: 1, Kw: 1, SH: 1, SW: 1, DH: 1, DW: 1, G: 1}
		}
		lanes, nr := 0, 0
		for _, k := range archChannelKernels {
			if k.isa == isa {
				lanes, nr = k.lanes, max(nr, k.nr)
			}
		}
		if 7*7 > 4*nr*2 {
			t.Skipf("the %s channel tiles (up to %d pixels) share a 7x7 image out by rows among two workers: no idle tiles to weigh", isa, nr)
		}
		// Six vectors of channels: tiles of 1, 2 or 3 vectors make 6, 3 or
		// 2 tiles. Three tiles for two workers leave one idle a third of
		// the time.
		few := layer(6 * lanes)
		p := compile(few, 2)
		if n := ceilDiv(few.Co, p.simd.rows); n%2 != 0 {
			t.Errorf("%d channels, two workers on %s: %d tiles of %d", few.Co, isa, n, p.simd.rows)
		}
		// r50_5_1x1_expand: 2048 channels in 43 tiles of 48 (AVX-512) is
		// one tile in 43 for two workers.
		many := layer(2048)
		one, two := compile(many, 1), compile(many, 2)
		if one.simd.rows != two.simd.rows || one.simd.nr != two.simd.nr {
			t.Errorf("%d channels on %s: tiles of %dx%d with one worker, %dx%d with two",
				many.Co, isa, one.simd.rows, one.simd.nr, two.simd.rows, two.simd.nr)
		}
	})
}

// TestSplitBalance checks the split's balance factor: tasks of equal work
// (the slowest worker's share, then the wait at the end), and tasks whose
// last chunk is smaller, which count as the largest but leave the total
// less.
func TestSplitBalance(t *testing.T) {
	for _, c := range []struct {
		tasks, workers      int
		taskWork, totalWork float64
		want                float64
	}{
		{8, 2, 1, 8, 1 + 2.0/64},                 // even
		{7, 2, 1, 7, 8.0 / 7 * (1 + 2.0/56)},     // one worker does 4 of 7
		{8, 2, 6, 43, 48.0 / 43 * (1 + 2.0/64)},  // 43 tiles in chunks of 6: 24 against 19
		{4, 2, 11, 43, 44.0 / 43 * (1 + 2.0/32)}, // in chunks of 11: 22 against 21
		{16, 4, 3, 46, 48.0 / 46 * (1 + 4.0/128)},
		{1, 2, 1, 1, 2 * (1 + 2.0/8)}, // fewer tasks than workers
	} {
		if got := splitBalance(c.tasks, c.workers, c.taskWork, c.totalWork); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("splitBalance(%d tasks, %d workers, %v of %v) = %v, want %v", c.tasks, c.workers, c.taskWork, c.totalWork, got, c.want)
		}
	}
}

// TestSplitsEven checks, for the benchmark set's layers of 100 MFLOP or
// more and two to four workers, that no worker gets more than 15% above an
// even share of the work when the tasks go, in order, each to the least
// loaded worker (work counted as output rows times channels times groups).
func TestSplitsEven(t *testing.T) {
	simdISAs(t, func(t *testing.T, isa ISA) {
		for _, l := range readLayers(t, "../bench/layers.csv") {
			c := l.c
			oh, ow := c.OutputSize()
			if 2*float64(c.N*c.Co*(c.Ci/c.G)*c.Kh*c.Kw*oh*ow) < 100e6 {
				continue
			}
			w := make([]float32, c.Co*(c.Ci/c.G)*c.Kh*c.Kw)
			for workers := 2; workers <= 4; workers++ {
				p := Compile(c, isa, w, nil, float32(math.Inf(-1)), float32(math.Inf(1)), workers)
				loads := make([]float64, workers)
				var total float64
				for task := 0; task < p.Tasks(); task++ {
					cc, bi := task%p.nCoChunks, task/p.nCoChunks%p.nBlocks
					gc := task / (p.nCoChunks * p.nBlocks) % p.nGroupChunks
					work := float64(min(p.g.blockRows, p.g.OH-bi*p.g.blockRows) * min(p.coChunk, p.g.Cog-cc*p.coChunk) *
						min(p.groupChunk, c.G-gc*p.groupChunk))
					total += work
					loads[slices.Index(loads, slices.Min(loads))] += work
				}
				if r := slices.Max(loads) / (total / float64(workers)); r > 1.15 {
					t.Errorf("%s on %s, %d workers: %d tasks (%d blocks of %d rows, chunks of %d channels), the busiest worker %.3f times an even share",
						l.name, isa, workers, p.Tasks(), p.nBlocks, p.g.blockRows, p.coChunk, r)
				}
			}
		}
	})
}
