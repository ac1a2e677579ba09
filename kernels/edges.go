package kernels

// Channel-lane tiles that read the caller's input.
//
// The channel algorithm addresses every pixel of a tile on its own (a byte
// offset per pixel and one per im2col row), so a tile none of whose pixels
// has a tap in the padding can read the caller's input as it is: offsets
// ci*H*W + kh*DH*W + kw*DW for the im2col rows and (oh*SH-PT)*W + ow*SW-PL
// for the pixels. Only the other tiles (the edge tiles) read the block's
// zero-padded virtual input, and only the parts of it that they read are
// written: the columns of each plane row that their pixels' taps reach.
// Whole-image interior blocks copy nothing. A strided layer, whose padded
// copy reads its whole input for a quarter of the arithmetic per element of
// a stride-1 layer, gains most.
//
// A tile's kernel loads all NR pixels of its offset list, stored or not, so
// a tile reads the caller's input only if every listed pixel is interior.
// The rest of a block's scratch is left as it was; only the lanes of an
// edge tile that are never stored (the padding of its offset list past a
// short block's last pixel) may read it, and they feed only their own
// accumulators.

// fillRun is a run [c0, c1) of columns of plane row row of a block's
// virtual input, written before the block's edge tiles run.
type fillRun struct{ row, c0, c1 int }

// edgeTiles is, for the channel algorithm on a padded layer, the
// direct addressing of the interior tiles and, per block, which tiles are
// direct and what the others need of the virtual input.
type edgeTiles struct {
	offB   []int64     // byte offsets of the im2col rows in the caller's input (the group's channel 0)
	pixB   []int64     // byte offset of each output pixel of the image, tap (0, 0), in the caller's input; padded
	direct [][]bool    // per block, per tile of nr pixels: reads the caller's input
	fill   [][]fillRun // per block: the parts of its virtual input its edge tiles read
}

// interior reports whether every tap of output pixel (oh, ow) lies inside
// the input.
func interior(c Conv, oh, ow int) bool {
	y, x := oh*c.SH-c.PT, ow*c.SW-c.PL
	return y >= 0 && y+(c.Kh-1)*c.DH < c.H && x >= 0 && x+(c.Kw-1)*c.DW < c.W
}

// newEdgeTiles classifies the tiles of nr pixels of every block of g (with
// nBlocks blocks) and lists what the edge tiles read.
func newEdgeTiles(c Conv, g *geometry, nBlocks, nr int) *edgeTiles {
	e := &edgeTiles{}
	e.offB = make([]int64, 0, g.K)
	for ci := 0; ci < g.Cig; ci++ {
		for kh := 0; kh < c.Kh; kh++ {
			for kw := 0; kw < c.Kw; kw++ {
				e.offB = append(e.offB, 4*int64(ci*c.H*c.W+kh*c.DH*c.W+kw*c.DW))
			}
		}
	}
	n := g.OH * g.OW
	inner := make([]bool, n, n+nr)
	e.pixB = make([]int64, n, n+nr)
	for oh := 0; oh < g.OH; oh++ {
		for ow := 0; ow < g.OW; ow++ {
			i := oh*g.OW + ow
			inner[i] = interior(c, oh, ow)
			e.pixB[i] = 4 * int64((oh*c.SH-c.PT)*c.W+ow*c.SW-c.PL)
		}
	}
	for i := 0; i < nr; i++ { // the kernels' padding: the last pixel again
		inner = append(inner, inner[n-1])
		e.pixB = append(e.pixB, e.pixB[n-1])
	}
	e.direct = make([][]bool, nBlocks)
	e.fill = make([][]fillRun, nBlocks)
	need := make([]bool, g.planeRows*g.Wq)
	for bi := range nBlocks {
		oh0 := bi * g.blockRows
		rows := min(g.blockRows, g.OH-oh0)
		P := rows * g.OW
		clear(need)
		for px := 0; px < P; px += nr {
			direct := true
			for j := oh0*g.OW + px; j < oh0*g.OW+px+nr; j++ {
				direct = direct && inner[j]
			}
			e.direct[bi] = append(e.direct[bi], direct)
			if direct {
				continue
			}
			for q := px; q < min(px+nr, P); q++ { // the pixels it stores
				r, ow := q/g.OW, q%g.OW
				for kh := 0; kh < c.Kh; kh++ {
					row := need[(r*g.rowsPerOut+kh*c.DH)*g.Wq:]
					for kw := 0; kw < c.Kw; kw++ {
						row[ow*c.SW+kw*c.DW] = true
					}
				}
			}
		}
		for r := 0; r < g.planeRows; r++ {
			row := need[r*g.Wq : (r+1)*g.Wq]
			for c0 := 0; c0 < g.Wq; {
				if !row[c0] {
					c0++
					continue
				}
				c1 := c0
				for c1 < g.Wq && row[c1] {
					c1++
				}
				e.fill[bi] = append(e.fill[bi], fillRun{r, c0, c1})
				c0 = c1
			}
		}
	}
	return e
}

