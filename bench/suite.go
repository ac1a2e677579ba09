package main

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/simdconv/simdconv"
)

// Config is what one run of the suite measures.
type Config struct {
	Layers   []Layer
	Shapes   string   // where Layers came from, for the report
	Paths    []string // simdconv paths, "naive" and "peer"
	Threads  []int
	Time     time.Duration // budget of each measurement
	PeakTime time.Duration // budget of each peak measurement
	NaiveMax time.Duration // longest naive call the suite runs
	Check    bool          // verify every result against simdconv.Reference
	Label    string
	Progress io.Writer // where progress goes; never nil
}

// runSuite measures every layer on every path at every thread count and
// returns the report. Thread count t means runtime.GOMAXPROCS(t) and, for
// simdconv plans, WithWorkers(t); GOMAXPROCS is restored afterwards.
func runSuite(cfg Config) (*Report, error) {
	r := &Report{
		Schema:    schemaVersion,
		Label:     cfg.Label,
		Date:      time.Now().UTC().Truncate(time.Second),
		GoVersion: runtime.Version(),
		CPU:       identifyCPU(),
		Settings: Settings{
			Shapes:    cfg.Shapes,
			Paths:     cfg.Paths,
			Threads:   cfg.Threads,
			Time:      cfg.Time.String(),
			NaiveMax:  cfg.NaiveMax.String(),
			Statistic: statistic,
			Checked:   cfg.Check,
		},
		Peaks:       map[string]float64{},
		PeaksMedian: map[string]float64{},
		Layers:      layerInfos(cfg.Layers),
	}
	logf := func(format string, args ...any) { fmt.Fprintf(cfg.Progress, format, args...) }
	logf("%s\n", r.CPU)
	// The peak loop runs in batches as long as a layer's (the -time budget
	// split in maxBatches), at least as many as a layer gets, and is
	// summarised like a layer: the fastest batch, and the median.
	peakBatch := max(cfg.Time/maxBatches, time.Millisecond)
	peakN := max(maxBatches, int(cfg.PeakTime/peakBatch))
	for _, p := range cfg.Paths {
		if p == PathPeer {
			continue
		}
		rates, err := simdconv.PeakRates(p, peakBatch, peakN)
		if err != nil {
			return nil, fmt.Errorf("peak of path %s: %w", p, err)
		}
		r.Peaks[p], r.PeaksMedian[p] = slices.Max(rates), median(rates)
		logf("peak %s: %.1f GFLOP/s per core (median %.1f; %d batches of %v)\n", p, r.Peaks[p], r.PeaksMedian[p], peakN, peakBatch)
	}
	var rate float64
	if slices.Contains(cfg.Paths, simdconv.PathNaive) {
		var err error
		if rate, err = naiveRate(); err != nil {
			return nil, fmt.Errorf("calibrating the naive loops: %w", err)
		}
		logf("naive loops: about %.2f GFLOP/s\n", rate)
	}

	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	for i, l := range cfg.Layers {
		d := newLayerData(l)
		var ref, bound []float64
		if cfg.Check {
			var err error
			if ref, bound, err = simdconv.Reference(l.Shape, d.src, d.weights, d.bias); err != nil {
				return nil, fmt.Errorf("reference of layer %s: %w", l.Name, err)
			}
		}
		// Each path's thread counts run back to back, so that the speed-up
		// over one thread compares measurements seconds apart at most, not
		// the whole of the other paths' runs: a shared machine's speed
		// drifts over seconds.
		logf("[%d/%d] %s:", i+1, len(cfg.Layers), l.Name)
		for _, p := range cfg.Paths {
			for _, t := range cfg.Threads {
				runtime.GOMAXPROCS(t)
				res := Result{Layer: l.Name, Path: p, Threads: t}
				if p == simdconv.PathNaive {
					res.Skipped = naiveSkip(l, t, rate, cfg.NaiveMax)
				}
				if res.Skipped == "" {
					if err := runOne(&res, l, d, cfg, r.Peaks[p], r.PeaksMedian[p], rate); err != nil {
						return nil, err
					}
					if cfg.Check {
						ratio := maxErrRatio(d.dst, ref, bound)
						if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
							ratio = nonFiniteRatio
						}
						res.MaxErrRatio = &ratio
					}
					logf(" %s/%d %.3g", p, t, res.GFLOPS)
				} else {
					logf(" %s/%d skip", p, t)
				}
				r.Results = append(r.Results, res)
			}
		}
		logf(" GFLOP/s (path/threads)\n")
	}
	return r, nil
}

// runOne measures layer l with data d on res.Path at res.Threads and fills
// in res. peak and peakMedian are the path's single-core peak (fastest and
// median batch), 0 for the peer; naive is the calibrated speed of the naive
// loops in GFLOP/s.
func runOne(res *Result, l Layer, d *layerData, cfg Config, peak, peakMedian, naive float64) error {
	e, err := newEngine(res.Path, l, d, res.Threads)
	if err != nil {
		return err
	}
	for i := range d.dst {
		d.dst[i] = float32(math.NaN()) // an output the path never writes fails -check
	}
	// The naive loops are slow: when one call would not fit in the budget,
	// that single call is the measurement, without a warm-up.
	cold := res.Path == simdconv.PathNaive && float64(l.Shape.FLOPs())/naive > float64(cfg.Time.Nanoseconds())
	m, err := measure(func() error { return e.fwd.Forward(d.dst, d.src) }, cfg.Time, cold)
	if err != nil {
		return fmt.Errorf("layer %s on path %s: %w", l.Name, res.Path, err)
	}
	res.Workers = e.workers
	res.Kernel = e.kernel
	res.Tile = e.tile
	res.NsPerOp = m.NsPerOp
	res.AllocsPerOp = m.AllocsPerOp
	res.Calls = m.Calls
	res.NsPerOpMedian = m.MedianNsPerOp
	res.GFLOPS = gflops(l.Shape.FLOPs(), m.NsPerOp)
	res.GFLOPSMedian = gflops(l.Shape.FLOPs(), m.MedianNsPerOp)
	cores := float64(min(res.Threads, runtime.NumCPU()))
	if peak > 0 {
		pct := 100 * res.GFLOPS / (peak * cores)
		res.PeakPct = &pct
	}
	if peakMedian > 0 {
		pct := 100 * res.GFLOPSMedian / (peakMedian * cores)
		res.PeakPctMedian = &pct
	}
	return nil
}

// maxErrRatio is the largest |y-ref|/bound over the outputs: at most 1 for
// a correct result. It is NaN if any output is NaN.
func maxErrRatio(y []float32, ref, bound []float64) float64 {
	worst := 0.0
	for i, v := range y {
		diff := math.Abs(float64(v) - ref[i])
		if math.IsNaN(diff) {
			return math.NaN()
		}
		var r float64
		switch {
		case diff == 0:
			r = 0
		case bound[i] == 0:
			r = math.Inf(1)
		default:
			r = diff / bound[i]
		}
		worst = max(worst, r)
	}
	return worst
}
