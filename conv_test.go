package simdconv_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdconv/simdconv"
	"github.com/simdconv/simdconv/internal/check"
)

// The worked examples of the textbook chapter on multiple input and
// multiple output channels.
var (
	textbookX = []float32{
		0, 1, 2, 3, 4, 5, 6, 7, 8, // channel 0
		1, 2, 3, 4, 5, 6, 7, 8, 9, // channel 1
	}
	textbookK = []float32{
		0, 1, 2, 3, // channel 0
		1, 2, 3, 4, // channel 1
	}
)

func TestTextbookMultiInput(t *testing.T) {
	forEachPath(t, true, func(t *testing.T, path string) {
		got := runPath(t, path, simdconv.NewShape(1, 2, 3, 3, 1, 2, 2), textbookX, textbookK, nil)
		assert.Equal(t, []float32{56, 72, 104, 120}, got)
	})
}

func TestTextbookMultiOutput(t *testing.T) {
	// K, K+1, K+2 stacked as three output channels.
	var k []float32
	for d := 0; d < 3; d++ {
		for _, v := range textbookK {
			k = append(k, v+float32(d))
		}
	}
	forEachPath(t, true, func(t *testing.T, path string) {
		got := runPath(t, path, simdconv.NewShape(1, 2, 3, 3, 3, 2, 2), textbookX, k, nil)
		assert.Equal(t, []float32{
			56, 72, 104, 120,
			76, 100, 148, 172,
			96, 128, 192, 224,
		}, got)
	})
}

// matmul returns the Co x P product of a Co x Ci matrix and a Ci x P matrix
// in float64.
func matmul(a, b []float32, co, ci, p int) []float64 {
	y := make([]float64, co*p)
	for i := 0; i < co; i++ {
		for j := 0; j < p; j++ {
			var s float64
			for k := 0; k < ci; k++ {
				s += float64(a[i*ci+k]) * float64(b[k*p+j])
			}
			y[i*p+j] = s
		}
	}
	return y
}

func TestOneByOneIsMatmul(t *testing.T) {
	// The textbook's 1x1 example: Ci=3, Co=2 on 3x3 inputs.
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 27)
	for i := range x {
		x[i] = float32(i%7) - 3
	}
	k := []float32{1, 2, 3, -1, 0.5, 2}
	forEachPath(t, true, func(t *testing.T, path string) {
		got := runPath(t, path, simdconv.NewShape(1, 3, 3, 3, 2, 1, 1), x, k, nil)
		want := matmul(k, x, 2, 3, 9)
		for i := range want {
			assert.Equal(t, float32(want[i]), got[i], "output %d", i) // small integers: exact
		}
	})
	// Large random cases, including sizes off every register block.
	for _, c := range []struct{ ci, co, h, w int }{{64, 64, 17, 19}, {3, 70, 31, 9}, {129, 33, 7, 7}, {256, 40, 5, 13}} {
		x := randData(rng, c.ci*c.h*c.w)
		k := randData(rng, c.co*c.ci)
		forEachPath(t, false, func(t *testing.T, path string) {
			got := runPath(t, path, simdconv.NewShape(1, c.ci, c.h, c.w, c.co, 1, 1), x, k, nil)
			want := matmul(k, x, c.co, c.ci, c.h*c.w)
			for i := range want {
				// Error bound of a Ci-term sum: gamma(Ci+2) * sum|a*b|.
				var abs float64
				row, col := i/(c.h*c.w), i%(c.h*c.w)
				for kk := 0; kk < c.ci; kk++ {
					abs += math.Abs(float64(k[row*c.ci+kk]) * float64(x[kk*c.h*c.w+col]))
				}
				u := 0x1p-24 * float64(c.ci+2)
				require.LessOrEqual(t, math.Abs(float64(got[i])-want[i]), u/(1-u)*abs, "output %d", i)
			}
		})
	}
}

