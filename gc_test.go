package simdconv_test

import (
	"math"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/simdconv/simdconv"
)

// BenchmarkGCPause runs a large convolution on every core, continuously,
// while another goroutine allocates enough garbage to keep the collector
// busy, and reports the longest stop-the-world pause the runtime recorded
// (runtime/metrics /sched/pauses/total/gc:seconds, whose histogram buckets
// bound each pause from above). Assembly cannot be preempted, so a pause
// lasts at least as long as the longest assembly call in flight; simdconv
// keeps each call to one tile (microseconds). Target: under 1 ms.
func BenchmarkGCPause(b *testing.B) {
	rng := rand.New(rand.NewPCG(21, 22))
	s := simdconv.NewShape(1, 256, 56, 56, 256, 3, 3).WithPadding(1, 1, 1, 1) // vgg_3_3x3
	p, err := simdconv.NewPlan(s, randData(rng, s.WeightsLen()), nil)
	if err != nil {
		b.Fatal(err)
	}
	x := randData(rng, s.InputLen())
	before := maxPause()
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // garbage: forces a collection every few milliseconds
		defer wg.Done()
		var sink [][]byte
		for !stop.Load() {
			sink = append(sink, make([]byte, 64<<10))
			if len(sink) > 256 {
				sink = sink[:0]
			}
			time.Sleep(20 * time.Microsecond)
		}
	}()
	goroutines := runtime.GOMAXPROCS(0)
	b.ResetTimer()
	var calls atomic.Int64
	var cw sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		cw.Add(1)
		go func() {
			defer cw.Done()
			y := make([]float32, s.OutputLen())
			for calls.Add(1) <= int64(b.N) {
				if err := p.Forward(y, x); err != nil {
					panic(err)
				}
			}
		}()
	}
	cw.Wait()
	b.StopTimer()
	stop.Store(true)
	wg.Wait()
	worst := maxPause()
	if worst < before {
		worst = before
	}
	b.ReportMetric(worst.Seconds()*1e6, "max-stw-µs")
	b.ReportMetric(float64(s.FLOPs())*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// maxPause is the upper bound of the highest non-empty bucket of the
// runtime's stop-the-world pause histogram.
func maxPause() time.Duration {
	sample := []metrics.Sample{{Name: "/sched/pauses/total/gc:seconds"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindFloat64Histogram {
		return 0
	}
	h := sample[0].Value.Float64Histogram()
	for i := len(h.Counts) - 1; i >= 0; i-- {
		if h.Counts[i] > 0 {
			hi := h.Buckets[i+1]
			if math.IsInf(hi, 1) {
				hi = h.Buckets[i]
			}
			return time.Duration(hi * float64(time.Second))
		}
	}
	return 0
}
