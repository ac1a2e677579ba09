package simdconv

import (
	"fmt"
	"math"
	"runtime"
)

// Option configures a Plan (or a one-shot Conv2D call).
type Option func(*config)

type config struct {
	lo, hi  float32
	clamp   string // the option that set lo, hi, for errors
	workers int
	path    string
	errs    []error
}

func defaultConfig() config {
	return config{lo: float32(math.Inf(-1)), hi: float32(math.Inf(1)), workers: runtime.GOMAXPROCS(0)}
}

// WithClamp fuses y = min(max(y, lo), hi) into the output, after the bias.
// NaN outputs stay NaN. lo and hi must not be NaN and lo <= hi; infinities
// leave a side open.
func WithClamp(lo, hi float32) Option {
	return func(c *config) {
		if lo != lo || hi != hi || lo > hi {
			c.errs = append(c.errs, fmt.Errorf("%w: WithClamp(lo=%v, hi=%v): want lo <= hi, neither NaN", ErrOption, lo, hi))
			return
		}
		c.lo, c.hi, c.clamp = lo, hi, "WithClamp"
	}
}

// WithReLU fuses max(y, 0) into the output.
func WithReLU() Option { return WithClamp(0, float32(math.Inf(1))) }

// WithReLU6 fuses min(max(y, 0), 6) into the output.
func WithReLU6() Option { return WithClamp(0, 6) }

// WithWorkers sets how many goroutines a Forward call may use (default:
// runtime.GOMAXPROCS at plan creation; 0 also means that). Results are
// bitwise the same for every worker count. Small layers use fewer workers
// than allowed.
func WithWorkers(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.errs = append(c.errs, fmt.Errorf("%w: WithWorkers(%d): must not be negative", ErrOption, n))
			return
		}
		if n == 0 {
			n = runtime.GOMAXPROCS(0)
		}
		c.workers = n
	}
}

// WithKernel forces a kernel path (PathAVX512, PathAVX2, PathNEON,
// PathGeneric or PathNaive). NewPlan fails with ErrPath if this CPU or build
// cannot run it; it never substitutes another path. The empty string means
// automatic choice.
func WithKernel(path string) Option {
	return func(c *config) { c.path = path }
}
