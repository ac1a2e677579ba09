package simdconv

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/simdconv/simdconv/kernels"
)

// Plan is a convolution layer prepared once and run many times: it owns a
// copy of the weights repacked for its kernel, the bias and the options.
//
// Forward is safe for concurrent use by any number of goroutines, makes no
// heap allocations once a call of that concurrency has run, and gives
// bitwise identical results for every worker count: each output is reduced
// by one worker, in an order fixed when the plan is made.
type Plan struct {
	shape   Shape
	conv    kernels.Conv
	path    string
	prog    *kernels.Program // nil for the naive path
	workers int
	macs    int64
	inLen   int
	outLen  int

	// naive path only
	weights, bias []float32
	lo, hi        float32

	// Idle call contexts: one in spare, which a call takes and gives back
	// with one atomic operation each, the rest in calls (under mu), where
	// concurrent calls keep theirs.
	spare atomic.Pointer[call]
	mu    sync.Mutex
	calls []*call
}

// PlanInfo says how a plan computes its layer.
type PlanInfo struct {
	Path      string // kernel path, e.g. "avx512"
	Algorithm string // e.g. "gemm, pixels in lanes"
	Kernel    string // micro-kernel, e.g. "gemmAVX512_8x48"
	Tile      string // its register tile
	Workers   int    // most goroutines one Forward uses
	Tasks     int    // units of parallel work per Forward
}

// NewPlan validates the layer and prepares it. weights holds
// Co*(Ci/Groups)*Kh*Kw values in OIHW order; bias holds Co values or is nil
// (or empty). The plan copies both: later changes to the slices do not
// affect it. Errors wrap ErrShape, ErrOverflow, ErrLength, ErrOption or
// ErrPath.
func NewPlan(s Shape, weights, bias []float32, opts ...Option) (*Plan, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if len(cfg.errs) > 0 {
		return nil, errors.Join(cfg.errs...)
	}
	if len(weights) != s.WeightsLen() {
		return nil, fmt.Errorf("%w: weights has %d elements, want Co*(Ci/Groups)*Kh*Kw = %d*%d*%d*%d = %d",
			ErrLength, len(weights), s.Co, s.Ci/s.Groups, s.Kh, s.Kw, s.WeightsLen())
	}
	if len(bias) != 0 && len(bias) != s.Co {
		return nil, fmt.Errorf("%w: bias has %d elements, want Co = %d (or none)", ErrLength, len(bias), s.Co)
	}
	if len(bias) == 0 {
		bias = nil
	}
	choice, err := choosePath(cfg.path)
	if err != nil {
		return nil, err
	}
	p := &Plan{
		shape:   s,
		conv:    toConv(s),
		path:    choice.name,
		workers: cfg.workers,
		macs:    s.MACs(),
		inLen:   s.InputLen(),
		outLen:  s.OutputLen(),
		lo:      cfg.lo,
		hi:      cfg.hi,
	}
	if choice.naive {
		p.weights = append([]float32(nil), weights...)
		if bias != nil {
			p.bias = append([]float32(nil), bias...)
		}
		p.workers = 1
		return p, nil
	}
	// The tasks are sized for the workers a call will use: a layer too
	// small for all of them is not split for workers it never gets.
	p.prog = kernels.Compile(p.conv, choice.isa, weights, bias, cfg.lo, cfg.hi, p.workersFor(math.MaxInt))
	return p, nil
}

func toConv(s Shape) kernels.Conv {
	return kernels.Conv{
		N: s.N, Ci: s.Ci, H: s.H, W: s.W, Co: s.Co, Kh: s.Kh, Kw: s.Kw,
		SH: s.StrideH, SW: s.StrideW, PT: s.PadTop, PB: s.PadBottom, PL: s.PadLeft, PR: s.PadRight,
		DH: s.DilationH, DW: s.DilationW, G: s.Groups,
	}
}

// Shape returns the layer the plan computes.
func (p *Plan) Shape() Shape { return p.shape }

// Path returns the kernel path the plan runs on.
func (p *Plan) Path() string { return p.path }

