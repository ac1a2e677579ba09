package kernels

// Conv is one convolution layer, already validated by the caller (package
// simdconv checks every field before building a Conv). Layouts are NCHW for
// the input and output and OIHW for the weights.
type Conv struct {
	N, Ci, H, W int
	Co, Kh, Kw  int
	SH, SW      int // strides
	PT, PB      int // padding top, bottom
	PL, PR      int // padding left, right
	DH, DW      int // dilations
	G           int // groups
}

// OutputSize returns OH and OW.
func (c Conv) OutputSize() (oh, ow int) {
	oh = (c.H+c.PT+c.PB-c.DH*(c.Kh-1)-1)/c.SH + 1
	ow = (c.W+c.PL+c.PR-c.DW*(c.Kw-1)-1)/c.SW + 1
	return oh, ow
}

// geometry describes how every path sees the input: as a "virtual input"
// in which each row k = (ci, kh, kw) of the implicit im2col matrix is a
// shifted view of one flat buffer,
//
//	im2col[k][(oh, ow)] = vin[off[k] + pixel(oh, ow)].
//
// The virtual input is the zero-padded input, optionally split into
// StrideH*StrideW phase planes: plane (ph, pw) of channel ci holds
// Xpad[ci][i*sH+ph][j*sW+pw] at row i, column j, in planes Wq wide. Output
// pixel (oh, ow) and tap (kh, kw) then read plane ((kh*dH)%sH, (kw*dW)%sW) at
// row oh+(kh*dH)/sH and column ow+(kw*dW)/sW, so pixel(oh, ow) = oh*Wq + ow:
// consecutive output columns are consecutive elements whatever the stride,
// which is what kernels with pixels in the vector lanes need. Without the
// split (one phase), pixel(oh, ow) = oh*StrideH*Wq + ow*StrideW, which
// kernels that address each pixel separately use as they are.
//
// The work is cut into blocks of blockRows output rows, and each task builds
// the virtual input of its block only — the group's input channels, the
// plane rows its output rows read — in its worker's own scratch buffer:
// small enough to stay in the core's cache, and never shared between cores
// (a shared copy would move every freshly written line from one core to
// another). Offsets and pixel numbers are relative to the block.
//
// With the split, the pixel index p = oh*Wq + ow runs over a "computed grid"
// Wq wide, of which the first OW columns of each row are real outputs; the
// other Wq-OW columns exist only so that pixel-lane kernels can sweep p
// contiguously and are never stored. A block's grid ends at its last real
// output, gridLen(rows) = (rows-1)*Wq + OW, so every address a kernel forms
// for p < gridLen lies inside the block's planes.
//
// Without padding and with one phase the input itself has this form (planes
// H x W), and the kernels read the caller's input directly (direct ==
// true), without any copy.
type geometry struct {
	OH, OW     int
	Cig, Cog   int // channels per group
	K          int // Cig*Kh*Kw: the reduction length
	sH, sW     int // phase planes per axis (1 along an axis with one output, or without the split)
	Wq         int // plane width
	rowsPerOut int // plane rows between consecutive output rows
	blockRows  int // output rows per block
	planeRows  int // plane rows of a block's virtual input (H when direct)
	chanLen    int // elements of one channel of a block's virtual input (H*W when direct)
	rowStep    int // pixel(r, ow) = r*rowStep + ow*colStep, r relative to the block
	colStep    int
	direct     bool
	// off[k] is the element offset of im2col row k from the block's first
	// channel.
	off []int64
}

// newGeometry lays out the virtual input of c, split into stride phases or
// not, for blocks of blockRows output rows.
func newGeometry(c Conv, split bool, blockRows int) geometry {
	var g geometry
	g.OH, g.OW = c.OutputSize()
	g.Cig, g.Cog = c.Ci/c.G, c.Co/c.G
	g.K = g.Cig * c.Kh * c.Kw
	g.sH, g.sW = 1, 1
	if split {
		if g.OH > 1 {
			g.sH = c.SH // a single output row: the stride never applies
		}
		if g.OW > 1 {
			g.sW = c.SW
		}
	}
	g.Wq = ceilDiv(c.W+c.PL+c.PR, g.sW)
	g.direct = c.PT == 0 && c.PB == 0 && c.PL == 0 && c.PR == 0 && g.sH == 1 && g.sW == 1
	g.rowsPerOut = c.SH / g.sH
	g.blockRows = min(max(blockRows, 1), g.OH)
	if g.direct {
		g.planeRows, g.chanLen = c.H, c.H*c.W
	} else {
		qhMax := (c.Kh - 1) * c.DH / g.sH
		g.planeRows = (g.blockRows-1)*g.rowsPerOut + qhMax + 1
		g.chanLen = g.sH * g.sW * g.planeRows * g.Wq
	}
	g.rowStep, g.colStep = g.rowsPerOut*g.Wq, c.SW/g.sW
	if g.OH == 1 {
		g.rowStep = 0
	}
	if g.OW == 1 {
		g.colStep = 0
	}
	plane := g.planeRows * g.Wq
	g.off = make([]int64, g.K)
	k := 0
	for ci := 0; ci < g.Cig; ci++ {
		for kh := 0; kh < c.Kh; kh++ {
			dy := kh * c.DH
			for kw := 0; kw < c.Kw; kw++ {
				dx := kw * c.DW
				phase := (dy%g.sH)*g.sW + dx%g.sW
				g.off[k] = int64(ci*g.chanLen + phase*plane + (dy/g.sH)*g.Wq + dx/g.sW)
				k++
			}
		}
	}
	return g
}

