package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
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
	Copies   bool          // also time T independent single-worker copies of each simdconv layer at T > 1 threads
	Label    string
	Progress io.Writer // where progress goes; never nil
}

// runSuite measures every layer on every path at every thread count and
// returns the report. Thread count t means runtime.GOMAXPROCS(t) and, for
// simdconv plans, WithWorkers(t); GOMAXPROCS is restored afterwards.
//
// The measurements run in rounds: each round times one batch of every
// layer on every path and thread count, and one batch or two of each
// path's peak loop, so that each figure's batches are spread over the
// whole run. A shared machine's speed drifts over seconds: batches taken
// back to back may all fall in one slow spell, batches spread over the run
// rarely do. Within a round, a layer's thread counts run back to back, so
// the speed-up over one thread compares neighbouring batches.
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
	batch := max(cfg.Time/maxBatches, time.Millisecond)
	// Every measurement: its engine, and after the first round how many
	// calls a batch makes and in how many rounds it takes part.
	type entry struct {
		res      Result
		l        Layer
		d        *layerData
		e        *engine
		cold     bool // a single call, without warm-up, in the first round
		rounds   int
		perBatch int
		perCall  []float64 // time per call of each batch
		mallocs  uint64
		calls    int
		// A copies entry runs len(copies) single-worker engines at once,
		// each on its own goroutine and data, and reports to parent.
		copies   []*engine
		copyData []*layerData
		parent   *entry
	}
	var entries []*entry
	data := make([]*layerData, len(cfg.Layers))
	for i, l := range cfg.Layers {
		data[i] = newLayerData(l)
		for _, p := range cfg.Paths {
			for _, t := range cfg.Threads {
				en := &entry{res: Result{Layer: l.Name, Path: p, Threads: t}, l: l, d: data[i]}
				if p == simdconv.PathNaive {
					en.res.Skipped = naiveSkip(l, t, rate, cfg.NaiveMax)
					en.cold = float64(l.Shape.FLOPs())/rate > float64(cfg.Time.Nanoseconds())
				}
				if en.res.Skipped == "" {
					runtime.GOMAXPROCS(t)
					e, err := newEngine(p, l, data[i], t)
					if err != nil {
						return nil, err
					}
					en.e = e
					en.res.Workers, en.res.Kernel, en.res.Tile = e.workers, e.kernel, e.tile
				}
				entries = append(entries, en)
				if cfg.Copies && t > 1 && en.e != nil && p != simdconv.PathNaive && p != PathPeer {
					cp := &entry{res: en.res, l: l, d: data[i], e: en.e, parent: en}
					for range t {
						d := newLayerData(l)
						e, err := newEngine(p, l, d, 1)
						if err != nil {
							return nil, err
						}
						cp.copies = append(cp.copies, e)
						cp.copyData = append(cp.copyData, d)
					}
					entries = append(entries, cp)
				}
			}
		}
	}
	// The peak loops: peakPer batches per round, at least as many in all
	// as a layer gets.
	peakPer := max(1, int(cfg.PeakTime/(maxBatches*batch)))
	peakRates := map[string][]float64{}

	start := time.Now()
	for round := 0; round < maxBatches; round++ {
		runtime.GOMAXPROCS(procs)
		for _, p := range cfg.Paths {
			if p == PathPeer {
				continue
			}
			rates, err := simdconv.PeakRates(p, batch, peakPer)
			if err != nil {
				return nil, fmt.Errorf("peak of path %s: %w", p, err)
			}
			peakRates[p] = append(peakRates[p], rates...)
		}
		for _, en := range entries {
			if en.e == nil || (round > 0 && (en.cold || round >= en.rounds)) {
				continue
			}
			runtime.GOMAXPROCS(en.res.Threads)
			calls := func(n int) error {
				if en.copies == nil {
					for range n {
						if err := en.e.fwd.Forward(en.d.dst, en.d.src); err != nil {
							return fmt.Errorf("layer %s on path %s: %w", en.l.Name, en.res.Path, err)
						}
					}
					return nil
				}
				errs := make([]error, len(en.copies))
				var wg sync.WaitGroup
				for i, e := range en.copies {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for range n {
							if err := e.fwd.Forward(en.copyData[i].dst, en.copyData[i].src); err != nil {
								errs[i] = fmt.Errorf("layer %s on path %s, independent copy %d: %w", en.l.Name, en.res.Path, i, err)
								return
							}
						}
					}()
				}
				wg.Wait()
				return errors.Join(errs...)
			}
			// No garbage collection may run during the batch: the peer
			// allocates, and a collection it started would take time from
			// the next measurements (its mark workers and assists run on the
			// measured threads).
			runtime.GC()
			if round == 0 && !en.cold {
				// The warm-up call sizes the batches: as many calls as fill
				// one, in as many rounds as the budget holds (all of them
				// unless a call is longer than a batch).
				t0 := time.Now()
				if err := calls(1); err != nil {
					return nil, err
				}
				est := max(time.Since(t0), time.Nanosecond)
				en.perBatch = int(max(batch/est, 1))
				en.rounds = int(min(max(cfg.Time/est, 1), maxBatches))
			} else if !en.cold {
				// Each batch starts from warm caches: the other layers ran
				// since this one's last batch.
				if err := calls(1); err != nil {
					return nil, err
				}
			}
			n := max(en.perBatch, 1)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			t0 := time.Now()
			if err := calls(n); err != nil {
				return nil, err
			}
			el := time.Since(t0)
			runtime.ReadMemStats(&after)
			en.perCall = append(en.perCall, float64(el.Nanoseconds())/float64(n))
			en.mallocs += after.Mallocs - before.Mallocs
			en.calls += n
		}
		logf("round %d/%d of %d measurements done at %.1fs\n", round+1, maxBatches, len(entries), time.Since(start).Seconds())
	}
	runtime.GOMAXPROCS(procs)
	for _, p := range slices.Sorted(maps.Keys(peakRates)) {
		rates := peakRates[p]
		r.Peaks[p], r.PeaksMedian[p] = slices.Max(rates), median(rates)
		logf("peak %s: %.1f GFLOP/s per core (median %.1f; %d batches of %v)\n", p, r.Peaks[p], r.PeaksMedian[p], len(rates), batch)
	}

	for i, l := range cfg.Layers {
		var ref, bound []float64
		if cfg.Check {
			var err error
			if ref, bound, err = simdconv.Reference(l.Shape, data[i].src, data[i].weights, data[i].bias); err != nil {
				return nil, fmt.Errorf("reference of layer %s: %w", l.Name, err)
			}
		}
		logf("[%d/%d] %s:", i+1, len(cfg.Layers), l.Name)
		for _, en := range entries {
			if en.parent != nil && en.l.Name == l.Name {
				// The copies' aggregate speed: len(copies) calls per time.
				var c Result
				finish(&c, en.l, en.perCall, 0, 1, 0, 0)
				k := float64(len(en.copies))
				en.parent.res.CopiesGFLOPS, en.parent.res.CopiesGFLOPSMedian = k*c.GFLOPS, k*c.GFLOPSMedian
			}
		}
		for _, en := range entries {
			if en.l.Name != l.Name || en.parent != nil {
				continue
			}
			res := &en.res
			if en.e == nil {
				logf(" %s/%d skip", res.Path, res.Threads)
			}
			if en.e != nil {
				finish(res, en.l, en.perCall, en.mallocs, en.calls, r.Peaks[res.Path], r.PeaksMedian[res.Path])
				if cfg.Check {
					// One more call, into an output of NaNs: an output the
					// path never writes fails the check.
					runtime.GOMAXPROCS(res.Threads)
					for j := range en.d.dst {
						en.d.dst[j] = float32(math.NaN())
					}
					if err := en.e.fwd.Forward(en.d.dst, en.d.src); err != nil {
						return nil, fmt.Errorf("layer %s on path %s: %w", l.Name, res.Path, err)
					}
					ratio := maxErrRatio(en.d.dst, ref, bound)
					if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
						ratio = nonFiniteRatio
					}
					res.MaxErrRatio = &ratio
				}
				logf(" %s/%d %.3g", res.Path, res.Threads, res.GFLOPS)
			}
			r.Results = append(r.Results, *res)
		}
		logf(" GFLOP/s (path/threads)\n")
	}
	return r, nil
}

// finish fills in res from its batches' times per call: the fastest batch
// and the median one, against the path's peak of the same statistic (peak
// and peakMedian, 0 for the peer).
func finish(res *Result, l Layer, perCall []float64, mallocs uint64, calls int, peak, peakMedian float64) {
	res.NsPerOp = slices.Min(perCall)
	res.NsPerOpMedian = median(perCall)
	res.AllocsPerOp = float64(mallocs) / float64(calls)
	res.Calls = calls
	res.GFLOPS = gflops(l.Shape.FLOPs(), res.NsPerOp)
	res.GFLOPSMedian = gflops(l.Shape.FLOPs(), res.NsPerOpMedian)
	cores := float64(min(res.Threads, runtime.NumCPU()))
	if peak > 0 {
		pct := 100 * res.GFLOPS / (peak * cores)
		res.PeakPct = &pct
	}
	if peakMedian > 0 {
		pct := 100 * res.GFLOPSMedian / (peakMedian * cores)
		res.PeakPctMedian = &pct
	}
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