func TestCostOfKnownLayers(t *testing.T) {
	for _, c := range []struct {
		name   string
		s      simdconv.Shape
		oh, ow int
		macs   int64
	}{
		{"textbook", simdconv.NewShape(1, 2, 3, 3, 1, 2, 2), 2, 2, 2 * 4 * 4},
		{"r50_conv1", simdconv.NewShape(1, 3, 224, 224, 64, 7, 7).WithStride(2, 2).WithPadding(3, 3, 3, 3), 112, 112, 118013952},
		{"r50_2_3x3", simdconv.NewShape(1, 64, 56, 56, 64, 3, 3).WithPadding(1, 1, 1, 1), 56, 56, 115605504},
		{"r50_3_s2", simdconv.NewShape(1, 128, 56, 56, 128, 3, 3).WithStride(2, 2).WithPadding(1, 1, 1, 1), 28, 28, 115605504},
		{"r50_5_1x1_expand", simdconv.NewShape(1, 512, 7, 7, 2048, 1, 1), 7, 7, 51380224},
		{"vgg_3_3x3", simdconv.NewShape(1, 256, 56, 56, 256, 3, 3).WithPadding(1, 1, 1, 1), 56, 56, 1849688064},
		{"mbv1_dw3x3", simdconv.NewShape(1, 256, 28, 28, 256, 3, 3).WithPadding(1, 1, 1, 1).WithGroups(256), 28, 28, 1806336},
		{"dilated", simdconv.NewShape(2, 4, 10, 10, 6, 3, 3).WithDilation(2, 2), 6, 6, 2 * 6 * 4 * 9 * 36},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, c.s.Validate())
			oh, ow := c.s.OutputSize()
			assert.Equal(t, [2]int{c.oh, c.ow}, [2]int{oh, ow})
			assert.Equal(t, c.macs, c.s.MACs())
			assert.Equal(t, 2*c.macs, c.s.FLOPs())
			assert.Equal(t, c.s.N*c.s.Co*oh*ow, c.s.OutputLen())
			assert.Equal(t, c.s.N*c.s.Ci*c.s.H*c.s.W, c.s.InputLen())
			assert.Equal(t, c.s.Co*(c.s.Ci/c.s.Groups)*c.s.Kh*c.s.Kw, c.s.WeightsLen())
		})
	}
}

// randomShape draws a layer from the whole parameter space, kept small
// enough for the float64 reference.
func randomShape(rng *rand.Rand) simdconv.Shape {
	for {
		g := 1
		switch rng.IntN(4) {
		case 0:
			g = 1 + rng.IntN(4)
		case 1:
			g = 0 // depthwise, below
		}
		cig, cog := 1+rng.IntN(9), 1+rng.IntN(12)
		if g == 0 {
			g, cig, cog = 1+rng.IntN(12), 1, 1+rng.IntN(2)
		}
		s := simdconv.NewShape(1+rng.IntN(2), g*cig, 1+rng.IntN(16), 1+rng.IntN(20), g*cog, 1+rng.IntN(5), 1+rng.IntN(5)).
			WithStride(1+rng.IntN(3), 1+rng.IntN(3)).
			WithDilation(1+rng.IntN(2), 1+rng.IntN(3)).
			WithGroups(g).
			WithPadding(rng.IntN(3), rng.IntN(3), rng.IntN(4), rng.IntN(3))
		if s.Validate() == nil {
			return s
		}
	}
}

func TestRandomShapesAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const count = 250
	shapes := make([]simdconv.Shape, count)
	for i := range shapes {
		shapes[i] = randomShape(rng)
	}
	forEachPath(t, true, func(t *testing.T, path string) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, s := range shapes {
			x := randData(rng, s.InputLen())
			w := randData(rng, s.WeightsLen())
			var b []float32
			var opts []simdconv.Option
			lo, hi := float32(math.Inf(-1)), float32(math.Inf(1))
			if rng.IntN(2) == 0 {
				b = randData(rng, s.Co)
			}
			if rng.IntN(3) == 0 {
				lo, hi = -0.5, 0.75
				opts = append(opts, simdconv.WithClamp(lo, hi))
			}
			got := runPath(t, path, s, x, w, b, opts...)
			checkConv(t, s, got, x, w, b, lo, hi)
		}
	})
}

