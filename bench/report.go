package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/simdconv/simdconv"
)

// baselines are the paths every result is compared with in the tables.
var baselines = []string{simdconv.PathGeneric, PathPeer}

// threadsOnlyOne is the reason naiveSkip gives at other thread counts; the
// tables leave those rows out instead of listing them.
const threadsOnlyOne = "naive runs with 1 thread only"

// printReport writes the human-readable report of r: the machine, the
// peaks, one table per thread count, the tiny layers in time per call, and
// the geometric means.
func printReport(w io.Writer, r *Report) {
	printHeader(w, r)
	for _, t := range r.Settings.Threads {
		fmt.Fprintf(w, "\n== threads=%d (GOMAXPROCS=%d, WithWorkers(%d)) ==\n\n", t, t, t)
		printLayerTable(w, r, t)
		printTinyTable(w, r, t)
		printSummary(w, r, t)
	}
	if r.Settings.Checked {
		fmt.Fprintln(w)
		printCheck(w, r)
	}
}

// printHeader describes the machine, the toolchain and the measurement.
func printHeader(w io.Writer, r *Report) {
	c := r.CPU
	fmt.Fprintf(w, "simdconv benchmark  %s  %s\n", r.Date.Format("2006-01-02 15:04 MST"), r.GoVersion)
	if r.Label != "" {
		fmt.Fprintf(w, "label:    %s\n", r.Label)
	}
	fmt.Fprintf(w, "CPU:      %s\n", c)
	if c.Emulated != "" {
		fmt.Fprintf(w, "EMULATED: %s. These timings mean nothing; run natively to measure.\n", c.Emulated)
	}
	fmt.Fprintf(w, "features: %s\n", strings.Join(c.Features, " "))
	fmt.Fprintf(w, "paths:    %s (default %s, purego=%v)\n", strings.Join(c.Paths, " "), c.Default, c.PureGo)
	for _, p := range sortedKeys(c.Unavailable) {
		fmt.Fprintf(w, "          %s unavailable: %s\n", p, c.Unavailable[p])
	}
	var peaks []string
	for _, p := range r.Settings.Paths {
		if v, ok := r.Peaks[p]; ok {
			peaks = append(peaks, fmt.Sprintf("%s %s (median %s)", p, fmtGFLOPS(v), fmtGFLOPS(r.PeaksMedian[p])))
		}
	}
	fmt.Fprintf(w, "peak:     %s GFLOP/s per core (FMA loop, fastest batch, batches as long as the layers'; scalar for generic and naive)\n", strings.Join(peaks, ", "))
	fmt.Fprintf(w, "method:   %s, -time=%s per measurement; %%peak = GFLOP/s / (peak × threads)\n",
		r.Settings.Statistic, r.Settings.Time)
	fmt.Fprintf(w, "layers:   %s (%d layers)\n", r.Settings.Shapes, len(r.Layers))
}

// printLayerTable prints the layers that are not tiny at thread count t.
func printLayerTable(w io.Writer, r *Report, t int) {
	header := []string{"layer", "path", "GFLOP/s", "%peak", "median", "×" + baselines[0], "×" + baselines[1], "time/op", "allocs/op"}
	speedup := t > 1 && slices.Contains(r.Settings.Threads, 1)
	copies := false
	for _, res := range r.Results {
		copies = copies || (res.Threads == t && res.CopiesGFLOPS > 0)
	}
	if speedup {
		header = append(header, "×1T")
		if copies {
			header = append(header, "copies×1T")
		}
	}
	if r.Settings.Checked {
		header = append(header, "err/bound")
	}
	header = append(header, "kernel")
	tab := newTable(header, "layer", "path", "kernel")
	var skipped []string
	for _, l := range r.Layers {
		if l.Tiny {
			continue
		}
		first := true
		for _, p := range r.Settings.Paths {
			res, ok := r.find(l.Name, p, t)
			if !ok || res.Skipped == threadsOnlyOne {
				continue
			}
			name := ""
			if first {
				name = l.Name
				first = false
			}
			if res.Skipped != "" {
				tab.add(name, p, "skip")
				skipped = append(skipped, fmt.Sprintf("%s on %s: %s", p, l.Name, res.Skipped))
				continue
			}
			row := []string{name, p, fmtGFLOPS(res.GFLOPS), fmtPct(res.PeakPct), fmtPct(res.PeakPctMedian),
				fmtRatio(r, res, baselines[0]), fmtRatio(r, res, baselines[1]),
				formatDuration(res.NsPerOp), fmtAllocs(res.AllocsPerOp)}
			if speedup {
				one, ok := r.find(l.Name, p, 1)
				x, xc := "-", "-"
				if ok && one.Skipped == "" && one.GFLOPS > 0 {
					x = fmtMean(res.GFLOPS / one.GFLOPS)
					xc = fmtMean(res.CopiesGFLOPS / one.GFLOPS)
				}
				row = append(row, x)
				if copies {
					row = append(row, xc)
				}
			}
			if r.Settings.Checked {
				row = append(row, fmtErr(res.MaxErrRatio))
			}
			tab.add(append(row, res.Kernel)...)
		}
	}
	tab.write(w, "")
	for _, s := range skipped {
		fmt.Fprintf(w, "  skip: %s\n", s)
	}
}