// pixel is the offset of output pixel (r, ow) of a block in a channel of
// its virtual input.
func (g *geometry) pixel(r, ow int) int { return r*g.rowStep + ow*g.colStep }

// gridLen is the length of the computed grid of a block of rows output rows
// (with the split).
func (g *geometry) gridLen(rows int) int { return (rows-1)*g.Wq + g.OW }

// blockVinLen is the scratch a task needs for its block's virtual input.
func (g *geometry) blockVinLen() int {
	if g.direct {
		return 0
	}
	return g.Cig * g.chanLen
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// padCopyFunc copies rows rows of w values, each into a row of rowLen values
// that is zero elsewhere, starting at column left (see asm/pad.go).
type padCopyFunc func(dst, src *float32, rows, w, rowLen, left, dstStride, srcStride int)

// buildBlock writes the virtual input of the block whose first plane row is
// i0 into dst (Cig*chanLen elements) from src, the group's Cig input
// channels (H*W each). copyRows and copyRows2, when not nil, copy runs of
// rows: without column phases, and the column phases of a stride-2 layer.
func buildBlock(c Conv, g *geometry, dst, src []float32, i0 int, copyRows, copyRows2 padCopyFunc) {
	plane := g.planeRows * g.Wq
	for ci := 0; ci < g.Cig; ci++ {
		in := src[ci*c.H*c.W : (ci+1)*c.H*c.W]
		for ph := 0; ph < g.sH; ph++ {
			// Block plane row r holds input row y = (i0+r)*sH + ph - PT;
			// rows [r0, r1) exist.
			r0, r1 := 0, 0
			if d := c.PT - ph - i0*g.sH; d > 0 {
				r0 = ceilDiv(d, g.sH)
			}
			if lim := c.H + c.PT - ph - i0*g.sH; lim > 0 {
				r1 = ceilDiv(lim, g.sH)
			}
			r0, r1 = min(r0, g.planeRows), min(max(r1, r0), g.planeRows)
			for pw := 0; pw < g.sW; pw++ {
				out := dst[ci*g.chanLen+(ph*g.sW+pw)*plane:][:plane]
				clear(out[:r0*g.Wq])
				clear(out[r1*g.Wq:])
				if r0 == r1 {
					continue
				}
				y0 := (i0+r0)*g.sH + ph - c.PT
				rowCopy := copyRows
				if g.sW == 2 {
					rowCopy = copyRows2
				} else if g.sW > 2 {
					rowCopy = nil
				}
				if rowCopy != nil {
					j0, j1 := g.columns(c, pw)
					if j0 == j1 {
						clear(out[r0*g.Wq : r1*g.Wq])
						continue
					}
					x := j0*g.sW + pw - c.PL
					rowCopy(&out[r0*g.Wq], &in[y0*c.W+x], r1-r0, j1-j0, g.Wq, j0, 4*g.Wq, 4*g.sH*c.W)
					continue
				}
				for r := r0; r < r1; r++ {
					y := (i0+r)*g.sH + ph - c.PT
					copyRow(c, g, out[r*g.Wq:(r+1)*g.Wq], in[y*c.W:(y+1)*c.W], pw)
				}
			}
		}
	}
}

// columns returns the plane columns [j0, j1) of column phase pw that hold
// input columns: column j holds input column j*sW + pw - PL.
func (g *geometry) columns(c Conv, pw int) (j0, j1 int) {
	if x0 := pw - c.PL; x0 < 0 {
		j0 = ceilDiv(-x0, g.sW)
	}
	if lim := c.W + c.PL - pw; lim > 0 {
		j1 = ceilDiv(lim, g.sW)
	}
	return min(j0, g.Wq), min(max(j1, j0), g.Wq)
}

// copyRow fills one plane row (column phase pw) from one input row:
// row[j] = in[j*sW + pw - PL], zero outside the input.
func copyRow(c Conv, g *geometry, row, in []float32, pw int) {
	j0, j1 := g.columns(c, pw)
	clear(row[:j0])
	clear(row[j1:])
	x := j0*g.sW + pw - c.PL
	if g.sW == 1 {
		copy(row[j0:j1], in[x:x+j1-j0])
		return
	}
	seg := row[j0:j1]
	for j := range seg {
		seg[j] = in[x]
		x += g.sW
	}
}
