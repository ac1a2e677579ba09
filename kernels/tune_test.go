//go:build unix

package kernels

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestTune prints, for every layer of the benchmark set and every candidate
// algorithm of each SIMD ISA, the single-thread GFLOP/s and the cost-model
// choice. It measures the thread's CPU time (best of several calls), so
// other processes on the machine disturb it less than wall time. It runs
// only with SIMDCONV_TUNE=1 (optionally SIMDCONV_TUNE_LAYERS=regexp-free
// substring list, comma separated).
func TestTune(t *testing.T) {
	tuneLayers(t, "compare algorithms", func(isa ISA, l namedLayer, w, x, y []float32, flops float64) {
		auto := Compile(l.c, isa, w, nil, float32(math.Inf(-1)), float32(math.Inf(1)), 1)
		line := fmt.Sprintf("%-5s %-17s auto=%-10s", isa, l.name, autoChoice(auto))
		for _, cand := range candidates(isa) {
			forcedChoice = func() choice { return cand }
			p := Compile(l.c, isa, w, nil, float32(math.Inf(-1)), float32(math.Inf(1)), 1)
			forcedChoice = nil
			best := timeProgram(p, y, x)
			line += fmt.Sprintf(" %s=%5.1f", cand, flops/best/1e9)
			if os.Getenv("SIMDCONV_TUNE_MODEL") != "" {
				// The model's estimate, in GFLOP/s at the measured peak.
				lanes := archPixelKernels[0].lanes
				split, flat := newGeometry(l.c, true, l.c.H), newGeometry(l.c, false, l.c.H)
				var cost float64
				if cand.mr > 0 {
					cost = pixelCost(l.c, &split, byVPixel(kernelsMR(isa, cand.mr)))
				} else {
					ks := byV(kernelsNR(isa, cand.nr))
					var half []*channelKernel
					if ks[0].runs > 0 {
						half = byV(kernelsNR(isa, cand.nr/2))
					}
					cost = channelCost(l.c, &flat, ks, half, cand.rows)
				}
				_ = lanes
				line += fmt.Sprintf("(%3.0f%%)", 100*flops/2/cost)
			}
		}
		t.Log(line)
	})
}

// tuneLayers skips t unless SIMDCONV_TUNE is set (to do what the message
// says), then runs body on one locked thread for every SIMD ISA this CPU
// runs and every layer of the benchmark set (or those whose names contain
// one of the comma-separated SIMDCONV_TUNE_LAYERS), with weights, input and
// output buffers and the layer's floating-point operations.
func tuneLayers(t *testing.T, what string, body func(isa ISA, l namedLayer, w, x, y []float32, flops float64)) {
	if os.Getenv("SIMDCONV_TUNE") == "" {
		t.Skip("set SIMDCONV_TUNE=1 to " + what)
	}
	layers := readLayers(t, "../bench/layers.csv")
	only := os.Getenv("SIMDCONV_TUNE_LAYERS")
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for _, isa := range []ISA{AVX512, AVX2, NEON} {
		if !Compiled(isa) || len(Missing(isa)) > 0 {
			continue
		}
		for _, l := range layers {
			if only != "" && !containsAny(l.name, strings.Split(only, ",")) {
				continue
			}
			c := l.c
			w := make([]float32, c.Co*(c.Ci/c.G)*c.Kh*c.Kw)
			x := make([]float32, c.N*c.Ci*c.H*c.W)
			for i := range w {
				w[i] = float32(i%7) * 0.01
			}
			for i := range x {
				x[i] = float32(i%5) * 0.1
			}
			oh, ow := c.OutputSize()
			y := make([]float32, c.N*c.Co*oh*ow)
			body(isa, l, w, x, y, 2*float64(c.N*c.Co*(c.Ci/c.G)*c.Kh*c.Kw*oh*ow))
		}
	}
}

// candidates lists every algorithm and tile the cost model weighs for isa.
func candidates(isa ISA) []choice {
	var c []choice
	seen := map[choice]bool{}
	add := func(ch choice) {
		if !seen[ch] {
			seen[ch] = true
			c = append(c, ch)
		}
	}
	for _, k := range archPixelKernels {
		if k.isa == isa && k.mr > 1 {
			add(choice{mr: k.mr})
		}
	}
	for _, k := range archChannelKernels {
		if k.isa == isa {
			add(choice{nr: k.nr, rows: k.v * k.lanes})
		}
	}
	sort.Slice(c, func(i, j int) bool { return c[i].String() < c[j].String() })
	return c
}

