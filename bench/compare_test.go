package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/simdconv/simdconv"
)

// fakeReport builds a report of one machine: gflops[path][layer] at 1
// thread and at procs threads (twice as fast).
func fakeReport(label string, procs int, paths []string, gflops map[string]map[string]float64) *Report {
	layers := []Layer{
		{"conv", simdconv.NewShape(1, 64, 56, 56, 64, 3, 3).WithPadding(1, 1, 1, 1)},
		{"tiny", simdconv.NewShape(1, 2, 3, 3, 1, 2, 2)},
	}
	r := &Report{
		Schema: schemaVersion,
		Label:  label,
		CPU:    CPUInfo{Model: label + " cpu", GOMAXPROCS: procs, Paths: paths[:1]},
		Settings: Settings{
			Paths:   paths,
			Threads: []int{1, procs},
		},
		Peaks:  map[string]float64{},
		Layers: layerInfos(layers),
	}
	for _, p := range paths {
		if p != PathPeer {
			r.Peaks[p] = 100
		}
		for _, t := range []int{1, procs} {
			for _, l := range layers {
				g := gflops[p][l.Name]
				if t > 1 {
					g *= 2 // twice as fast with all threads
				}
				res := Result{Layer: l.Name, Path: p, Threads: t, GFLOPS: g, NsPerOp: float64(l.Shape.FLOPs()) / g}
				if p != PathPeer {
					pct := g / float64(t)
					res.PeakPct = &pct
				}
				r.Results = append(r.Results, res)
			}
		}
	}
	return r
}

func TestCompareMerge(t *testing.T) {
	a := fakeReport("x86", 2, []string{"avx512", "generic", PathPeer},
		map[string]map[string]float64{"avx512": {"conv": 100, "tiny": 1}, "generic": {"conv": 10, "tiny": 0.5}, PathPeer: {"conv": 20, "tiny": 0.5}})
	b := fakeReport("arm", 8, []string{"neon", "generic"},
		map[string]map[string]float64{"neon": {"conv": 50, "tiny": 2}, "generic": {"conv": 20, "tiny": 1}})
	c := mergeReports([]*Report{a, b}, []string{"x86", "arm"})

	if got, want := strings.Join(c.classes, ","), "1,all"; got != want {
		t.Errorf("thread classes %s, want %s", got, want)
	}
	if got, want := strings.Join(c.paths, ","), "best,avx512,generic,peer,neon"; got != want {
		t.Errorf("paths %s, want %s", got, want)
	}
	row := findRow(t, c, "conv", bestPath, "all")
	if row.cells[0].Path != "avx512" || row.cells[1].Path != "neon" {
		t.Errorf("best resolves to %s and %s, want avx512 and neon", row.cells[0].Path, row.cells[1].Path)
	}
	if r := row.ratio(1); r < 0.499 || r > 0.501 {
		t.Errorf("best conv ratio %g, want 0.5", r)
	}
	row = findRow(t, c, "conv", "generic", "1")
	if r := row.ratio(1); r < 1.999 || r > 2.001 {
		t.Errorf("generic conv ratio %g, want 2", r)
	}
	row = findRow(t, c, "conv", PathPeer, "1")
	if row.cells[1] != nil || row.ratio(1) != 0 {
		t.Errorf("peer: the second run has no peer, got %+v", row.cells[1])
	}

	var out bytes.Buffer
	c.write(&out)
	text := out.String()
	for _, want := range []string{"x86: x86 cpu", "arm: arm cpu", "== threads=1 ==", "== threads=all ==",
		"arm/x86", "avx512 100 (100%)", "neon 50.0 (50%)", "0.50×", "geomean (dense)"} {
		if !strings.Contains(text, want) {
			t.Errorf("compare output lacks %q:\n%s", want, text)
		}
	}

	c.filter([]string{"generic"}, []string{"1"})
	for _, row := range c.rows {
		if row.path != "generic" || row.class != "1" {
			t.Errorf("filter kept %s/%s", row.path, row.class)
		}
	}
	if len(c.rows) != 2 {
		t.Errorf("filter kept %d rows, want 2", len(c.rows))
	}
}

func findRow(t *testing.T, c *comparison, layer, path, class string) compareRow {
	t.Helper()
	for _, row := range c.rows {
		if row.layer == layer && row.path == path && row.class == class {
			return row
		}
	}
	t.Fatalf("no row %s/%s/%s", layer, path, class)
	return compareRow{}
}

func TestRunNames(t *testing.T) {
	reps := []*Report{{Label: "mine"}, {}, {}}
	got := runNames(reps, []string{"a.json", "dir/b.json", "other/b.json"})
	if want := "mine,b,b#2"; strings.Join(got, ",") != want {
		t.Errorf("names %v, want %s", got, want)
	}
}

// TestCompareCommand runs `compare` on two saved results and checks the
// chart files.
func TestCompareCommand(t *testing.T) {
	dir := t.TempDir()
	a := fakeReport("x86", 2, []string{"avx512", "generic", PathPeer},
		map[string]map[string]float64{"avx512": {"conv": 100, "tiny": 1}, "generic": {"conv": 10, "tiny": 0.5}, PathPeer: {"conv": 20, "tiny": 0.5}})
	b := fakeReport("", 8, []string{"neon", "generic"},
		map[string]map[string]float64{"neon": {"conv": 50, "tiny": 2}, "generic": {"conv": 20, "tiny": 1}})
	fa, fb := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	if err := writeReport(fa, a); err != nil {
		t.Fatal(err)
	}
	if err := writeReport(fb, b); err != nil {
		t.Fatal(err)
	}
	for _, chart := range []string{"c.svg", "c.png"} {
		var out, errs bytes.Buffer
		file := filepath.Join(dir, chart)
		// -o after the files: flags may come anywhere.
		if err := run([]string{"compare", fa, fb, "-o", file, "-chart-paths", "best,generic"}, &out, &errs); err != nil {
			t.Fatalf("%s: %v\n%s", chart, err, errs.String())
		}
		if !strings.Contains(out.String(), "b/x86") {
			t.Errorf("%s: output lacks the ratio column b/x86:\n%s", chart, out.String())
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if chart == "c.svg" && !bytes.Contains(data, []byte("<svg")) {
			t.Errorf("%s is not SVG", chart)
		}
		if chart == "c.png" && !bytes.HasPrefix(data, []byte("\x89PNG")) {
			t.Errorf("%s is not PNG", chart)
		}
	}
	var out, errs bytes.Buffer
	if err := run([]string{"compare", "-o", filepath.Join(dir, "c.gif"), fa}, &out, &errs); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("gif chart: error %v, want unknown format", err)
	}
	if err := run([]string{"compare"}, &out, &errs); err == nil {
		t.Error("compare without files: no error")
	}
}
