package kernels

// The pure-Go path, used on CPUs without the SIMD paths and under the purego
// build tag, and the kernels shared by every path. It has no build tag, so
// tests can always run it.
//
// The fast Go path is a blocked GEMM, Y[co][p] = sum_k A[co][k] * B[k][p],
// in which A holds the weights packed in pairs of rows and B is the implicit
// im2col matrix of the input, read through the virtual input (see
// geometry): B[k][p] = vin[off[k] + poff[p]]. For a 1x1 convolution with
// stride 1 and no padding, B is the NCHW input itself and the kernel reads
// its rows in place; otherwise each tile of genericNR output pixels packs a
// small K x genericNR panel of B, which is then used for every pair of
// output channels.

const (
	genericMR = 2 // output channels per micro-tile
	genericNR = 4 // output pixels per micro-tile
)

// gemmGo2x4 accumulates a 2x4 tile: c[i][j] = sum_k a[2k+i] * b[k*ldb+j] for
// k < kc. Go keeps the 8 accumulators, 2 weights and 4 inputs of this shape
// in registers; larger tiles spill (measured: 2x4 runs about twice as fast
// as 4x4 or 4x8 here).
func gemmGo2x4(kc int, a, b []float32, ldb int, c *[genericMR * genericNR]float32) {
	var c00, c01, c02, c03 float32
	var c10, c11, c12, c13 float32
	a = a[:kc*2]
	k := 0
	for ; k+1 < kc; k += 2 {
		b0 := (*[4]float32)(b[k*ldb:])
		b1 := (*[4]float32)(b[(k+1)*ldb:])
		aa := (*[4]float32)(a[k*2:])
		c00 += aa[0] * b0[0]
		c01 += aa[0] * b0[1]
		c02 += aa[0] * b0[2]
		c03 += aa[0] * b0[3]
		c10 += aa[1] * b0[0]
		c11 += aa[1] * b0[1]
		c12 += aa[1] * b0[2]
		c13 += aa[1] * b0[3]
		c00 += aa[2] * b1[0]
		c01 += aa[2] * b1[1]
		c02 += aa[2] * b1[2]
		c03 += aa[2] * b1[3]
		c10 += aa[3] * b1[0]
		c11 += aa[3] * b1[1]
		c12 += aa[3] * b1[2]
		c13 += aa[3] * b1[3]
	}
	if k < kc {
		b0 := (*[4]float32)(b[k*ldb:])
		aa := (*[2]float32)(a[k*2:])
		c00 += aa[0] * b0[0]
		c01 += aa[0] * b0[1]
		c02 += aa[0] * b0[2]
		c03 += aa[0] * b0[3]
		c10 += aa[1] * b0[0]
		c11 += aa[1] * b0[1]
		c12 += aa[1] * b0[2]
		c13 += aa[1] * b0[3]
	}
	*c = [8]float32{c00, c01, c02, c03, c10, c11, c12, c13}
}

// packGenericA packs one group's weights (Cog rows of K) into pairs of rows,
// k-major within a pair: dst[(t*K+k)*2+i] = w[(2t+i)*K+k], zero for rows past
// Cog.
func packGenericA(dst, w []float32, cog, k int) {
	for t := 0; t*genericMR < cog; t++ {
		for i := 0; i < genericMR; i++ {
			row := t*genericMR + i
			for kk := 0; kk < k; kk++ {
				v := float32(0)
				if row < cog {
					v = w[row*k+kk]
				}
				dst[(t*k+kk)*genericMR+i] = v
			}
		}
	}
}

// runGenericGEMM computes a block: panel is the worker's scratch for one
// packed panel of B.
func (p *Program) runGenericGEMM(dst, panel []float32, b *block) {
	g := &p.g
	K := g.K
	panel = panel[:K*genericNR]
	vin := b.vin
	P := b.rows * g.OW
	var c [genericMR * genericNR]float32
	for pt := 0; pt < P; pt += genericNR {
		np := min(genericNR, P-pt)
		var bm []float32
		ldb := genericNR
		if p.oneByOne && np == genericNR {
			// B[k][p] = vin[k*H*W + p]: read the input in place.
			bm, ldb = vin[pt:], g.chanLen
			_ = bm[(K-1)*ldb+genericNR-1]
		} else {
			for k, o := range g.off {
				row := (*[genericNR]float32)(panel[k*genericNR:])
				base := int(o)
				for j := 0; j < genericNR; j++ {
					if j < np {
						row[j] = vin[base+p.poff[pt+j]]
					} else {
						row[j] = 0
					}
				}
			}
			bm = panel
		}
		for co := b.co0; co < b.co1; co += genericMR {
			t := (co - b.gr*g.Cog) / genericMR
			gemmGo2x4(K, p.a[b.gr*p.aGroupLen+t*K*genericMR:], bm, ldb, &c)
			for i := 0; i < genericMR && co+i < b.co1; i++ {
				bias := p.bias[co+i]
				out := dst[b.out(co+i)+pt:]
				for j := 0; j < np; j++ {
					out[j] = clamp(c[i*genericNR+j]+bias, p.lo, p.hi)
				}
			}
		}
	}
}

// runGenericDepthwise computes a block of a convolution with one input
// channel per group, one output row at a time: each tap adds w * (a shifted
// row of the virtual input) to the row.
func (p *Program) runGenericDepthwise(dst []float32, b *block) {
	g := &p.g
	taps := len(g.off)
	for co := b.co0; co < b.co1; co++ {
		w := p.a[co*taps : (co+1)*taps]
		bias := p.bias[co]
		out := dst[b.out(co):]
		for r := 0; r < b.rows; r++ {
			row := out[r*g.OW : (r+1)*g.OW]
			clear(row)
			for t, o := range g.off {
				wt := w[t]
				in := b.vin[int(o)+r*g.rowStep:]
				if g.colStep == 1 {
					in = in[:len(row)]
					for j := range row {
						row[j] += wt * in[j]
					}
					continue
				}
				for j := range row {
					row[j] += wt * in[j*g.colStep]
				}
			}
			for j := range row {
				row[j] = clamp(row[j]+bias, p.lo, p.hi)
			}
		}
	}
}
