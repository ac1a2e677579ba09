package main

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/simdconv/simdconv"
)

// naiveRateOnce calibrates the naive loops once per test binary.
var naiveRateOnce = sync.OnceValues(naiveRate)

// BenchmarkConv is the suite's matrix as sub-benchmarks named
// path=P/layer=L/threads=T, over every available path, the naive loops and
// the peer, the built-in layers, and 1 and GOMAXPROCS threads. Each reports
// GFLOP/s and allocs/op; compare runs with benchstat:
//
//	go test -run '^$' -bench . -count 6 ./bench > old.txt
//	benchstat old.txt new.txt
//
// The naive loops run with 1 thread only, and not on layers whose one call
// would take more than a second.
func BenchmarkConv(b *testing.B) {
	layers, err := loadLayers("")
	if err != nil {
		b.Fatal(err)
	}
	threads := []int{1}
	if n := runtime.GOMAXPROCS(0); n > 1 {
		threads = append(threads, n)
	}
	data := map[string]*layerData{}
	for _, p := range defaultPaths() {
		b.Run("path="+p, func(b *testing.B) {
			for _, l := range layers {
				b.Run("layer="+l.Name, func(b *testing.B) {
					for _, t := range threads {
						b.Run(fmt.Sprintf("threads=%d", t), func(b *testing.B) {
							if p == simdconv.PathNaive {
								rate, err := naiveRateOnce()
								if err != nil {
									b.Fatal(err)
								}
								if why := naiveSkip(l, t, rate, time.Second); why != "" {
									b.Skip(why)
								}
							}
							if data[l.Name] == nil {
								data[l.Name] = newLayerData(l)
							}
							benchmarkLayer(b, p, l, data[l.Name], t)
						})
					}
				})
			}
		})
	}
}

// benchmarkLayer times Forward of layer l on path p with t threads
// (GOMAXPROCS and WithWorkers) after one warm-up call.
func benchmarkLayer(b *testing.B, p string, l Layer, d *layerData, t int) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(t))
	e, err := newEngine(p, l, d, t)
	if err != nil {
		b.Fatal(err)
	}
	// Warm up as the suite does, so that the plan's first-call set-up is
	// neither timed nor counted in allocs/op.
	if err := e.fwd.Forward(d.dst, d.src); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := e.fwd.Forward(d.dst, d.src); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(l.Shape.FLOPs())*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// TestBenchmarkNames checks that the benchmark matrix covers every path the
// suite runs, so go test -bench and go run ./bench measure the same thing.
func TestBenchmarkNames(t *testing.T) {
	paths := defaultPaths()
	for _, want := range []string{simdconv.PathGeneric, simdconv.PathNaive, PathPeer} {
		if !slices.Contains(paths, want) {
			t.Errorf("defaultPaths() = %v, missing %s", paths, want)
		}
	}
}
