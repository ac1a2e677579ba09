package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// bestPath is the pseudo-path that compare uses for each run's best
// simdconv path (its default), so that machines with different SIMD
// extensions line up in one row.
const bestPath = "best"

// runCompare implements `bench compare [-o chart.svg] A.json B.json ...`.
// Flags may come before, between or after the files.
func runCompare(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "compare.svg", "chart `file` to write: .svg, .png or .pdf; empty for none")
	pathList := fs.String("paths", "", "comma `list` of paths in the table (best, a simdconv path, naive, peer); default all")
	chartList := fs.String("chart-paths", bestPath, "comma `list` of paths drawn in the chart")
	threadList := fs.String("threads", "", "comma `list` of thread counts to show: 1, all or a number; default all of them")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: go run ./bench compare [flags] A.json B.json ...\n\nThe first file is the base of the ratios.\n\nflags:\n")
		fs.PrintDefaults()
	}
	files, err := parseFiles(fs, args)
	if err != nil {
		return err
	}
	var reps []*Report
	for _, f := range files {
		r, err := readReport(f)
		if err != nil {
			return err
		}
		reps = append(reps, r)
	}
	c := mergeReports(reps, runNames(reps, files))
	c.filter(splitList(*pathList), splitList(*threadList))
	c.write(stdout)
	if *out != "" {
		chartPaths := splitList(*chartList)
		if err := writeChart(*out, c, chartPaths); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s\n", *out)
	}
	return nil
}

// splitList splits a comma list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// runNames names each run: its label, else its file name without .json;
// duplicates get a #n suffix.
// parseFiles parses fs's flags from args, which may come before, between
// or after the result files, and returns the files: at least one, else
// the usage and an error.
func parseFiles(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) == 0 {
		fs.Usage()
		return nil, fmt.Errorf("%s: no result files", fs.Name())
	}
	return files, nil
}

func runNames(reps []*Report, files []string) []string {
	names := make([]string, len(reps))
	seen := map[string]int{}
	for i, r := range reps {
		n := r.Label
		if n == "" {
			n = strings.TrimSuffix(filepath.Base(files[i]), ".json")
		}
		seen[n]++
		if seen[n] > 1 {
			n += "#" + strconv.Itoa(seen[n])
		}
		names[i] = n
	}
	return names
}

// comparison is several reports merged: one row per layer, path and thread
// class, one cell per run.
type comparison struct {
	names   []string
	reports []*Report
	layers  []compareLayer
	paths   []string // best first, then in order of appearance
	classes []string // thread classes: "1", "all", or a count
	rows    []compareRow
}

// compareLayer is a layer of at least one run.
type compareLayer struct {
	LayerInfo
	differs bool // the runs disagree on its shape
}

// compareRow is one layer on one path at one thread class across the runs.
type compareRow struct {
	layer string
	path  string
	class string
	cells []*compareCell // nil where the run lacks the result
}

// compareCell is one run's result for a row.
type compareCell struct {
	Result
}

// threadClass names a thread count so that runs on machines with different
// core counts line up: "1", "all" (the run's GOMAXPROCS) or the count.
func threadClass(r *Report, threads int) string {
	switch threads {
	case 1:
		return "1"
	case r.CPU.GOMAXPROCS:
		return "all"
	}
	return strconv.Itoa(threads)
}

// resolvePath maps "best" to the run's best simdconv path that was
// measured; other paths map to themselves.
func (r *Report) resolvePath(p string) string {
	if p != bestPath {
		return p
	}
	for _, q := range r.CPU.Paths {
		if slices.Contains(r.Settings.Paths, q) {
			return q
		}
	}
	return ""
}

// mergeReports lines up the results of several runs.
func mergeReports(reps []*Report, names []string) *comparison {
	c := &comparison{names: names, reports: reps, paths: []string{bestPath}}
	index := map[string]int{}
	for _, r := range reps {
		for _, l := range r.Layers {
			if i, ok := index[l.Name]; ok {
				if c.layers[i].Shape != l.Shape {
					c.layers[i].differs = true
				}
				continue
			}
			index[l.Name] = len(c.layers)
			c.layers = append(c.layers, compareLayer{LayerInfo: l})
		}
		for _, p := range r.Settings.Paths {
			if !slices.Contains(c.paths, p) {
				c.paths = append(c.paths, p)
			}
		}
		for _, t := range r.Settings.Threads {
			if cl := threadClass(r, t); !slices.Contains(c.classes, cl) {
				c.classes = append(c.classes, cl)
			}
		}
	}
	for _, cl := range c.classes {
		for _, l := range c.layers {
			for _, p := range c.paths {
				row := compareRow{layer: l.Name, path: p, class: cl, cells: make([]*compareCell, len(reps))}
				found := false
				for i, r := range reps {
					if cell := r.cell(l.Name, p, cl); cell != nil {
						row.cells[i] = cell
						found = true
					}
				}
				if found {
					c.rows = append(c.rows, row)
				}
			}
		}
	}
	return c
}

// cell returns the run's measured result for a layer, path and thread
// class, or nil.
func (r *Report) cell(layer, path, class string) *compareCell {
	p := r.resolvePath(path)
	for _, t := range r.Settings.Threads {
		if threadClass(r, t) != class {
			continue
		}
		if res, ok := r.find(layer, p, t); ok && res.Skipped == "" {
			return &compareCell{Result: res}
		}
	}
	return nil
}

