package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/simdconv/simdconv"
)

// goalLayers is a layer of each class the goals treat apart: two large
// dense layers (a 3x3 and a 1x1), a small dense 1x1 one (under the scaling
// goal's size), a depthwise layer and a tiny one.
var goalLayers = []Layer{
	{"big3x3", simdconv.NewShape(1, 64, 56, 56, 64, 3, 3).WithPadding(1, 1, 1, 1)},
	{"big1x1", simdconv.NewShape(1, 64, 56, 56, 256, 1, 1)},
	{"small1x1", simdconv.NewShape(1, 64, 56, 56, 64, 1, 1)},
	{"dw", simdconv.NewShape(1, 256, 28, 28, 256, 3, 3).WithPadding(1, 1, 1, 1).WithGroups(256)},
	{"tiny", simdconv.NewShape(1, 2, 3, 3, 1, 2, 2)},
}

// goalReport is a run that meets every goal by a small margin: pct[layer]
// is the layer's % of peak on avx512 at one thread (default 95; the tiny
// layer's is its ns per call, default 100), its median batch 2 points
// lower, avx2 at 90%, and two workers at scale[layer] times one (default
// 1.9).
func goalReport(pct, scale map[string]float64) *Report {
	r := &Report{
		Schema:   schemaVersion,
		Settings: Settings{Paths: []string{"avx512", "avx2", "generic"}, Threads: []int{1, 2}},
		Peaks:    map[string]float64{"avx512": 200, "avx2": 100, "generic": 10},
		Layers:   layerInfos(goalLayers),
	}
	add := func(l Layer, path string, threads int, pct float64) {
		g := pct / 100 * r.Peaks[path] * float64(threads)
		res := Result{Layer: l.Name, Path: path, Threads: threads, GFLOPS: g, NsPerOp: float64(l.Shape.FLOPs()) / g}
		res.PeakPct = &pct
		med := pct - 2 // the median batches 2 points lower
		res.PeakPctMedian = &med
		r.Results = append(r.Results, res)
	}
	for _, l := range goalLayers {
		p, ok := pct[l.Name]
		if !ok {
			p = 95
		}
		if l.Tiny() {
			ns := 100.0
			if ok {
				ns = p
			}
			p = 100 * float64(l.Shape.FLOPs()) / ns / r.Peaks["avx512"]
		}
		add(l, "avx512", 1, p)
		s, ok := scale[l.Name]
		if !ok {
			s = 1.9
		}
		add(l, "avx512", 2, p*s/2)
		add(l, "avx2", 1, 90)
		add(l, "generic", 1, 50)
	}
	return r
}

func TestGoalsMet(t *testing.T) {
	g := checkGoals("run", goalReport(nil, nil))
	if len(g.figures) != len(goalColumns) {
		t.Fatalf("%d figures, want %d", len(g.figures), len(goalColumns))
	}
	for i, f := range g.figures {
		if !f.met || !f.measured {
			t.Errorf("%s: %+v, want met", goalColumns[i].goal, f)
		}
	}
	want := []string{"95.0% (190 GFLOP/s)", "95.0% big3x3", "95.0, 95.0", "90.0% (90.0 GFLOP/s)", "95.0%", "100", "2/2 (min 1.90)"}
	for i, f := range g.figures {
		if f.text != want[i] {
			t.Errorf("%s: %q, want %q", goalColumns[i].goal, f.text, want[i])
		}
	}
	if g.generic < 4.999 || g.generic > 5.001 {
		t.Errorf("pure Go mean %g GFLOP/s, want 5", g.generic)
	}
}

// TestGoalsMissed moves one figure at a time just past its goal (or onto
// it, which meets it) and checks that exactly that goal changes.
func TestGoalsMissed(t *testing.T) {
	for _, c := range []struct {
		name         string
		pct, scale   map[string]float64
		goal         int // index in goalColumns
		met          bool
		textContains string
	}{
		{"1x1 under 92", map[string]float64{"small1x1": 91.9}, nil, 2, false, "95.0, 91.9"},
		{"1x1 at 92", map[string]float64{"big1x1": 92}, nil, 2, true, "92.0, 95.0"},
		{"lowest under 75", map[string]float64{"big3x3": 74.9, "big1x1": 100, "small1x1": 100}, nil, 1, false, "74.9% big3x3"},
		{"lowest at 75", map[string]float64{"big3x3": 75, "big1x1": 100, "small1x1": 100}, nil, 1, true, "75.0% big3x3"},
		{"depthwise under 50", map[string]float64{"dw": 49.9}, nil, 4, false, "49.9%"},
		{"tiny at 300 ns", map[string]float64{"tiny": 300}, nil, 5, false, "300"},
		{"one layer scales 1.84", nil, map[string]float64{"big1x1": 1.84}, 6, false, "1/2 (min 1.84)"},
		{"small layers scale 1.5: not large", nil, map[string]float64{"small1x1": 1.5, "dw": 1.0}, 6, true, "2/2 (min 1.90)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := checkGoals("run", goalReport(c.pct, c.scale))
			for i, f := range g.figures {
				if i == c.goal {
					if f.met != c.met || !strings.Contains(f.text, c.textContains) {
						t.Errorf("%s: %+v, want met=%v and %q", goalColumns[i].goal, f, c.met, c.textContains)
					}
				} else if !f.met {
					t.Errorf("%s: %+v, want met (only %s moved)", goalColumns[i].goal, f, goalColumns[c.goal].goal)
				}
			}
		})
	}
	// The geometric mean: 1x1 and lowest still met, the mean not.
	low := map[string]float64{"big3x3": 80, "big1x1": 92, "small1x1": 92}
	g := checkGoals("run", goalReport(low, nil))
	if f := g.figures[0]; f.met || !strings.HasPrefix(f.text, "87.8%") {
		t.Errorf("mean of 80, 92, 92: %+v, want 87.8%% and missed", f)
	}
}