func kernelsMR(isa ISA, mr int) []*pixelKernel {
	var ks []*pixelKernel
	for i := range archPixelKernels {
		if k := &archPixelKernels[i]; k.isa == isa && k.mr == mr {
			ks = append(ks, k)
		}
	}
	return ks
}

func kernelsNR(isa ISA, nr int) []*channelKernel {
	var ks []*channelKernel
	for i := range archChannelKernels {
		if k := &archChannelKernels[i]; k.isa == isa && k.nr == nr {
			ks = append(ks, k)
		}
	}
	return ks
}

// autoChoice names the cost model's choice for p as candidates does.
func autoChoice(p *Program) string {
	switch {
	case p.simd == nil || p.simd.dw != nil:
		return p.Describe().Kernel
	case p.simd.ch != nil:
		return choice{nr: p.simd.nr, rows: p.simd.rows}.String()
	}
	return choice{mr: p.simd.rows}.String()
}

// timeProgram runs p single-threaded and returns the best thread-CPU time
// of one call, in seconds.
func timeProgram(p *Program, y, x []float32) float64 {
	work := p.NewScratch()
	call := func() {
		work.Forget()
		for t := 0; t < p.Tasks(); t++ {
			p.Run(t, y, x, work)
		}
	}
	call()
	best := math.Inf(1)
	var total float64
	for rep := 0; rep < 200 && total < 0.3; rep++ {
		t0 := threadTime()
		call()
		d := threadTime() - t0
		total += d
		best = min(best, d)
	}
	return best
}

func threadTime() float64 {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	return float64(ts.Sec) + float64(ts.Nsec)*1e-9
}

type namedLayer struct {
	name string
	c    Conv
}

func readLayers(t *testing.T, path string) []namedLayer {
	f, err := os.Open(path)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var ls []namedLayer
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, ",")
		v := make([]int, len(f))
		for i := 1; i < len(f); i++ {
			v[i], _ = strconv.Atoi(f[i])
		}
		ls = append(ls, namedLayer{f[0], Conv{N: v[1], Ci: v[2], H: v[3], W: v[4], Co: v[5], Kh: v[6], Kw: v[7],
			SH: v[8], SW: v[8], PT: v[9], PB: v[9], PL: v[9], PR: v[9], DH: v[10], DW: v[10], G: v[11]}})
	}
	return ls
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestTuneEdgeTiles measures, for every layer of the benchmark set that the
// channel algorithm computes from a virtual input, the plan with tiles that
// read the input in place (edges.go, whether or not minCopySaved admits
// them) against the plan that copies the whole virtual input: calls of the
// two alternate, so that a disturbance of the machine hits both, and each
// reports its best and median GFLOP/s in thread CPU time, beside the
// copying the direct tiles save, per multiply-add. It runs only with
// SIMDCONV_TUNE=1 (and SIMDCONV_TUNE_LAYERS, as TestTune).
func TestTuneEdgeTiles(t *testing.T) {
	tuneLayers(t, "measure the direct tiles", func(isa ISA, l namedLayer, w, x, y []float32, flops float64) {
		c := l.c
		direct := Compile(c, isa, w, nil, float32(math.Inf(-1)), float32(math.Inf(1)), 1)
		s := direct.simd
		if s == nil || s.ch == nil || direct.g.direct {
			return
		}
		s.edges = newEdgeTiles(c, &direct.g, direct.nBlocks, s.nr)
		copied := Compile(c, isa, w, nil, float32(math.Inf(-1)), float32(math.Inf(1)), 1)
		copied.simd.edges = nil
		g := &direct.g
		saved := float64(direct.nBlocks*g.blockVinLen() - s.edges.fillElems(g))
		macs := flops / 2 / float64(c.N*c.G)
		progs := []*Program{direct, copied}
		work := []*Scratch{direct.NewScratch(), copied.NewScratch()}
		times := make([][]float64, 2)
		for rep := 0; rep < 200; rep++ {
			for i, p := range progs {
				work[i].Forget()
				t0 := threadTime()
				for task := 0; task < p.Tasks(); task++ {
					p.Run(task, y, x, work[i])
				}
				times[i] = append(times[i], threadTime()-t0)
			}
		}
		line := fmt.Sprintf("%-5s %-15s saves 1 copy per %5.0f MACs (admitted %-5v):", isa, l.name, macs/saved, s.edges.worthIt(direct))
		for i, name := range []string{"direct", "copied"} {
			sort.Float64s(times[i])
			line += fmt.Sprintf("  %s best %5.1f median %5.1f", name, flops/times[i][0]/1e9, flops/times[i][len(times[i])/2]/1e9)
		}
		t.Log(line)
	})
}
