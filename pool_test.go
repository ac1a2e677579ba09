package simdconv

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkTwoWorkers times layers of the benchmark set whose two-worker
// speed-up varies most on a shared machine, with one worker and two in
// alternating batches, and says where the two-worker calls lose time:
//
//	x1T            the fastest two-worker batch over the fastest one-worker batch
//	helper-p50-µs  when the helper starts its first task, after the call began
//	helper-p90-µs  (median and 90th percentile over all two-worker calls)
//	late-%         the calls whose helper started more than 10 µs late
//	busy-x1T       both workers' time in tasks over the one-worker call time
//	               (medians): above 1, each core computes slower when both run
//
// go test -run '^$' -bench TwoWorkers -benchtime 40x .
func BenchmarkTwoWorkers(b *testing.B) {
	for _, l := range []struct {
		name string
		s    Shape
	}{
		{"r50_3_3x3", NewShape(1, 128, 28, 28, 128, 3, 3).WithPadding(1, 1, 1, 1)},
		{"r50_4_3x3", NewShape(1, 256, 14, 14, 256, 3, 3).WithPadding(1, 1, 1, 1)},
		{"r50_4_1x1_reduce", NewShape(1, 1024, 14, 14, 256, 1, 1)},
		{"r50_5_3x3", NewShape(1, 512, 7, 7, 512, 3, 3).WithPadding(1, 1, 1, 1)},
	} {
		b.Run(l.name, func(b *testing.B) {
			w := make([]float32, l.s.WeightsLen())
			for i := range w {
				w[i] = float32(i%13-6) / 64
			}
			x, y := make([]float32, l.s.InputLen()), make([]float32, l.s.OutputLen())
			for i := range x {
				x[i] = float32(i%7-3) / 8
			}
			one, err := NewPlan(l.s, w, nil, WithWorkers(1))
			if err != nil {
				b.Fatal(err)
			}
			two, err := NewPlan(l.s, w, nil, WithWorkers(2))
			if err != nil {
				b.Fatal(err)
			}
			var (
				callStart time.Time
				first     [2]time.Time
				taskStart [2]time.Time
				busy      [2]time.Duration
			)
			taskHook = func(worker int, begin bool) {
				if worker > 1 {
					return
				}
				now := time.Now()
				if !begin {
					busy[worker] += now.Sub(taskStart[worker])
					return
				}
				taskStart[worker] = now
				if first[worker].IsZero() {
					first[worker] = now
				}
			}
			defer func() { taskHook = nil }()
			forward := func(p *Plan) {
				if err := p.Forward(y, x); err != nil {
					b.Fatal(err)
				}
			}
			const calls = 10
			best1, best2 := time.Duration(1<<62), time.Duration(1<<62)
			var per1, starts, busies []time.Duration
			for range b.N {
				forward(one) // warm-up: the other plan ran since
				t0 := time.Now()
				for range calls {
					forward(one)
				}
				d := time.Since(t0) / calls
				best1 = min(best1, d)
				per1 = append(per1, d)
				forward(two)
				var batch time.Duration
				for range calls {
					first, busy = [2]time.Time{}, [2]time.Duration{}
					callStart = time.Now()
					forward(two)
					batch += time.Since(callStart)
					if !first[1].IsZero() {
						starts = append(starts, first[1].Sub(callStart))
					}
					busies = append(busies, busy[0]+busy[1])
				}
				best2 = min(best2, batch/calls)
			}
			b.ReportMetric(float64(best1)/float64(best2), "x1T")
			b.ReportMetric(quantile(starts, 0.5).Seconds()*1e6, "helper-p50-µs")
			b.ReportMetric(quantile(starts, 0.9).Seconds()*1e6, "helper-p90-µs")
			late := 0
			for _, s := range starts {
				if s > 10*time.Microsecond {
					late++
				}
			}
			b.ReportMetric(100*float64(late)/float64(max(len(starts), 1)), "late-%")
			b.ReportMetric(float64(quantile(busies, 0.5))/float64(quantile(per1, 0.5)), "busy-x1T")
			if len(starts) < len(busies) {
				b.Logf("%s: the helper took no task in %d of %d calls", l.name, len(busies)-len(starts), len(busies))
			}
		})
	}
}

// quantile is the q-quantile of d (nearest rank), 0 for none.
func quantile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}
