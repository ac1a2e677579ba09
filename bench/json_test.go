package main

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/simdconv/simdconv"
)

// smallConfig runs the suite on two tiny layers, quickly.
func smallConfig() Config {
	return Config{
		Layers: []Layer{
			{"tiny", simdconv.NewShape(1, 2, 3, 3, 1, 2, 2)},
			{"small", simdconv.NewShape(1, 8, 12, 12, 8, 3, 3).WithPadding(1, 1, 1, 1)},
		},
		Shapes:   "test",
		Paths:    []string{simdconv.PathGeneric, simdconv.PathNaive, PathPeer},
		Threads:  []int{1, 2},
		Time:     time.Millisecond,
		PeakTime: time.Millisecond,
		NaiveMax: time.Second,
		Check:    true,
		Label:    "unit test",
		Progress: io.Discard,
	}
}

func TestJSONRoundTrip(t *testing.T) {
	r, err := runSuite(smallConfig())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(r.Results), 2*2*3; got != want {
		t.Fatalf("%d results, want %d", got, want)
	}
	for _, res := range r.Results {
		switch {
		case res.Path == simdconv.PathNaive && res.Threads != 1:
			if res.Skipped == "" {
				t.Errorf("%s/%s/%d: naive should be skipped with 2 threads", res.Layer, res.Path, res.Threads)
			}
		case res.Skipped != "":
			t.Errorf("%s/%s/%d: skipped: %s", res.Layer, res.Path, res.Threads, res.Skipped)
		case res.GFLOPS <= 0 || res.NsPerOp <= 0 || res.Calls < 1:
			t.Errorf("%s/%s/%d: empty measurement %+v", res.Layer, res.Path, res.Threads, res)
		case res.MaxErrRatio == nil || *res.MaxErrRatio > 1:
			t.Errorf("%s/%s/%d: error ratio %s", res.Layer, res.Path, res.Threads, fmtErr(res.MaxErrRatio))
		case (res.PeakPct == nil) != (res.Path == PathPeer):
			t.Errorf("%s/%s/%d: peak_pct %v", res.Layer, res.Path, res.Threads, res.PeakPct)
		}
	}
	file := filepath.Join(t.TempDir(), "r.json")
	if err := writeReport(file, r); err != nil {
		t.Fatal(err)
	}
	back, err := readReport(file)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Date.Equal(r.Date) {
		t.Errorf("date %v, want %v", back.Date, r.Date)
	}
	back.Date = r.Date
	if !reflect.DeepEqual(back, r) {
		t.Errorf("round trip changed the report:\n got %+v\nwant %+v", back, r)
	}
	data, _ := os.ReadFile(file)
	for _, key := range []string{`"schema": 2`, `"cpu"`, `"go_version"`, `"date"`, `"peaks"`, `"peaks_median"`, `"gflops"`,
		`"peak_pct"`, `"ns_per_op"`, `"gflops_median"`, `"peak_pct_median"`, `"ns_per_op_median"`, `"allocs_per_op"`, `"max_err_ratio"`, `"threads"`, `"layer"`, `"path"`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

func TestReadReportErrors(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"garbage.json": "not json",
		"schema.json":  `{"schema": 99}`,
	} {
		file := filepath.Join(dir, name)
		os.WriteFile(file, []byte(text), 0o644)
		if _, err := readReport(file); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v should name the file", name, err)
		}
	}
	if _, err := readReport(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file: no error")
	}
}