// filter keeps the rows of the given paths and thread classes (all when a
// list is empty).
func (c *comparison) filter(paths, classes []string) {
	if len(paths) > 0 {
		c.paths = slices.DeleteFunc(c.paths, func(p string) bool { return !slices.Contains(paths, p) })
	}
	if len(classes) > 0 {
		c.classes = slices.DeleteFunc(c.classes, func(cl string) bool { return !slices.Contains(classes, cl) })
	}
	c.rows = slices.DeleteFunc(c.rows, func(row compareRow) bool {
		return !slices.Contains(c.paths, row.path) || !slices.Contains(c.classes, row.class)
	})
}

// ratio is run i's speed over the first run's on a row, 0 if either lacks it.
func (row compareRow) ratio(i int) float64 {
	a, b := row.cells[0], row.cells[i]
	if a == nil || b == nil || b.NsPerOp <= 0 {
		return 0
	}
	return a.NsPerOp / b.NsPerOp
}

// layer returns the merged layer of that name.
func (c *comparison) layer(name string) compareLayer {
	for _, l := range c.layers {
		if l.Name == name {
			return l
		}
	}
	return compareLayer{}
}

// write prints the runs, then one table per thread class with the runs side
// by side and their ratios to the first run.
func (c *comparison) write(w io.Writer) {
	fmt.Fprintln(w, "runs (ratios are to the first):")
	for i, r := range c.reports {
		var peaks []string
		for _, p := range r.Settings.Paths {
			if v, ok := r.Peaks[p]; ok {
				peaks = append(peaks, fmt.Sprintf("%s %s", p, fmtGFLOPS(v)))
			}
		}
		fmt.Fprintf(w, "  %s: %s\n", c.names[i], r.CPU)
		fmt.Fprintf(w, "  %s  %s, %s, best path %s, -time=%s; peak GFLOP/s per core: %s\n",
			strings.Repeat(" ", len(c.names[i])), r.GoVersion, r.Date.Format("2006-01-02"),
			r.resolvePath(bestPath), r.Settings.Time, strings.Join(peaks, ", "))
	}
	fmt.Fprintln(w, "cells: GFLOP/s (% of the path's peak), or time per call for tiny layers; best = each run's best simdconv path")
	for _, cl := range c.classes {
		fmt.Fprintf(w, "\n== threads=%s ==\n\n", cl)
		header := []string{"layer", "path"}
		header = append(header, c.names...)
		for _, n := range c.names[1:] {
			header = append(header, n+"/"+c.names[0])
		}
		tab := newTable(header, "layer", "path")
		prev := ""
		for _, row := range c.rows {
			if row.class != cl {
				continue
			}
			l := c.layer(row.layer)
			name := ""
			if row.layer != prev {
				name = row.layer
				if l.differs {
					name += " (shapes differ!)"
				}
				prev = row.layer
			}
			cells := []string{name, row.path}
			for _, cell := range row.cells {
				cells = append(cells, fmtCell(cell, row.path, l.Tiny))
			}
			for i := 1; i < len(row.cells); i++ {
				cells = append(cells, fmtMean(row.ratio(i)))
			}
			tab.add(cells...)
		}
		c.addMeans(tab, cl)
		tab.write(w, "")
	}
}

// addMeans appends, per path, the geometric mean over the dense layers of
// each run's GFLOP/s, and of the ratios over the layers both runs have.
func (c *comparison) addMeans(tab *table, class string) {
	first := true
	for _, p := range c.paths {
		means := make([]geomean, len(c.reports))
		ratios := make([]geomean, len(c.reports))
		for _, row := range c.rows {
			l := c.layer(row.layer)
			if row.class != class || row.path != p || l.Tiny || l.Depthwise {
				continue
			}
			for i, cell := range row.cells {
				if cell != nil {
					means[i].add(cell.GFLOPS)
				}
				if i > 0 {
					ratios[i].add(row.ratio(i))
				}
			}
		}
		if slices.IndexFunc(means, func(g geomean) bool { return g.n > 0 }) < 0 {
			continue
		}
		name := ""
		if first {
			name = "geomean (dense)"
			first = false
		}
		cells := []string{name, p}
		for _, g := range means {
			if g.n == 0 {
				cells = append(cells, "-")
			} else {
				cells = append(cells, fmtGFLOPS(g.mean()))
			}
		}
		for i := 1; i < len(ratios); i++ {
			cells = append(cells, fmtMean(ratios[i].mean()))
		}
		tab.add(cells...)
	}
}

// fmtCell formats one run's result in a compare table.
func fmtCell(cell *compareCell, path string, tiny bool) string {
	if cell == nil {
		return "-"
	}
	prefix := ""
	if path == bestPath {
		prefix = cell.Path + " "
	}
	if tiny {
		return prefix + formatDuration(cell.NsPerOp)
	}
	if cell.PeakPct == nil {
		return prefix + fmtGFLOPS(cell.GFLOPS)
	}
	return fmt.Sprintf("%s%s (%.0f%%)", prefix, fmtGFLOPS(cell.GFLOPS), *cell.PeakPct)
}