// Info says which path, algorithm, kernel and tile the plan uses.
func (p *Plan) Info() PlanInfo {
	if p.prog == nil {
		return PlanInfo{Path: p.path, Algorithm: "naive loops", Kernel: "Naive", Tile: "one output", Workers: 1, Tasks: 1}
	}
	d := p.prog.Describe()
	return PlanInfo{Path: p.path, Algorithm: d.Algorithm, Kernel: d.Kernel, Tile: d.Tile,
		Workers: p.workersFor(d.Tasks), Tasks: d.Tasks}
}

// Forward computes dst = conv(src) (plus bias, clamped). src has
// Shape().InputLen() elements in NCHW order and dst Shape().OutputLen(); dst
// must not overlap src. On error dst is untouched.
func (p *Plan) Forward(dst, src []float32) error {
	if err := p.checkOperands(dst, src); err != nil {
		return err
	}
	if p.prog == nil {
		kernels.Naive(p.conv, dst, src, p.weights, p.bias, p.lo, p.hi)
		return nil
	}
	c := p.getCall()
	c.run(dst, src)
	p.putCall(c)
	return nil
}

// checkOperands checks the lengths of dst and src and that they do not
// overlap.
func (p *Plan) checkOperands(dst, src []float32) error {
	if len(src) != p.inLen {
		return fmt.Errorf("%w: src has %d elements, want N*Ci*H*W = %d*%d*%d*%d = %d",
			ErrLength, len(src), p.shape.N, p.shape.Ci, p.shape.H, p.shape.W, p.inLen)
	}
	if len(dst) != p.outLen {
		oh, ow := p.shape.OutputSize()
		return fmt.Errorf("%w: dst has %d elements, want N*Co*OH*OW = %d*%d*%d*%d = %d",
			ErrLength, len(dst), p.shape.N, p.shape.Co, oh, ow, p.outLen)
	}
	if overlaps(dst, src) {
		return fmt.Errorf("%w: dst and src share memory", ErrOverlap)
	}
	return nil
}

// overlaps reports whether two non-empty slices share memory.
func overlaps(a, b []float32) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	a0 := uintptr(unsafe.Pointer(unsafe.SliceData(a)))
	b0 := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return a0 < b0+uintptr(len(b))*4 && b0 < a0+uintptr(len(a))*4
}

// minMACsPerWorker keeps small layers on fewer goroutines: waking a helper
// costs microseconds, about what this much work takes at SIMD speed.
const minMACsPerWorker = 1 << 20

// workersFor is the number of goroutines a call with this many tasks uses.
func (p *Plan) workersFor(tasks int) int {
	w := min(p.workers, tasks)
	if byWork := p.macs/minMACsPerWorker + 1; int64(w) > byWork {
		w = int(byWork)
	}
	return max(w, 1)
}

func (p *Plan) getCall() *call {
	if c := p.spare.Swap(nil); c != nil {
		return c
	}
	p.mu.Lock()
	if n := len(p.calls); n > 0 {
		c := p.calls[n-1]
		p.calls = p.calls[:n-1]
		p.mu.Unlock()
		return c
	}
	p.mu.Unlock()
	return newCall(p)
}

func (p *Plan) putCall(c *call) {
	if p.spare.CompareAndSwap(nil, c) {
		return
	}
	p.mu.Lock()
	p.calls = append(p.calls, c)
	p.mu.Unlock()
}

// Conv2D computes one convolution without keeping a plan: it is NewPlan
// followed by Forward, so it repacks the weights on every call. Use a Plan
// to run a layer more than once.
func Conv2D(dst, src, weights, bias []float32, s Shape, opts ...Option) error {
	if err := s.Validate(); err != nil {
		return err
	}
	// Check the operands before preparing anything.
	probe := Plan{shape: s, inLen: s.InputLen(), outLen: s.OutputLen()}
	if err := probe.checkOperands(dst, src); err != nil {
		return err
	}
	p, err := NewPlan(s, weights, bias, opts...)
	if err != nil {
		return err
	}
	return p.Forward(dst, src)
}
