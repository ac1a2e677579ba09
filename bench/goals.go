package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/simdconv/simdconv"
)

// The speed goals of the amd64 kernels, each a fraction of the FMA peak the
// run measured on its path (or a time per call), single thread unless said:
// `bench goals` checks result files against them.
const (
	goalMeanAVX512  = 90.0 // AVX-512 geometric mean over the dense layers, % of peak
	goalOneByOne    = 92.0 // every dense 1x1 layer on AVX-512, % of peak
	goalLowest      = 75.0 // every dense layer on AVX-512, % of peak
	goalMeanAVX2    = 85.0 // AVX2 geometric mean over the dense layers, % of peak
	goalDepthwise   = 50.0 // every depthwise layer on AVX-512, % of peak
	goalTinyNs      = 300  // every tiny (textbook) layer on AVX-512, ns per call
	goalScaling     = 1.85 // two workers over one, AVX-512, on every dense layer of ...
	goalScalingSize = 100e6
)

// runGoals implements `bench goals [-md] A.json B.json ...`: one row per
// result file, each goal's figure (bold in Markdown where the run meets
// it), then how many runs meet each goal and the run whose AVX-512
// geometric mean GFLOP/s is the median one: the run to show as typical of
// a set made in a row on one machine.
func runGoals(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("goals", flag.ContinueOnError)
	fs.SetOutput(stderr)
	md := fs.Bool("md", false, "write the table in Markdown, the figures that meet their goal in bold")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: go run ./bench goals [-md] A.json B.json ...\n\n"+
			"Checks each result against the speed goals of the amd64 kernels (single thread, %% of the\n"+
			"path's peak measured in the same run): AVX-512 geometric mean over the dense layers >= %.0f%%,\n"+
			"each dense 1x1 layer >= %.0f%%, no dense layer below %.0f%%, AVX2 geometric mean >= %.0f%%,\n"+
			"each depthwise layer >= %.0f%%, tiny layers under %d ns per call, and two workers >= %.2fx one\n"+
			"on each dense layer of %.0f MFLOP or more.\n\nflags:\n",
			goalMeanAVX512, goalOneByOne, goalLowest, goalMeanAVX2, goalDepthwise, goalTinyNs, goalScaling, goalScalingSize/1e6)
		fs.PrintDefaults()
	}
	files, err := parseFiles(fs, args)
	if err != nil {
		return err
	}
	var runs []goalRun
	for _, f := range files {
		r, err := readReport(f)
		if err != nil {
			return err
		}
		runs = append(runs, checkGoals(strings.TrimSuffix(filepath.Base(f), ".json"), r))
	}
	writeGoals(stdout, runs, *md)
	return nil
}

// goalFigure is one run's figure for one goal: its text, whether it meets
// the goal, and whether the run had what the goal needs. A goal every layer
// of a class must meet also keeps each layer's value and whether it meets
// the goal (Markdown bolds those that do).
type goalFigure struct {
	text     string
	met      bool
	measured bool
	parts    []string
	partsMet []bool
}

// markdown is the figure's Markdown text: bold where it meets its goal; for
// a goal of every layer, each layer's value that meets it bold.
func (f goalFigure) markdown() string {
	if len(f.parts) == 0 {
		if f.met {
			return "**" + f.text + "**"
		}
		return f.text
	}
	parts := slices.Clone(f.parts)
	for i, ok := range f.partsMet {
		if ok {
			parts[i] = "**" + parts[i] + "**"
		}
	}
	return strings.Join(parts, ", ")
}

// goalRun is one run checked against every goal, in the columns' order.
type goalRun struct {
	name    string
	generic float64  // pure Go geometric mean GFLOP/s, which shows how busy the host was
	median  *float64 // AVX-512 geometric mean % of the median peak, median batches
	mean    float64  // AVX-512 geometric mean GFLOP/s (0 if not measured on every dense layer), to find the median run
	figures []goalFigure
}

