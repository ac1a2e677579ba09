package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/simdconv/simdconv"
)

// forwarder computes a layer: a simdconv plan or the peer.
type forwarder interface {
	Forward(dst, src []float32) error
}

// engine is a layer prepared on one path for one thread count.
type engine struct {
	fwd     forwarder
	kernel  string // what computes it, e.g. "gemmAVX512_8x48" or peerKernel
	tile    string // the kernel's register tile, as simdconv describes it
	workers int    // goroutines one call uses (the peer: GOMAXPROCS)
}

// newEngine prepares layer l with data d on path (a simdconv path, "naive"
// or "peer") for the given number of threads.
func newEngine(path string, l Layer, d *layerData, threads int) (*engine, error) {
	if path == PathPeer {
		pr, err := newPeer(l.Shape, d.weights, d.bias)
		if err != nil {
			return nil, fmt.Errorf("layer %s: %w", l.Name, err)
		}
		return &engine{fwd: pr, kernel: peerKernel, workers: threads}, nil
	}
	plan, err := simdconv.NewPlan(l.Shape, d.weights, d.bias,
		simdconv.WithKernel(path), simdconv.WithWorkers(threads))
	if err != nil {
		return nil, fmt.Errorf("layer %s on path %s: %w", l.Name, path, err)
	}
	info := plan.Info()
	return &engine{fwd: plan, kernel: info.Kernel, tile: info.Tile, workers: info.Workers}, nil
}

// defaultPaths is every path the suite can run here: simdconv's available
// paths best first, then the naive loops and the peer.
func defaultPaths() []string {
	return append(simdconv.Paths(), simdconv.PathNaive, PathPeer)
}

// parsePaths parses the -paths flag: a comma list of simdconv paths, naive
// and peer. Every path must be available on this CPU and build.
func parsePaths(list string) ([]string, error) {
	avail := defaultPaths()
	var paths []string
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !slices.Contains(avail, p) {
			if why, ok := simdconv.CPU().Missing[p]; ok {
				return nil, fmt.Errorf("-paths: %s is not available here: %s", p, why)
			}
			return nil, fmt.Errorf("-paths: unknown path %q (available here: %s)", p, strings.Join(avail, ","))
		}
		if !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("-paths: no path in %q", list)
	}
	return paths, nil
}

// naiveCalibration is the layer used to estimate the speed of the naive
// loops, so that layers whose one naive call would take too long are
// skipped.
var naiveCalibration = Layer{Name: "naive_calibration", Shape: simdconv.NewShape(1, 16, 24, 24, 16, 3, 3).WithPadding(1, 1, 1, 1)}

// naiveRate measures the naive loops in GFLOP/s on a small layer.
func naiveRate() (float64, error) {
	d := newLayerData(naiveCalibration)
	e, err := newEngine(simdconv.PathNaive, naiveCalibration, d, 1)
	if err != nil {
		return 0, err
	}
	m, err := measure(func() error { return e.fwd.Forward(d.dst, d.src) }, 20*time.Millisecond, false)
	if err != nil {
		return 0, err
	}
	return gflops(naiveCalibration.Shape.FLOPs(), m.NsPerOp), nil
}

// naiveSkip says why the naive loops are not run for l at this thread count,
// or "" if they are: they run single-threaded only, and only for layers whose
// one call should take at most limit at the calibrated rate.
func naiveSkip(l Layer, threads int, rate float64, limit time.Duration) string {
	if threads != 1 {
		return "naive runs with 1 thread only"
	}
	if rate <= 0 {
		return ""
	}
	est := time.Duration(float64(l.Shape.FLOPs()) / rate)
	if est > limit {
		return fmt.Sprintf("one naive call would take about %s (> -naive-max %s)", est.Round(100*time.Millisecond), limit)
	}
	return ""
}