func TestFusedActivations(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	s := simdconv.NewShape(1, 5, 9, 11, 7, 3, 3).WithPadding(1, 1, 1, 1)
	x, w, b := randData(rng, s.InputLen()), randData(rng, s.WeightsLen()), randData(rng, s.Co)
	forEachPath(t, true, func(t *testing.T, path string) {
		plain := runPath(t, path, s, x, w, b)
		relu := runPath(t, path, s, x, w, b, simdconv.WithReLU())
		relu6 := runPath(t, path, s, x, w, b, simdconv.WithReLU6())
		for i, v := range plain {
			assert.Equal(t, max(v, 0), relu[i])
			assert.Equal(t, min(max(v, 0), 6), relu6[i])
		}
	})
}

// Bitwise identical results for every worker count.
func TestDeterministicAcrossWorkers(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	shapes := []simdconv.Shape{
		simdconv.NewShape(2, 32, 30, 30, 48, 3, 3).WithPadding(1, 1, 1, 1),
		simdconv.NewShape(1, 64, 28, 28, 64, 1, 1),
		simdconv.NewShape(1, 48, 20, 20, 48, 3, 3).WithPadding(1, 1, 1, 1).WithGroups(48),
		simdconv.NewShape(1, 16, 40, 40, 24, 5, 5).WithStride(2, 2).WithPadding(2, 2, 2, 2),
		simdconv.NewShape(1, 64, 7, 7, 176, 3, 3).WithPadding(1, 1, 1, 1), // tile width depends on workers
		simdconv.NewShape(1, 32, 21, 21, 32, 5, 5).WithPadding(2, 2, 2, 2).WithGroups(32),
	}
	forEachPath(t, false, func(t *testing.T, path string) {
		for _, s := range shapes {
			x, w, b := randData(rng, s.InputLen()), randData(rng, s.WeightsLen()), randData(rng, s.Co)
			one := runPath(t, path, s, x, w, b, simdconv.WithWorkers(1))
			for _, workers := range []int{2, 3, 7} {
				again := runPath(t, path, s, x, w, b, simdconv.WithWorkers(workers))
				require.Equal(t, one, again, "%v with %d workers", s, workers)
			}
			require.Equal(t, one, runPath(t, path, s, x, w, b, simdconv.WithWorkers(1)))
		}
	})
}

// A worker keeps the virtual input it built for its next task of the same
// block, within a call only: a second call on new data in the same input
// buffer must see the new data, for one worker or several, whether the
// layer splits into output-channel chunks or blocks of rows.
func TestNewInputInSameBuffer(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	shapes := []simdconv.Shape{
		simdconv.NewShape(1, 32, 7, 7, 128, 3, 3).WithPadding(1, 1, 1, 1), // output-channel chunks of one block
		simdconv.NewShape(2, 8, 36, 36, 16, 3, 3).WithPadding(1, 1, 1, 1),
		simdconv.NewShape(1, 8, 30, 30, 16, 5, 5).WithStride(2, 2).WithPadding(2, 2, 2, 2),
		simdconv.NewShape(1, 16, 24, 24, 16, 5, 5).WithPadding(2, 2, 2, 2).WithGroups(16),
	}
	for _, s := range shapes {
		w, b := randData(rng, s.WeightsLen()), randData(rng, s.Co)
		x1, x2 := randData(rng, s.InputLen()), randData(rng, s.InputLen())
		want1, want2 := expected(s, x1, w, b), expected(s, x2, w, b)
		forEachPath(t, false, func(t *testing.T, path string) {
			for _, workers := range []int{1, 2, 3} {
				p, err := simdconv.NewPlan(s, w, b, simdconv.WithKernel(path), simdconv.WithWorkers(workers))
				require.NoError(t, err)
				x, y := append([]float32(nil), x1...), make([]float32, s.OutputLen())
				for call, want := range [][]check.Acc{want1, want2} {
					if call == 1 {
						copy(x, x2)
					}
					require.NoError(t, p.Forward(y, x))
					for i := range y {
						if err := want[i].Check(y[i], negInf, posInf); err != nil {
							t.Fatalf("%v, %d workers, call %d: output %d: %v", s, workers, call+1, i, err)
						}
					}
				}
			}
		})
	}
}

func TestForwardAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for _, s := range []simdconv.Shape{
		simdconv.NewShape(1, 2, 3, 3, 1, 2, 2),
		simdconv.NewShape(1, 64, 28, 28, 64, 1, 1),
		simdconv.NewShape(2, 32, 28, 28, 32, 3, 3).WithPadding(1, 1, 1, 1),
		simdconv.NewShape(1, 32, 28, 28, 32, 3, 3).WithPadding(1, 1, 1, 1).WithGroups(32),
	} {
		forEachPath(t, true, func(t *testing.T, path string) {
			p, err := simdconv.NewPlan(s, randData(rng, s.WeightsLen()), randData(rng, s.Co),
				simdconv.WithKernel(path), simdconv.WithWorkers(2))
			require.NoError(t, err)
			x, y := randData(rng, s.InputLen()), make([]float32, s.OutputLen())
			require.NoError(t, p.Forward(y, x)) // first call sizes the scratch
			allocs := testing.AllocsPerRun(20, func() {
				if err := p.Forward(y, x); err != nil {
					panic(err)
				}
			})
			assert.Zero(t, allocs, "%v", s)
		})
	}
}

// With several workers on several threads (testing.AllocsPerRun runs on
// one), helpers take tasks, park between calls and are woken again, and
// simdconv allocates nothing. The Go runtime may: each parked goroutine
// needs a record (a sudog) that the runtime allocates when its per-thread
// caches of them run dry, as they do when goroutines wake on other threads
// and at each collection. So the test reruns itself with every allocation
// profiled (GODEBUG=memprofilerate=1, set before the runtime starts) and
// fails on any allocation made in those calls other than such a record.
func TestParallelForwardAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	if os.Getenv("SIMDCONV_ALLOC_CHILD") == "" {
		if testing.Short() {
			t.Skip("reruns the test binary")
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestParallelForwardAllocatesNothing$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "SIMDCONV_ALLOC_CHILD=1", "GODEBUG=memprofilerate=1")
		out, err := cmd.CombinedOutput()
		if errors.Is(err, syscall.ENOEXEC) {
			// Under user-mode emulation (go test -exec qemu-...) without
			// the kernel's binfmt handler, the binary cannot run itself.
			t.Skipf("cannot rerun the test binary here: %v", err)
		}
		require.NoError(t, err, "%s", out)
		require.Contains(t, string(out), "--- PASS: TestParallelForwardAllocatesNothing", "%s", out)
		t.Logf("%s", out)
		return
	}
	require.Equal(t, 1, runtime.MemProfileRate, "run with GODEBUG=memprofilerate=1")
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	rng := rand.New(rand.NewPCG(15, 16))
	s := simdconv.NewShape(2, 32, 28, 28, 48, 3, 3).WithPadding(1, 1, 1, 1)
	forEachPath(t, false, func(t *testing.T, path string) {
		p, err := simdconv.NewPlan(s, randData(rng, s.WeightsLen()), nil,
			simdconv.WithKernel(path), simdconv.WithWorkers(3))
		require.NoError(t, err)
		require.Greater(t, p.Info().Tasks, 3, "the layer must give every worker tasks")
		x, y := randData(rng, s.InputLen()), make([]float32, s.OutputLen())
		calls := func(n int) {
			for i := range n {
				require.NoError(t, p.Forward(y, x))
				if i%2 == 1 {
					time.Sleep(200 * time.Microsecond) // the helpers park
				}
			}
		}
		calls(4) // the first call sizes the scratch and starts the helpers
		before := allocSites()
		calls(100)
		after := allocSites()
		var parked int64
		for site, n := range after {
			n -= before[site]
			switch {
			case n == 0:
			case strings.Contains(site, "\truntime.acquireSudog\n"):
				parked += n
			case libraryFrame.MatchString(firstCaller(site)):
				t.Errorf("%d allocations in 100 calls at\n%s", n, site)
			}
		}
		t.Logf("100 calls: %d allocations by the runtime for parked goroutines", parked)
	})
}

// libraryFrame matches the functions of simdconv's packages (not the tests').
var libraryFrame = regexp.MustCompile(`^github\.com/simdconv/simdconv(/[a-z/]+)?\.`)