// minCopySaved is the least share of a layer's multiply-adds, in elements
// no longer copied into the virtual input, for which its tiles read the
// caller's input. A plan that mixes direct and edge tiles reads two copies
// of the same rows, and its tiles compute up to a few per cent slower than
// those of a plan that reads only the virtual input; only large savings
// pay for that. Measured on AMD Zen 5 with
//
//	SIMDCONV_TUNE=1 go test -run TestTuneEdgeTiles -v ./kernels
//
// (calls of both plans interleaved, best and median of 200): r50_3_s2,
// which saves one copied element per 344 multiply-adds, runs 3-5% faster
// with AVX-512 and 1-3% with AVX2; r50_conv1 (one per 918) and r50_2_3x3
// (one per 820) gain nothing, and the stride-1 layers that save less lose
// up to 3% (incep_5x5).
const minCopySaved = 1.0 / 500

// worthIt reports whether the direct tiles save p enough copying.
func (e *edgeTiles) worthIt(p *Program) bool {
	g := &p.g
	full := float64(p.nBlocks * g.blockVinLen())
	macs := float64(g.Cog) * float64(g.K) * float64(g.OH*g.OW)
	return full-float64(e.fillElems(g)) >= minCopySaved*macs
}

// fillElems is the number of virtual-input elements a call writes for its
// edge tiles, per image and group.
func (e *edgeTiles) fillElems(g *geometry) int {
	n := 0
	for _, runs := range e.fill {
		for _, f := range runs {
			n += f.c1 - f.c0
		}
	}
	return n * g.Cig
}

// fillBlock writes the runs of the virtual input of the block whose first
// plane row is input row i0-PT (unsplit geometry) into dst from src, the
// group's Cig input channels. copyRows, when not nil, copies a run for all
// channels at once (a channel per "row").
func fillBlock(c Conv, g *geometry, dst, src []float32, i0 int, runs []fillRun, copyRows padCopyFunc) {
	for _, f := range runs {
		y := i0 + f.row - c.PT
		j0, j1 := max(f.c0, c.PL), min(f.c1, c.PL+c.W) // the run's input columns, padded coordinates
		if y < 0 || y >= c.H || j0 >= j1 {
			for ci := 0; ci < g.Cig; ci++ {
				clear(dst[ci*g.chanLen+f.row*g.Wq+f.c0 : ci*g.chanLen+f.row*g.Wq+f.c1])
			}
			continue
		}
		if copyRows != nil {
			copyRows(&dst[f.row*g.Wq+f.c0], &src[y*c.W+j0-c.PL], g.Cig, j1-j0, f.c1-f.c0, j0-f.c0, 4*g.chanLen, 4*c.H*c.W)
			continue
		}
		for ci := 0; ci < g.Cig; ci++ {
			out := dst[ci*g.chanLen+f.row*g.Wq:]
			clear(out[f.c0:j0])
			copy(out[j0:j1], src[ci*c.H*c.W+y*c.W+j0-c.PL:])
			clear(out[j1:f.c1])
		}
	}
}