// goalColumns are the goals in goalRun.figures' order: the column header
// and the goal as the summary states it.
var goalColumns = []struct{ header, goal string }{
	{"avx512 % peak", fmt.Sprintf("AVX-512 geometric mean >= %.0f%%", goalMeanAVX512)},
	{"lowest layer", fmt.Sprintf("no dense layer below %.0f%%", goalLowest)},
	{"1×1 layers", fmt.Sprintf("every 1x1 layer >= %.0f%%", goalOneByOne)},
	{"avx2 % peak", fmt.Sprintf("AVX2 geometric mean >= %.0f%%", goalMeanAVX2)},
	{"depthwise", fmt.Sprintf("every depthwise layer >= %.0f%%", goalDepthwise)},
	{"tiny ns", fmt.Sprintf("every tiny layer under %d ns", goalTinyNs)},
	{"2 workers", fmt.Sprintf("two workers >= %.2fx one on every dense layer of %.0f MFLOP or more", goalScaling, goalScalingSize/1e6)},
}

// checkGoals checks report r, named name, against every goal.
func checkGoals(name string, r *Report) goalRun {
	var dense, oneByOne, dw, tiny, large []LayerInfo
	for _, l := range r.Layers {
		switch {
		case l.Tiny:
			tiny = append(tiny, l)
		case l.Depthwise:
			dw = append(dw, l)
		default:
			dense = append(dense, l)
			if l.Shape.Kh == 1 && l.Shape.Kw == 1 {
				oneByOne = append(oneByOne, l)
			}
			if float64(l.FLOPs) >= goalScalingSize {
				large = append(large, l)
			}
		}
	}
	names := func(ls []LayerInfo) []string {
		var s []string
		for _, l := range ls {
			s = append(s, l.Name)
		}
		return s
	}
	// pct is layer l's % of peak on path p, single thread.
	pct := func(l LayerInfo, p string) (float64, bool) {
		res, ok := r.find(l.Name, p, 1)
		if !ok || res.Skipped != "" || res.PeakPct == nil {
			return 0, false
		}
		return *res.PeakPct, true
	}
	// each is the figure of a goal that every layer of ls must meet: the
	// layers' values in order.
	each := func(ls []LayerInfo, value func(LayerInfo) (float64, bool), digits int, unit string, meets func(float64) bool) goalFigure {
		f := goalFigure{met: len(ls) > 0, measured: len(ls) > 0}
		for _, l := range ls {
			v, ok := value(l)
			if !ok {
				return goalFigure{text: "-"}
			}
			f.parts = append(f.parts, fmtGoal(v, digits, meets)+unit)
			f.partsMet = append(f.partsMet, meets(v))
			f.met = f.met && meets(v)
		}
		f.text = strings.Join(f.parts, ", ")
		return f
	}

	g := goalRun{name: name}
	denseNames := names(dense)
	g.generic = summarize(r, simdconv.PathGeneric, 1, denseNames).gflops
	mean := func(p string, goal float64) goalFigure {
		s := summarize(r, p, 1, denseNames)
		if s.pct == nil || s.n < len(dense) || len(dense) == 0 {
			return goalFigure{text: "-"}
		}
		if p == simdconv.PathAVX512 {
			g.mean, g.median = s.gflops, s.pctMedian
		}
		meets := func(v float64) bool { return v >= goal }
		return goalFigure{text: fmt.Sprintf("%s%% (%s GFLOP/s)", fmtGoal(*s.pct, 1, meets), fmtGFLOPS(s.gflops)), met: meets(*s.pct), measured: true}
	}
	g.figures = append(g.figures, mean(simdconv.PathAVX512, goalMeanAVX512))

	lowest := goalFigure{text: "-"}
	low, lowName, all := 0.0, "", len(dense) > 0
	for _, l := range dense {
		v, ok := pct(l, simdconv.PathAVX512)
		if !ok {
			all = false
			break
		}
		if lowName == "" || v < low {
			low, lowName = v, l.Name
		}
	}
	if all {
		meets := func(v float64) bool { return v >= goalLowest }
		lowest = goalFigure{text: fmt.Sprintf("%s%% %s", fmtGoal(low, 1, meets), lowName), met: meets(low), measured: true}
	}
	g.figures = append(g.figures, lowest)

	avx512 := func(l LayerInfo) (float64, bool) { return pct(l, simdconv.PathAVX512) }
	g.figures = append(g.figures, each(oneByOne, avx512, 1, "", func(v float64) bool { return v >= goalOneByOne }))
	g.figures = append(g.figures, mean(simdconv.PathAVX2, goalMeanAVX2))
	g.figures = append(g.figures, each(dw, avx512, 1, "%", func(v float64) bool { return v >= goalDepthwise }))
	g.figures = append(g.figures, each(tiny, func(l LayerInfo) (float64, bool) {
		res, ok := r.find(l.Name, simdconv.PathAVX512, 1)
		return res.NsPerOp, ok && res.Skipped == "" && res.NsPerOp > 0
	}, 0, "", func(v float64) bool { return v < goalTinyNs }))

	scaling := goalFigure{text: "-"}
	n, minRatio, ok := 0, 0.0, len(large) > 0
	for i, l := range large {
		one, ok1 := r.find(l.Name, simdconv.PathAVX512, 1)
		two, ok2 := r.find(l.Name, simdconv.PathAVX512, 2)
		if !ok1 || !ok2 || one.Skipped != "" || two.Skipped != "" || one.GFLOPS <= 0 {
			ok = false
			break
		}
		ratio := two.GFLOPS / one.GFLOPS
		if ratio >= goalScaling {
			n++
		}
		if i == 0 || ratio < minRatio {
			minRatio = ratio
		}
	}
	if ok {
		meets := func(v float64) bool { return v >= goalScaling }
		scaling = goalFigure{text: fmt.Sprintf("%d/%d (min %s)", n, len(large), fmtGoal(minRatio, 2, meets)), met: n == len(large), measured: true}
	}
	g.figures = append(g.figures, scaling)
	return g
}