// printTinyTable prints the tiny layers at thread count t in time per call.
func printTinyTable(w io.Writer, r *Report, t int) {
	header := []string{"tiny layer", "path", "time/op", "×" + baselines[0], "×" + baselines[1], "allocs/op"}
	if r.Settings.Checked {
		header = append(header, "err/bound")
	}
	tab := newTable(header, "tiny layer", "path")
	for _, l := range r.Layers {
		if !l.Tiny {
			continue
		}
		first := true
		for _, p := range r.Settings.Paths {
			res, ok := r.find(l.Name, p, t)
			if !ok || res.Skipped != "" {
				continue
			}
			name := ""
			if first {
				name = fmt.Sprintf("%s (%d FLOP)", l.Name, l.FLOPs)
				first = false
			}
			row := []string{name, p, formatDuration(res.NsPerOp),
				fmtRatio(r, res, baselines[0]), fmtRatio(r, res, baselines[1]), fmtAllocs(res.AllocsPerOp)}
			if r.Settings.Checked {
				row = append(row, fmtErr(res.MaxErrRatio))
			}
			tab.add(row...)
		}
	}
	if len(tab.rows) > 0 {
		fmt.Fprintln(w)
		tab.write(w, "")
	}
}

// printSummary prints, per path, the geometric means over the dense layers
// (neither tiny nor depthwise), then the depthwise layers apart.
func printSummary(w io.Writer, r *Report, t int) {
	var dense, dw []string
	for _, l := range r.Layers {
		switch {
		case l.Tiny:
		case l.Depthwise:
			dw = append(dw, l.Name)
		default:
			dense = append(dense, l.Name)
		}
	}
	for _, group := range []struct {
		title  string
		layers []string
	}{
		{fmt.Sprintf("geometric mean over %d dense layers (tiny and depthwise layers left out)", len(dense)), dense},
		{fmt.Sprintf("depthwise: %s", strings.Join(dw, ", ")), dw},
	} {
		if len(group.layers) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s\n", group.title)
		tab := newTable([]string{"path", "layers", "GFLOP/s", "%peak", "×" + baselines[0], "×" + baselines[1], "median GFLOP/s", "median %peak"}, "path")
		for _, p := range r.Settings.Paths {
			s := summarize(r, p, t, group.layers)
			if s.n == 0 {
				continue
			}
			tab.add(p, fmt.Sprintf("%d/%d", s.n, len(group.layers)), fmtGFLOPS(s.gflops), fmtPct(s.pct),
				fmtMean(s.ratio[0]), fmtMean(s.ratio[1]), fmtGFLOPS(s.gflopsMedian), fmtPct(s.pctMedian))
		}
		tab.write(w, "  ")
	}
}

// summary is the geometric means of one path over a set of layers.
type summary struct {
	n      int      // layers measured
	gflops float64  // geometric mean GFLOP/s
	pct    *float64 // geometric mean % of peak; nil without a peak
	ratio  [2]float64
	// The same means of the median batches.
	gflopsMedian float64
	pctMedian    *float64
}

