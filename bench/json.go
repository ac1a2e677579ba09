package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"time"

	"github.com/simdconv/simdconv"
)

// schemaVersion is the version of the JSON result format; README.md
// documents it. Bump it when a field changes meaning.
const schemaVersion = 2

// Report is the result of one run of the suite, as written by -json and read
// by compare.
type Report struct {
	Schema      int                `json:"schema"`
	Label       string             `json:"label,omitempty"` // -label, the run's name in compare
	Date        time.Time          `json:"date"`
	GoVersion   string             `json:"go_version"`
	CPU         CPUInfo            `json:"cpu"`
	Settings    Settings           `json:"settings"`
	Peaks       map[string]float64 `json:"peaks"`        // single-core peak GFLOP/s per path, naive included: fastest batch
	PeaksMedian map[string]float64 `json:"peaks_median"` // the same, median batch
	Layers      []LayerInfo        `json:"layers"`
	Results     []Result           `json:"results"`
}

// Settings records how the run measured.
type Settings struct {
	Shapes    string   `json:"shapes"`    // the shapes file, "layers.csv" for the built-in set
	Paths     []string `json:"paths"`     // in the order run
	Threads   []int    `json:"threads"`   // in the order run
	Time      string   `json:"time"`      // -time, the budget of each measurement
	NaiveMax  string   `json:"naive_max"` // -naive-max
	Statistic string   `json:"statistic"` // how the time per call is summarised
	Checked   bool     `json:"checked"`   // -check: results were verified
}

// LayerInfo is one layer of the set that was run.
type LayerInfo struct {
	Name      string         `json:"name"`
	Shape     simdconv.Shape `json:"shape"`
	FLOPs     int64          `json:"flops"`
	Tiny      bool           `json:"tiny"`      // reported in time per call, left out of the means
	Depthwise bool           `json:"depthwise"` // summarised apart from the dense layers
}

// Result is the measurement of one layer on one path at one thread count.
type Result struct {
	Layer   string   `json:"layer"`
	Path    string   `json:"path"`
	Threads int      `json:"threads"`
	Workers int      `json:"workers,omitempty"` // goroutines one call used
	Kernel  string   `json:"kernel,omitempty"`  // simdconv's micro-kernel, "Naive", or the peer
	Tile    string   `json:"tile,omitempty"`    // the kernel's register tile
	GFLOPS  float64  `json:"gflops"`            // fastest batch
	PeakPct *float64 `json:"peak_pct"`          // of the path's single-core peak times threads; null for the peer
	NsPerOp float64  `json:"ns_per_op"`
	// The same three figures for the median batch, against the median peak.
	GFLOPSMedian  float64  `json:"gflops_median"`
	PeakPctMedian *float64 `json:"peak_pct_median"`
	NsPerOpMedian float64  `json:"ns_per_op_median"`
	// With -copies, at Threads > 1: the aggregate GFLOP/s of Threads
	// independent single-worker copies of the layer running at once (each
	// its own plan and data), fastest and median batch: how far this
	// machine's shared caches and memory let the layer scale, whatever the
	// split of one call.
	CopiesGFLOPS       float64  `json:"copies_gflops,omitempty"`
	CopiesGFLOPSMedian float64  `json:"copies_gflops_median,omitempty"`
	AllocsPerOp        float64  `json:"allocs_per_op"`
	Calls              int      `json:"calls"`         // timed calls
	MaxErrRatio        *float64 `json:"max_err_ratio"` // largest |y-ref|/bound; null unless -check
	Skipped            string   `json:"skipped,omitempty"`
}

// nonFiniteRatio stands for a NaN or infinite error ratio in JSON, which
// cannot hold those values.
const nonFiniteRatio = math.MaxFloat64

// layerInfos describes a layer set for the report.
func layerInfos(layers []Layer) []LayerInfo {
	infos := make([]LayerInfo, len(layers))
	for i, l := range layers {
		infos[i] = LayerInfo{Name: l.Name, Shape: l.Shape, FLOPs: l.Shape.FLOPs(), Tiny: l.Tiny(), Depthwise: l.Depthwise()}
	}
	return infos
}

// writeReport writes r as indented JSON to file.
func writeReport(file string, r *Report) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", file, err)
	}
	if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	return nil
}

// readReport reads a JSON report written by -json.
func readReport(file string) (*Report, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading results: %w", err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: not a simdconv bench result: %w", file, err)
	}
	if r.Schema != schemaVersion {
		return nil, fmt.Errorf("%s: schema version %d, this tool reads version %d", file, r.Schema, schemaVersion)
	}
	return &r, nil
}

// find returns the result of layer on path at threads, if the report has one.
func (r *Report) find(layer, path string, threads int) (Result, bool) {
	for _, res := range r.Results {
		if res.Layer == layer && res.Path == path && res.Threads == threads {
			return res, true
		}
	}
	return Result{}, false
}
