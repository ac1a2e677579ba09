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

// BenchmarkGCPause runs a convolution on every core, continuously, while
// another goroutine allocates enough garbage to keep the collector busy, and
// reports the stop-the-world pauses the runtime recorded meanwhile
// (runtime/metrics /sched/pauses/total/gc:seconds; each pause is counted at
// the upper bound of its histogram bucket): the median, the 99th percentile
// and the longest. Assembly cannot be preempted, so a pause lasts at least
// as long as the longest assembly call in flight; simdconv keeps each call
// to one tile, microseconds of work. The generic path (pure Go, preemptible
// everywhere) runs the same load as the baseline of what the machine and
// runtime give. Target: under 1 ms.
func BenchmarkGCPause(b *testing.B) {
	rng := rand.New(rand.NewPCG(21, 22))
	s := simdconv.NewShape(1, 128, 28, 28, 128, 3, 3).WithPadding(1, 1, 1, 1) // r50_3_3x3
	w := randData(rng, s.WeightsLen())
	x := randData(rng, s.InputLen())
	for _, path := range simdconv.Paths() {
		b.Run("path="+path, func(b *testing.B) {
			p, err := simdconv.NewPlan(s, w, nil, simdconv.WithKernel(path))
			if err != nil {
				b.Fatal(err)
			}
			var stop atomic.Bool
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { // garbage: a collection every few milliseconds
				defer wg.Done()
				var sink [][]byte
				for !stop.Load() {
					sink = append(sink, make([]byte, 64<<10))
					if len(sink) > 64 {
						sink = sink[:0]
					}
					runtime.Gosched()
				}
			}()
			before := pauseHistogram()
			b.ResetTimer()
			var calls atomic.Int64
			var cw sync.WaitGroup
			for g := 0; g < runtime.GOMAXPROCS(0); g++ {
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
			median, p99, worst, n := pauseStats(before, pauseHistogram())
			b.ReportMetric(median.Seconds()*1e6, "median-stw-µs")
			b.ReportMetric(p99.Seconds()*1e6, "p99-stw-µs")
			b.ReportMetric(worst.Seconds()*1e6, "max-stw-µs")
			b.ReportMetric(float64(n), "pauses")
			b.ReportMetric(float64(s.FLOPs())*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

func pauseHistogram() *metrics.Float64Histogram {
	sample := []metrics.Sample{{Name: "/sched/pauses/total/gc:seconds"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindFloat64Histogram {
		return nil
	}
	return sample[0].Value.Float64Histogram()
}

// pauseStats returns the median, 99th percentile and longest pause among
// those recorded between two histograms, each at its bucket's upper bound.
func pauseStats(before, after *metrics.Float64Histogram) (median, p99, worst time.Duration, n uint64) {
	if before == nil || after == nil {
		return
	}
	counts := make([]uint64, len(after.Counts))
	for i := range counts {
		counts[i] = after.Counts[i] - before.Counts[i]
		n += counts[i]
	}
	upper := func(i int) time.Duration {
		hi := after.Buckets[i+1]
		if math.IsInf(hi, 1) {
			hi = after.Buckets[i]
		}
		return time.Duration(hi * float64(time.Second))
	}
	var seen uint64
	for i, c := range counts {
		if c == 0 {
			continue
		}
		seen += c
		if median == 0 && seen*2 >= n {
			median = upper(i)
		}
		if p99 == 0 && seen*100 >= 99*n {
			p99 = upper(i)
		}
		worst = upper(i)
	}
	return
}