// firstCaller is the first function of a stack from allocSites that is
// not the runtime's: the code that made the allocation.
func firstCaller(site string) string {
	for _, f := range strings.Split(site, "\n") {
		f = strings.TrimSpace(f)
		if f != "" && !strings.HasPrefix(f, "runtime.") {
			return f
		}
	}
	return ""
}

// allocSites returns the allocations made so far, by call stack (the
// profile of runtime.MemProfile, two collections after the last of them).
func allocSites() map[string]int64 {
	runtime.GC()
	runtime.GC()
	var records []runtime.MemProfileRecord
	n, _ := runtime.MemProfile(nil, true)
	for {
		records = make([]runtime.MemProfileRecord, n+64)
		var ok bool
		if n, ok = runtime.MemProfile(records, true); ok {
			break
		}
	}
	sites := map[string]int64{}
	for _, r := range records[:n] {
		var b strings.Builder
		frames := runtime.CallersFrames(r.Stack())
		for {
			f, more := frames.Next()
			fmt.Fprintf(&b, "\t%s\n", f.Function)
			if !more {
				break
			}
		}
		sites[b.String()] += r.AllocObjects
	}
	return sites
}

// Many goroutines share one plan, of one worker (each call runs its tasks
// itself) or three (calls share the helper pool); run under -race.
func TestConcurrentForward(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	s := simdconv.NewShape(1, 24, 20, 20, 40, 3, 3).WithPadding(1, 1, 1, 1)
	x, w := randData(rng, s.InputLen()), randData(rng, s.WeightsLen())
	forEachPath(t, false, func(t *testing.T, path string) {
		want := runPath(t, path, s, x, w, nil, simdconv.WithWorkers(1))
		for _, workers := range []int{1, 3} {
			concurrentForward(t, path, s, x, w, want, workers)
		}
	})
}

func concurrentForward(t *testing.T, path string, s simdconv.Shape, x, w, want []float32, workers int) {
	p, err := simdconv.NewPlan(s, w, nil, simdconv.WithKernel(path), simdconv.WithWorkers(workers))
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			y := make([]float32, s.OutputLen())
			for i := 0; i < 10; i++ {
				if err := p.Forward(y, x); err != nil {
					errs <- err
					return
				}
				for j := range y {
					if y[j] != want[j] {
						errs <- fmt.Errorf("%d workers: goroutine result differs at %d", workers, j)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPlanInfo(t *testing.T) {
	forEachPath(t, true, func(t *testing.T, path string) {
		s := simdconv.NewShape(1, 16, 14, 14, 32, 3, 3).WithPadding(1, 1, 1, 1)
		p, err := simdconv.NewPlan(s, make([]float32, s.WeightsLen()), nil, simdconv.WithKernel(path), simdconv.WithWorkers(4))
		require.NoError(t, err)
		info := p.Info()
		assert.Equal(t, path, info.Path)
		assert.NotEmpty(t, info.Algorithm)
		assert.NotEmpty(t, info.Kernel)
		assert.NotEmpty(t, info.Tile)
		assert.GreaterOrEqual(t, info.Workers, 1)
		assert.Equal(t, s, p.Shape())
	})
}

// A layer too small to share among workers is planned as for one worker:
// the same tasks, run by one goroutine, whatever WithWorkers asks for.
func TestSmallLayerPlannedForOneWorker(t *testing.T) {
	forEachPath(t, false, func(t *testing.T, path string) {
		for _, s := range []simdconv.Shape{
			simdconv.NewShape(1, 2, 3, 3, 1, 2, 2),
			simdconv.NewShape(1, 16, 20, 20, 16, 3, 3).WithPadding(1, 1, 1, 1), // 0.9M multiply-adds
		} {
			info := func(workers int) simdconv.PlanInfo {
				p, err := simdconv.NewPlan(s, make([]float32, s.WeightsLen()), nil, simdconv.WithKernel(path), simdconv.WithWorkers(workers))
				require.NoError(t, err)
				return p.Info()
			}
			assert.Equal(t, info(1), info(4), "%v", s)
		}
	})
}
