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
	data := make([]*layerData, len(cfg.Layers))
	for i, l := range cfg.Layers {
		data[i] = newLayerData(l)
	}
	ms, err := newMeasurements(cfg, data, rate)
	if err != nil {
		return nil, err
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
		for _, m := range ms {
			if err := m.batch(round, cfg.Time, batch); err != nil {
				return nil, err
			}
		}
		logf("round %d/%d of %d measurements done at %.1fs\n", round+1, maxBatches, len(ms), time.Since(start).Seconds())
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
		for _, m := range ms {
			if m.parent != nil && m.l.Name == l.Name {
				// The copies' aggregate speed: len(copies) calls per time.
				var c Result
				finish(&c, m.l, m.perCall, 0, 1, 0, 0)
				k := float64(len(m.copies))
				m.parent.res.CopiesGFLOPS, m.parent.res.CopiesGFLOPSMedian = k*c.GFLOPS, k*c.GFLOPSMedian
			}
		}
		for _, m := range ms {
			if m.l.Name != l.Name || m.parent != nil {
				continue
			}
			res := &m.res
			if m.e == nil {
				logf(" %s/%d skip", res.Path, res.Threads)
			}
			if m.e != nil {
				finish(res, m.l, m.perCall, m.mallocs, m.calls, r.Peaks[res.Path], r.PeaksMedian[res.Path])
				if cfg.Check {
					// One more call, into an output of NaNs: an output the
					// path never writes fails the check.
					runtime.GOMAXPROCS(res.Threads)
					for j := range m.d.dst {
						m.d.dst[j] = float32(math.NaN())
					}
					if err := m.e.fwd.Forward(m.d.dst, m.d.src); err != nil {
						return nil, fmt.Errorf("layer %s on path %s: %w", l.Name, res.Path, err)
					}
					ratio := maxErrRatio(m.d.dst, ref, bound)
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

// measurement is one figure of the suite: a layer on a path at a thread
// count, its engine, and its batches so far.
type measurement struct {
	res      Result
	l        Layer
	d        *layerData
	e        *engine // nil when skipped
	cold     bool    // a single call, without warm-up, in the first round
	rounds   int     // rounds it takes part in (set in the first)
	perBatch int     // calls per batch (set in the first round)
	perCall  []float64
	mallocs  uint64
	calls    int
	// A copies measurement runs len(copies) single-worker engines at once,
	// each on its own goroutine and data, and reports to parent.
	copies   []*engine
	copyData []*layerData
	parent   *measurement
}

// newMeasurements prepares every measurement of the suite, layer by layer
// (data[i] is layer i's), then path by path and thread count by thread
// count, each followed by its copies measurement with cfg.Copies. rate is
// the naive loops' calibrated speed.
func newMeasurements(cfg Config, data []*layerData, rate float64) ([]*measurement, error) {
	var ms []*measurement
	for i, l := range cfg.Layers {
		for _, p := range cfg.Paths {
			for _, t := range cfg.Threads {
				m := &measurement{res: Result{Layer: l.Name, Path: p, Threads: t}, l: l, d: data[i]}
				if p == simdconv.PathNaive {
					m.res.Skipped = naiveSkip(l, t, rate, cfg.NaiveMax)
					m.cold = float64(l.Shape.FLOPs())/rate > float64(cfg.Time.Nanoseconds())
				}
				if m.res.Skipped == "" {
					runtime.GOMAXPROCS(t)
					e, err := newEngine(p, l, data[i], t)
					if err != nil {
						return nil, err
					}
					m.e = e
					m.res.Workers, m.res.Kernel, m.res.Tile = e.workers, e.kernel, e.tile
				}
				ms = append(ms, m)
				if !cfg.Copies || t == 1 || m.e == nil || p == simdconv.PathNaive || p == PathPeer {
					continue
				}
				cp := &measurement{res: m.res, l: l, d: data[i], e: m.e, parent: m}
				for range t {
					d := newLayerData(l)
					e, err := newEngine(p, l, d, 1)
					if err != nil {
						return nil, err
					}
					cp.copies = append(cp.copies, e)
					cp.copyData = append(cp.copyData, d)
				}
				ms = append(ms, cp)
			}
		}
	}
	return ms, nil
}

// run makes n calls, or with copies n calls of each copy at once.
func (m *measurement) run(n int) error {
	if m.copies == nil {
		for range n {
			if err := m.e.fwd.Forward(m.d.dst, m.d.src); err != nil {
				return fmt.Errorf("layer %s on path %s: %w", m.l.Name, m.res.Path, err)
			}
		}
		return nil
	}
	errs := make([]error, len(m.copies))
	var wg sync.WaitGroup
	for i, e := range m.copies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				if err := e.fwd.Forward(m.copyData[i].dst, m.copyData[i].src); err != nil {
					errs[i] = fmt.Errorf("layer %s on path %s, independent copy %d: %w", m.l.Name, m.res.Path, i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// batch times m's batch of the given round, if it takes part in it: after
// a garbage collection (no collection started by an allocating path, the
// peer, may run during another's batch) and a warm-up call (the other
// layers ran since m's last batch; in the first round, that call sizes the
// batches: as many calls as fill batchTime, in as many rounds as budget
// holds). A cold measurement is a single call in the first round.
func (m *measurement) batch(round int, budget, batchTime time.Duration) error {
	if m.e == nil || (round > 0 && (m.cold || round >= m.rounds)) {
		return nil
	}
	runtime.GOMAXPROCS(m.res.Threads)
	runtime.GC()
	if !m.cold {
		t0 := time.Now()
		if err := m.run(1); err != nil {
			return err
		}
		if round == 0 {
			est := max(time.Since(t0), time.Nanosecond)
			m.perBatch = int(max(batchTime/est, 1))
			m.rounds = int(min(max(budget/est, 1), maxBatches))
		}
	}
	n := max(m.perBatch, 1)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	t0 := time.Now()
	if err := m.run(n); err != nil {
		return err
	}
	el := time.Since(t0)
	runtime.ReadMemStats(&after)
	m.perCall = append(m.perCall, float64(el.Nanoseconds())/float64(n))
	m.mallocs += after.Mallocs - before.Mallocs
	m.calls += n
	return nil
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