// writeGoals writes the runs' table, then per goal the runs that meet it
// (of those that measured it) and the median run by AVX-512 mean.
func writeGoals(w io.Writer, runs []goalRun, md bool) {
	header := []string{"run", "pure Go GFLOP/s"}
	for i, c := range goalColumns {
		header = append(header, c.header)
		if i == 0 {
			header = append(header, "median batch")
		}
	}
	tab := newTable(header, "run", "lowest layer", "1×1 layers", "depthwise", "tiny ns", "2 workers")
	for _, g := range runs {
		row := []string{g.name, fmtGFLOPS(g.generic)}
		if g.generic == 0 {
			row[1] = "-"
		}
		for i, f := range g.figures {
			if i == 1 {
				row = append(row, fmtPct(g.median))
			}
			text := f.text
			if md {
				text = f.markdown()
			} else if f.met {
				text += " ✓"
			}
			row = append(row, text)
		}
		tab.add(row...)
	}
	if md {
		tab.writeMarkdown(w)
	} else {
		tab.write(w, "")
	}
	fmt.Fprintln(w)
	for i, col := range goalColumns {
		met, measured := 0, 0
		for _, g := range runs {
			if g.figures[i].measured {
				measured++
			}
			if g.figures[i].met {
				met++
			}
		}
		fmt.Fprintf(w, "%s: met in %d of %d runs\n", col.goal, met, measured)
	}
	if m := medianRun(runs); m != "" {
		fmt.Fprintf(w, "median run by AVX-512 geometric mean GFLOP/s: %s\n", m)
	}
}

// medianRun names the run whose AVX-512 geometric mean GFLOP/s is the
// median of those that have one (the lower of the two middle ones for an even count).
func medianRun(runs []goalRun) string {
	var with []goalRun
	for _, g := range runs {
		if g.mean > 0 {
			with = append(with, g)
		}
	}
	if len(with) == 0 {
		return ""
	}
	slices.SortStableFunc(with, func(a, b goalRun) int { return cmp.Compare(a.mean, b.mean) })
	return with[(len(with)-1)/2].name
}

// fmtGoal formats a figure with the given decimals, or with more where the
// shorter form would read as meeting the goal when the figure misses it
// (91.97 is not shown as 92.0 against 92), or the other way round.
func fmtGoal(v float64, digits int, meets func(float64) bool) string {
	for d := digits; ; d++ {
		s := strconv.FormatFloat(v, 'f', d, 64)
		if r, err := strconv.ParseFloat(s, 64); d >= digits+6 || (err == nil && meets(r) == meets(v)) {
			return s
		}
	}
}