// summarize computes the geometric means of path p at thread count t over
// the named layers, skipping those it was not run on. The speed-ups are
// over the layers both p and the baseline ran; 0 if none.
func summarize(r *Report, p string, t int, layers []string) summary {
	var s summary
	var g, pct, gm, pctm geomean
	var ratio [2]geomean
	for _, name := range layers {
		res, ok := r.find(name, p, t)
		if !ok || res.Skipped != "" || res.GFLOPS <= 0 {
			continue
		}
		s.n++
		g.add(res.GFLOPS)
		if res.PeakPct != nil {
			pct.add(*res.PeakPct)
		}
		gm.add(res.GFLOPSMedian)
		if res.PeakPctMedian != nil {
			pctm.add(*res.PeakPctMedian)
		}
		for i, b := range baselines {
			if base, ok := r.find(name, b, t); ok && base.Skipped == "" && base.GFLOPS > 0 {
				ratio[i].add(res.GFLOPS / base.GFLOPS)
			}
		}
	}
	s.gflops = g.mean()
	if pct.n > 0 {
		v := pct.mean()
		s.pct = &v
	}
	s.gflopsMedian = gm.mean()
	if pctm.n > 0 {
		v := pctm.mean()
		s.pctMedian = &v
	}
	for i := range ratio {
		s.ratio[i] = ratio[i].mean()
	}
	return s
}

// geomean accumulates a geometric mean of positive values.
type geomean struct {
	sumLog float64
	n      int
}

func (g *geomean) add(x float64) {
	if x > 0 {
		g.sumLog += math.Log(x)
		g.n++
	}
}

// mean returns the geometric mean, 0 when nothing was added.
func (g *geomean) mean() float64 {
	if g.n == 0 {
		return 0
	}
	return math.Exp(g.sumLog / float64(g.n))
}

// printCheck summarises -check and lists every result over its bound.
func printCheck(w io.Writer, r *Report) {
	worst, n := -1.0, 0
	var where string
	var bad []string
	for _, res := range r.Results {
		if res.MaxErrRatio == nil {
			continue
		}
		n++
		v := *res.MaxErrRatio
		if v > worst {
			worst = v
			where = fmt.Sprintf("%s on %s, threads=%d", res.Layer, res.Path, res.Threads)
		}
		if v > 1 {
			bad = append(bad, fmt.Sprintf("  %s on %s, threads=%d: |y-ref|/bound = %s", res.Layer, res.Path, res.Threads, fmtErr(res.MaxErrRatio)))
		}
	}
	if n == 0 {
		fmt.Fprintln(w, "check: no result was verified")
		return
	}
	if len(bad) > 0 {
		fmt.Fprintf(w, "check FAILED: %d of %d results exceed the error bound:\n%s\n", len(bad), n, strings.Join(bad, "\n"))
		return
	}
	fmt.Fprintf(w, "check: all %d results within the error bound of simdconv.Reference; largest |y-ref|/bound %.3g (%s)\n", n, worst, where)
}

// checkFailed reports whether any verified result exceeds its bound.
func checkFailed(r *Report) bool {
	for _, res := range r.Results {
		if res.MaxErrRatio != nil && *res.MaxErrRatio > 1 {
			return true
		}
	}
	return false
}

// fmtRatio formats res's speed-up over path base on the same layer and
// thread count, "-" if base was not run.
func fmtRatio(r *Report, res Result, base string) string {
	b, ok := r.find(res.Layer, base, res.Threads)
	if !ok || b.Skipped != "" || b.NsPerOp <= 0 || res.NsPerOp <= 0 {
		return "-"
	}
	return fmtMean(b.NsPerOp / res.NsPerOp)
}

// fmtMean formats a speed-up, "-" for 0 (none).
func fmtMean(x float64) string {
	if x <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", x)
}

// fmtGFLOPS formats a rate with three or four significant digits.
func fmtGFLOPS(x float64) string {
	switch {
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

// fmtPct formats a percentage of peak, "-" when there is none.
func fmtPct(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", *p)
}

// fmtAllocs formats allocations per call: whole numbers as such.
func fmtAllocs(a float64) string {
	if a == math.Trunc(a) {
		return fmt.Sprintf("%.0f", a)
	}
	return fmt.Sprintf("%.2f", a)
}

// fmtErr formats an error ratio of -check.
func fmtErr(e *float64) string {
	switch {
	case e == nil:
		return "-"
	case *e == nonFiniteRatio:
		return "NaN/Inf"
	}
	return fmt.Sprintf("%.3g", *e)
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
