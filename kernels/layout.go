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
// Xpad[ci][i*sH+ph][j*sW+pw] at row i, column j of an Hq x Wq plane. Output
// pixel (oh, ow) and tap (kh, kw) then read plane ((kh*dH)%sH, (kw*dW)%sW) at
// row oh+(kh*dH)/sH and column ow+(kw*dW)/sW, so pixel(oh, ow) = oh*Wq + ow:
// consecutive output columns are consecutive elements whatever the stride,
// which is what kernels with pixels in the vector lanes need. Without the
// split (one phase), pixel(oh, ow) = oh*StrideH*Wq + ow*StrideW, which
// kernels that address each pixel separately use as they are.
//
// With the split, the pixel index p = oh*Wq + ow runs over a "computed grid"
// Wq wide, of which the first OW columns of each row are real outputs; the
// other Wq-OW columns exist only so that pixel-lane kernels can sweep p
// contiguously and are never stored. The grid ends at the last real output,
// gridLen = (OH-1)*Wq + OW, so every address a kernel forms for p < gridLen
// lies inside the image's planes.
//
// Without padding and with one phase the input itself has this form (Hq = H,
// Wq = W), and the kernels read the caller's input directly (direct ==
// true), without any copy.
type geometry struct {
	OH, OW   int
	Cig, Cog int // channels per group
	K        int // Cig*Kh*Kw: the reduction length
	sH, sW   int // phase planes per axis (1 along an axis with one output, or without the split)
	Hq, Wq   int // phase-plane size
	chanLen  int // elements of one input channel in vin: sH*sW*Hq*Wq
	imgLen   int // elements of one image in vin: Ci*chanLen
	rowStep  int // pixel(oh, ow) = oh*rowStep + ow*colStep
	colStep  int
	gridLen  int // (OH-1)*Wq + OW, with the split
	direct   bool
	// off[k] is the element offset of im2col row k of group 0 in vin;
	// group g adds g*Cig*chanLen.
	off []int64
}

// newGeometry lays out the virtual input of c, split into stride phases or
// not.
func newGeometry(c Conv, split bool) geometry {
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
	hp, wp := c.H+c.PT+c.PB, c.W+c.PL+c.PR
	g.Hq, g.Wq = ceilDiv(hp, g.sH), ceilDiv(wp, g.sW)
	g.direct = c.PT == 0 && c.PB == 0 && c.PL == 0 && c.PR == 0 && g.sH == 1 && g.sW == 1
	g.chanLen = g.sH * g.sW * g.Hq * g.Wq
	g.imgLen = c.Ci * g.chanLen
	g.rowStep, g.colStep = c.SH/g.sH*g.Wq, c.SW/g.sW
	if g.OH == 1 {
		g.rowStep = 0
	}
	if g.OW == 1 {
		g.colStep = 0
	}
	g.gridLen = (g.OH-1)*g.Wq + g.OW
	plane := g.Hq * g.Wq
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

// pixel is the offset of output pixel (oh, ow) in a channel of vin.
func (g *geometry) pixel(oh, ow int) int { return oh*g.rowStep + ow*g.colStep }

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// padCopyFunc copies rows rows of w values, each into a row of rowLen values
// that is zero elsewhere, starting at column left (see asm/pad.go).
type padCopyFunc func(dst, src *float32, rows, w, rowLen, left, dstStride, srcStride int)

// buildVinRows is buildVin for layouts without column phases (sW == 1),
// with the row copies done by a SIMD kernel.
func buildVinRows(c Conv, g *geometry, dst, src []float32, copyRows padCopyFunc) {
	plane := g.Hq * g.Wq
	for ph := 0; ph < g.sH; ph++ {
		out := dst[ph*plane : (ph+1)*plane]
		// Plane rows i hold input row y = i*sH + ph - PT; rows [i0, i1) exist.
		i0 := 0
		if d := c.PT - ph; d > 0 {
			i0 = ceilDiv(d, g.sH)
		}
		i1 := 0
		if lim := c.H + c.PT - ph; lim > 0 {
			i1 = ceilDiv(lim, g.sH)
		}
		i0, i1 = min(i0, g.Hq), min(max(i1, i0), g.Hq)
		clear(out[:i0*g.Wq])
		clear(out[i1*g.Wq:])
		if i0 < i1 {
			y0 := i0*g.sH + ph - c.PT
			copyRows(&out[i0*g.Wq], &src[y0*c.W], i1-i0, c.W, g.Wq, c.PL, 4*g.Wq, 4*g.sH*c.W)
		}
	}
}

// buildVin writes image n, channel ci of the virtual input into dst (chanLen
// elements) from the caller's input channel src (H*W elements).
func buildVin(c Conv, g *geometry, dst, src []float32) {
	plane := g.Hq * g.Wq
	for ph := 0; ph < g.sH; ph++ {
		for pw := 0; pw < g.sW; pw++ {
			out := dst[(ph*g.sW+pw)*plane : (ph*g.sW+pw+1)*plane]
			for i := 0; i < g.Hq; i++ {
				row := out[i*g.Wq : (i+1)*g.Wq]
				y := i*g.sH + ph - c.PT
				if y < 0 || y >= c.H {
					clear(row)
					continue
				}
				in := src[y*c.W : (y+1)*c.W]
				// Columns j with x = j*sW + pw - PL inside [0, W).
				j0 := 0
				if x0 := pw - c.PL; x0 < 0 {
					j0 = ceilDiv(-x0, g.sW)
				}
				j1 := 0 // first j with x >= W
				if lim := c.W + c.PL - pw; lim > 0 {
					j1 = ceilDiv(lim, g.sW)
				}
				j0, j1 = min(j0, g.Wq), min(max(j1, j0), g.Wq)
				clear(row[:j0])
				clear(row[j1:])
				if j0 == j1 {
					continue
				}
				x := j0*g.sW + pw - c.PL
				if g.sW == 1 {
					copy(row[j0:j1], in[x:x+j1-j0])
					continue
				}
				seg := row[j0:j1]
				for j := range seg {
					seg[j] = in[x]
					x += g.sW
				}
			}
		}
	}
}
