package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestRunBench runs the command end to end on the textbook layers.
func TestRunBench(t *testing.T) {
	file := filepath.Join(t.TempDir(), "out.json")
	var out, errs bytes.Buffer
	args := []string{"-paths", "generic,naive,peer", "-threads", "1", "-time", "1ms", "-peak-time", "1ms",
		"-layers", "^d2l_|mbv1", "-check", "-json", file, "-label", "test"}
	if err := run(args, &out, &errs); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	text := out.String()
	for _, want := range []string{"CPU:", "peak:", "== threads=1", "mbv1_dw3x3", "tiny layer", "d2l_multi_in",
		"depthwise: mbv1_dw3x3", "check: all 9 results within the error bound"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(errs.String(), "[1/3] d2l_multi_in") {
		t.Errorf("progress lacks the layer count:\n%s", errs.String())
	}
	r, err := readReport(file)
	if err != nil {
		t.Fatal(err)
	}
	if r.Label != "test" || len(r.Results) != 9 {
		t.Errorf("JSON: label %q, %d results; want test, 9", r.Label, len(r.Results))
	}
	out.Reset()
	if err := run([]string{"show", file}, &out, &errs); err != nil || !strings.Contains(out.String(), "mbv1_dw3x3") {
		t.Errorf("show: %v\n%s", err, out.String())
	}
}

// TestRunBenchCopies checks -copies: at two threads, each simdconv layer
// also gets the speed of two independent single-worker copies, in the JSON
// and as a column of the report; the other paths and one thread do not.
func TestRunBenchCopies(t *testing.T) {
	file := filepath.Join(t.TempDir(), "out.json")
	var out, errs bytes.Buffer
	args := []string{"-paths", "generic,peer", "-threads", "1,2", "-time", "2ms", "-peak-time", "1ms",
		"-layers", "^d2l_multi_in|mbv1", "-copies", "-json", file}
	if err := run(args, &out, &errs); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	if !strings.Contains(out.String(), "copies×1T") {
		t.Errorf("report lacks the copies column:\n%s", out.String())
	}
	r, err := readReport(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range r.Results {
		want := res.Path == "generic" && res.Threads == 2
		if got := res.CopiesGFLOPS > 0 && res.CopiesGFLOPSMedian > 0; got != want {
			t.Errorf("%s on %s at %d threads: copies %g GFLOP/s (median %g), want them %v",
				res.Layer, res.Path, res.Threads, res.CopiesGFLOPS, res.CopiesGFLOPSMedian, want)
		}
	}
}

func TestRunBenchErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("# header\nl,1,2,3,3,1,2,x,1,0,1,1\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-shapes", bad}, `bad.csv:2: column "Kw": "x" is not an integer`},
		{[]string{"-paths", "sse9"}, `unknown path "sse9"`},
		{[]string{"-paths", ","}, `-paths: no path`},
		{[]string{"-threads", "0"}, `-threads: "0" is not a positive integer`},
		{[]string{"-layers", "nothing-matches"}, `-layers: no layer matches`},
		{[]string{"-layers", "("}, `-layers: error parsing regexp`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-time", "0s"}, `-time and -peak-time must be positive`},
	} {
		var out, errs bytes.Buffer
		err := run(tc.args, &out, &errs)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestParseThreads(t *testing.T) {
	got, err := parseThreads("1, all,1,3")
	if err != nil {
		t.Fatal(err)
	}
	want := []int{1}
	if n := runtime.GOMAXPROCS(0); n != 1 {
		want = append(want, n)
	}
	if n := runtime.GOMAXPROCS(0); n != 3 {
		want = append(want, 3)
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

// allocSink keeps the test's allocations on the heap.
var allocSink []*[64]byte

func TestMeasure(t *testing.T) {
	calls := 0
	m, err := measure(func() error {
		calls++
		allocSink = append(allocSink[:0], new([64]byte))
		time.Sleep(100 * time.Microsecond)
		return nil
	}, 5*time.Millisecond, false)
	if err != nil {
		t.Fatal(err)
	}
	if m.Calls < 1 || calls != m.Calls+1 {
		t.Errorf("%d timed calls of %d, want the rest after one warm-up", m.Calls, calls)
	}
	if m.NsPerOp < 100e3 {
		t.Errorf("%g ns per call, want at least 100µs", m.NsPerOp)
	}
	if m.AllocsPerOp < 1 || m.AllocsPerOp > 1.5 {
		t.Errorf("%g allocations per call, want 1", m.AllocsPerOp)
	}
	if m.MedianNsPerOp < m.NsPerOp {
		t.Errorf("median %g ns per call below the fastest batch's %g", m.MedianNsPerOp, m.NsPerOp)
	}
	calls = 0
	m, _ = measure(func() error { calls++; return nil }, time.Hour, true)
	if calls != 1 || m.Calls != 1 {
		t.Errorf("cold: %d calls, want 1", calls)
	}
}

// TestMeasureDisturbed checks that batches slowed down by a disturbance
// (here: the first 15 ms of calls take four times as long) do not set the
// headline figure, the fastest batch.
func TestMeasureDisturbed(t *testing.T) {
	var start time.Time
	m, err := measure(func() error {
		if start.IsZero() {
			start = time.Now() // the warm-up call
		}
		d := 100 * time.Microsecond
		if time.Since(start) < 15*time.Millisecond {
			d *= 4
		}
		for t0 := time.Now(); time.Since(t0) < d; {
		} // spin: a sleep's overshoot is too coarse here
		return nil
	}, 40*time.Millisecond, false)
	if err != nil {
		t.Fatal(err)
	}
	if m.NsPerOp >= 400e3 {
		t.Errorf("fastest batch %g ns per call, want an undisturbed batch's (about 100µs)", m.NsPerOp)
	}
	if m.MedianNsPerOp < m.NsPerOp {
		t.Errorf("median %g ns per call below the fastest batch's %g", m.MedianNsPerOp, m.NsPerOp)
	}
}

func TestMaxErrRatio(t *testing.T) {
	ref := []float64{1, 2, 0}
	bound := []float64{0.5, 0.5, 0}
	if r := maxErrRatio([]float32{1.25, 2, 0}, ref, bound); r != 0.5 {
		t.Errorf("ratio %g, want 0.5", r)
	}
	if r := maxErrRatio([]float32{1, 2, 1e-30}, ref, bound); !math.IsInf(r, 1) {
		t.Errorf("error with a zero bound: ratio %g, want +Inf", r)
	}
	if r := maxErrRatio([]float32{float32(math.NaN()), 2, 0}, ref, bound); !math.IsNaN(r) {
		t.Errorf("NaN output: ratio %g, want NaN", r)
	}
}

func TestParseProcCPUInfo(t *testing.T) {
	x86 := "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6248\nphysical id\t: 0\ncpu cores\t: 20\n\n" +
		"processor\t: 1\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6248\nphysical id\t: 1\ncpu cores\t: 20\n"
	var info CPUInfo
	parseProcCPUInfo(strings.NewReader(x86), &info)
	if info.Model != "Intel(R) Xeon(R) Gold 6248" || info.Vendor != "GenuineIntel" || info.PhysicalCores != 40 {
		t.Errorf("x86: %+v", info)
	}
	arm := "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n"
	info = CPUInfo{}
	parseProcCPUInfo(strings.NewReader(arm), &info)
	if info.Model != "implementer 0x41 part 0xd0c" || info.Vendor != "ARM" {
		t.Errorf("arm64: %+v", info)
	}
	if c := identifyCPU(); c.LogicalCPUs < 1 || c.GOARCH == "" || c.Model == "" {
		t.Errorf("identifyCPU: %+v", c)
	}
}

func TestCheckReport(t *testing.T) {
	ok, bad, nonFinite := 0.5, 1.5, nonFiniteRatio
	r := &Report{Settings: Settings{Checked: true}, Results: []Result{
		{Layer: "a", Path: "generic", Threads: 1, MaxErrRatio: &ok},
		{Layer: "a", Path: "avx2", Threads: 1, MaxErrRatio: &ok},
	}}
	var out bytes.Buffer
	printCheck(&out, r)
	if checkFailed(r) || !strings.Contains(out.String(), "all 2 results within the error bound") {
		t.Errorf("passing check: failed=%v\n%s", checkFailed(r), out.String())
	}
	r.Results = append(r.Results,
		Result{Layer: "b", Path: "avx512", Threads: 2, MaxErrRatio: &bad},
		Result{Layer: "c", Path: "avx512", Threads: 1, MaxErrRatio: &nonFinite})
	out.Reset()
	printCheck(&out, r)
	for _, want := range []string{"check FAILED: 2 of 4 results", "b on avx512, threads=2: |y-ref|/bound = 1.5", "c on avx512, threads=1: |y-ref|/bound = NaN/Inf"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("failing check output lacks %q:\n%s", want, out.String())
		}
	}
	if !checkFailed(r) {
		t.Error("checkFailed = false with a ratio over 1")
	}
}
