package main

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/simdconv/simdconv"
)

// PathPeer names the pure-Go peer in -paths, tables and JSON.
const PathPeer = "peer"

// peerKernel describes the peer in the kernel column of the tables.
const peerKernel = "im2col + gonum Sgemm"

// peer is the baseline every simdconv path is compared with: the classic
// im2col lowering followed by one float32 GEMM per image and group, using
// gonum's pure-Go BLAS (blas32.Gemm). It is what a Go program gets today
// without simdconv. gonum parallelises the GEMM over runtime.GOMAXPROCS
// goroutines, so the suite sets GOMAXPROCS to the thread count it measures.
type peer struct {
	s       simdconv.Shape
	weights []float32 // OIHW: per group a (Co/G) x K row-major matrix
	bias    []float32 // nil or Co values
	col     []float32 // K x OH*OW scratch; nil when im2col is the identity
	k, p    int       // GEMM depth (Ci/G)*Kh*Kw and width OH*OW
}

// newPeer prepares the peer for a layer. It copies nothing: weights and bias
// must not change while the peer is in use.
func newPeer(s simdconv.Shape, weights, bias []float32) (*peer, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if len(weights) != s.WeightsLen() {
		return nil, fmt.Errorf("peer: weights has %d elements, want %d", len(weights), s.WeightsLen())
	}
	if len(bias) != 0 && len(bias) != s.Co {
		return nil, fmt.Errorf("peer: bias has %d elements, want Co = %d (or none)", len(bias), s.Co)
	}
	oh, ow := s.OutputSize()
	pr := &peer{s: s, weights: weights, k: (s.Ci / s.Groups) * s.Kh * s.Kw, p: oh * ow}
	if len(bias) != 0 {
		pr.bias = bias
	}
	if !pr.identity() {
		pr.col = make([]float32, pr.k*pr.p)
	}
	return pr, nil
}

// identity reports whether im2col would copy the input unchanged (a 1x1
// kernel with stride 1 and no padding), in which case the GEMM reads the
// input in place, as frameworks do.
func (pr *peer) identity() bool {
	s := pr.s
	return s.Kh == 1 && s.Kw == 1 && s.StrideH == 1 && s.StrideW == 1 &&
		s.PadTop == 0 && s.PadBottom == 0 && s.PadLeft == 0 && s.PadRight == 0
}

// Forward computes dst = conv(src) + bias.
func (pr *peer) Forward(dst, src []float32) error {
	s := pr.s
	if len(src) != s.InputLen() || len(dst) != s.OutputLen() {
		return fmt.Errorf("peer: src has %d elements and dst %d, want %d and %d",
			len(src), len(dst), s.InputLen(), s.OutputLen())
	}
	cig, cog := s.Ci/s.Groups, s.Co/s.Groups
	for n := 0; n < s.N; n++ {
		for g := 0; g < s.Groups; g++ {
			in := src[(n*s.Ci+g*cig)*s.H*s.W : (n*s.Ci+(g+1)*cig)*s.H*s.W]
			col := in
			if pr.col != nil {
				pr.im2col(pr.col, in)
				col = pr.col
			}
			out := dst[(n*s.Co+g*cog)*pr.p : (n*s.Co+(g+1)*cog)*pr.p]
			beta := float32(0)
			if pr.bias != nil {
				for o := 0; o < cog; o++ {
					b := pr.bias[g*cog+o]
					row := out[o*pr.p : (o+1)*pr.p]
					for i := range row {
						row[i] = b
					}
				}
				beta = 1
			}
			a := blas32.General{Rows: cog, Cols: pr.k, Stride: pr.k, Data: pr.weights[g*cog*pr.k : (g+1)*cog*pr.k]}
			b := blas32.General{Rows: pr.k, Cols: pr.p, Stride: pr.p, Data: col}
			c := blas32.General{Rows: cog, Cols: pr.p, Stride: pr.p, Data: out}
			blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, beta, c)
		}
	}
	return nil
}

// im2col lays out the receptive fields of one image and group as the
// columns of a K x OH*OW matrix: row (c*Kh+i)*Kw+j holds input channel c
// shifted by kernel tap (i, j) for every output pixel, zero where the tap
// falls in the padding.
func (pr *peer) im2col(col, in []float32) {
	s := pr.s
	oh, ow := s.OutputSize()
	cig := s.Ci / s.Groups
	r := 0
	for c := 0; c < cig; c++ {
		plane := in[c*s.H*s.W : (c+1)*s.H*s.W]
		for i := 0; i < s.Kh; i++ {
			for j := 0; j < s.Kw; j++ {
				row := col[r*pr.p : (r+1)*pr.p]
				r++
				for oy := 0; oy < oh; oy++ {
					out := row[oy*ow : (oy+1)*ow]
					iy := oy*s.StrideH - s.PadTop + i*s.DilationH
					if iy < 0 || iy >= s.H {
						clear(out)
						continue
					}
					line := plane[iy*s.W : (iy+1)*s.W]
					ix := j*s.DilationW - s.PadLeft
					for ox := range out {
						if ix >= 0 && ix < s.W {
							out[ox] = line[ix]
						} else {
							out[ox] = 0
						}
						ix += s.StrideW
					}
				}
			}
		}
	}
}