func TestGoalsUnmeasured(t *testing.T) {
	r := goalReport(nil, nil)
	var kept []Result
	for _, res := range r.Results {
		if res.Path != "avx2" && res.Threads == 1 && !(res.Layer == "big1x1" && res.Path == "avx512") {
			kept = append(kept, res)
		}
	}
	r.Results = kept
	g := checkGoals("run", r)
	// Without avx2, without two workers and without big1x1 on avx512, only
	// the depthwise and tiny goals can be judged.
	for i, f := range g.figures {
		judged := i == 4 || i == 5
		if f.measured != judged || f.met != judged || (!judged && f.text != "-") {
			t.Errorf("%s: %+v, want measured=%v", goalColumns[i].goal, f, judged)
		}
	}
	if g.mean != 0 {
		t.Errorf("mean %g without every dense layer, want 0", g.mean)
	}
}

func TestMedianRun(t *testing.T) {
	runs := []goalRun{{name: "a", mean: 3}, {name: "b", mean: 1}, {name: "none"}, {name: "c", mean: 2}, {name: "d", mean: 4}}
	if got := medianRun(runs); got != "c" {
		t.Errorf("median of 3, 1, 2, 4: %s, want c (the lower middle)", got)
	}
	if got := medianRun(runs[:3]); got != "b" {
		t.Errorf("median of 3, 1: %s, want b", got)
	}
	if got := medianRun([]goalRun{{name: "none"}}); got != "" {
		t.Errorf("no means: %q, want none", got)
	}
}

func TestGoalsCommand(t *testing.T) {
	dir := t.TempDir()
	var files []string
	// run-c is the slowest; run-a and run-b tie, and the stable order
	// makes run-a the median.
	for i, pct := range []map[string]float64{nil, {"dw": 40}, {"big3x3": 91}} {
		f := filepath.Join(dir, []string{"run-a.json", "run-b.json", "run-c.json"}[i])
		if err := writeReport(f, goalReport(pct, nil)); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	var out, errOut bytes.Buffer
	if err := run(append([]string{"goals", "-md"}, files...), &out, &errOut); err != nil {
		t.Fatalf("goals: %v (%s)", err, errOut.String())
	}
	s := out.String()
	for _, want := range []string{
		"| run | pure Go GFLOP/s | avx512 % peak | median batch |",
		"|---|--:|--:|--:|---|",
		"| run-a | 5.00 | **95.0% (190 GFLOP/s)** | 93.0% |",
		"every depthwise layer >= 50%: met in 2 of 3 runs",
		"every 1x1 layer >= 92%: met in 3 of 3 runs",
		"median run by AVX-512 geometric mean GFLOP/s: run-a",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if !strings.Contains(s, "| **95.0**, **95.0** |") {
		t.Errorf("the 1x1 figures should be bold:\n%s", s)
	}
	if !strings.Contains(s, "| 40.0% |") {
		t.Errorf("the missed depthwise figure should be plain, not bold:\n%s", s)
	}
	out.Reset()
	if err := run(append([]string{"goals"}, files[0]), &out, &errOut); err != nil || !strings.Contains(out.String(), "95.0% (190 GFLOP/s) ✓") {
		t.Errorf("plain table: %v\n%s", err, out.String())
	}

	if err := run([]string{"goals"}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "no result files") {
		t.Errorf("no files: %v", err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"goals", bad}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "not a simdconv bench result") {
		t.Errorf("bad file: %v", err)
	}
}

func TestGoalFigureMarkdown(t *testing.T) {
	f := checkGoals("run", goalReport(map[string]float64{"big1x1": 91, "small1x1": 93}, nil)).figures[2]
	if got, want := f.markdown(), "91.0, **93.0**"; got != want {
		t.Errorf("1x1 layers at 91 and 93: %q, want %q", got, want)
	}
	if got, want := (goalFigure{text: "x"}).markdown(), "x"; got != want {
		t.Errorf("missed: %q, want %q", got, want)
	}
}

func TestMarkdownTable(t *testing.T) {
	tab := newTable([]string{"name", "value"}, "name")
	tab.add("a|b", "1")
	tab.add("c")
	var b bytes.Buffer
	tab.writeMarkdown(&b)
	want := "| name | value |\n|---|--:|\n| a\\|b | 1 |\n| c |  |\n"
	if b.String() != want {
		t.Errorf("markdown:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestFmtGoal(t *testing.T) {
	atLeast := func(g float64) func(float64) bool { return func(v float64) bool { return v >= g } }
	for _, c := range []struct {
		v      float64
		digits int
		meets  func(float64) bool
		want   string
	}{
		{91.974, 1, atLeast(92), "91.97"},
		{91.9999, 1, atLeast(92), "91.9999"},
		{92.04, 1, atLeast(92), "92.0"},
		{89.76, 1, atLeast(92), "89.8"},
		{1.849, 2, atLeast(1.85), "1.849"},
		{299.6, 0, func(v float64) bool { return v < 300 }, "299.6"},
		{300.2, 0, func(v float64) bool { return v < 300 }, "300"},
	} {
		if got := fmtGoal(c.v, c.digits, c.meets); got != c.want {
			t.Errorf("fmtGoal(%v, %d): %q, want %q", c.v, c.digits, got, c.want)
		}
	}
}
