package simdconv

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/simdconv/simdconv/kernels"
)

// Kernel paths. A plan runs on exactly one of them.
const (
	PathAVX512  = "avx512"  // amd64 with AVX-512 (the features kernels.Features lists)
	PathAVX2    = "avx2"    // amd64 with AVX2 and FMA
	PathNEON    = "neon"    // arm64 Advanced SIMD
	PathGeneric = "generic" // pure Go, every CPU
	// PathNaive is the reference loops: obviously correct and slow. It is
	// never chosen automatically; force it to compare against.
	PathNaive = "naive"
)

// EnvKernel is the environment variable that forces a path for every plan
// that does not force one itself, read once at start-up. An unknown or
// unavailable value makes NewPlan fail with ErrPath; it never falls back.
const EnvKernel = "SIMDCONV_KERNEL"

// paths lists every SIMD path best first; generic always follows.
var paths = []struct {
	name string
	isa  kernels.ISA
}{
	{PathAVX512, kernels.AVX512},
	{PathAVX2, kernels.AVX2},
	{PathNEON, kernels.NEON},
	{PathGeneric, kernels.Generic},
}

// detected is the dispatch decision, made once at start-up.
var detected = detect()

type dispatch struct {
	available []string // best first
	def       string   // path used when none is forced
	reason    string
	envErr    error // a bad SIMDCONV_KERNEL value
}

func detect() dispatch {
	var d dispatch
	for _, p := range paths {
		if ok, _ := isaAvailable(p.isa); ok {
			d.available = append(d.available, p.name)
		}
	}
	d.def = d.available[0]
	d.reason = "best path this CPU and build offer"
	if env, ok := os.LookupEnv(EnvKernel); ok && env != "" {
		if _, err := resolvePath(env, EnvKernel); err != nil {
			d.envErr = err
		} else {
			d.def, d.reason = env, EnvKernel+"="+env
		}
	}
	return d
}

// isaAvailable reports whether this build has the kernels of isa and this CPU
// has every feature they use, and if not, why.
func isaAvailable(isa kernels.ISA) (bool, string) {
	if !kernels.Compiled(isa) {
		if isa == kernels.AVX512 || isa == kernels.AVX2 || isa == kernels.NEON {
			return false, fmt.Sprintf("this build has no %s kernels (GOARCH=%s%s)", isa, runtime.GOARCH, pureGoNote())
		}
		return false, "unknown"
	}
	if missing := kernels.Missing(isa); len(missing) > 0 {
		return false, "this CPU lacks " + strings.Join(missing, ", ")
	}
	return true, ""
}

func pureGoNote() string {
	if kernels.PureGo {
		return ", purego build tag"
	}
	return ""
}

// resolvePath maps a path name to what runs it; naive reports ok with
// isNaive. source names where the name came from, for the error.
func resolvePath(name, source string) (pathChoice, error) {
	if name == PathNaive {
		return pathChoice{name: name, naive: true}, nil
	}
	for _, p := range paths {
		if p.name == name {
			if ok, why := isaAvailable(p.isa); !ok {
				return pathChoice{}, fmt.Errorf("%w: %s=%q: %s", ErrPath, source, name, why)
			}
			return pathChoice{name: name, isa: p.isa}, nil
		}
	}
	return pathChoice{}, fmt.Errorf("%w: %s=%q is not a path (want one of avx512, avx2, neon, generic, naive)", ErrPath, source, name)
}

type pathChoice struct {
	name  string
	isa   kernels.ISA
	naive bool
}

// choosePath picks the path of a new plan: the forced one, else the one
// SIMDCONV_KERNEL names, else the best available.
func choosePath(forced string) (pathChoice, error) {
	if forced != "" {
		return resolvePath(forced, "WithKernel")
	}
	if detected.envErr != nil {
		return pathChoice{}, detected.envErr
	}
	return resolvePath(detected.def, "default")
}

// Paths returns the kernel paths this CPU and build can run, best first. The
// naive reference path is always available too but never listed or chosen
// automatically.
func Paths() []string { return append([]string(nil), detected.available...) }

// CPUInfo describes what the CPU offers and which path plans use.
type CPUInfo struct {
	GOARCH   string
	Features []string          // SIMD features detected (with OS support), in kernels' naming
	Paths    []string          // paths available, best first
	Missing  map[string]string // for each path not available: why
	Default  string            // the path plans use unless they force one
	Reason   string            // why Default was chosen
	EnvError error             // a SIMDCONV_KERNEL value that plans will reject
	PureGo   bool              // built with the purego tag
}

// CPU reports what the CPU offers and the dispatch decision, for bug reports
// and benchmark tables.
func CPU() CPUInfo {
	info := CPUInfo{
		GOARCH:   runtime.GOARCH,
		Paths:    Paths(),
		Missing:  map[string]string{},
		Default:  detected.def,
		Reason:   detected.reason,
		EnvError: detected.envErr,
		PureGo:   kernels.PureGo,
	}
	for _, f := range kernels.KnownFeatures() {
		if kernels.CPUHas(f) {
			info.Features = append(info.Features, f)
		}
	}
	for _, p := range paths {
		if ok, why := isaAvailable(p.isa); !ok {
			info.Missing[p.name] = why
		}
	}
	return info
}

// String formats the report on a few lines.
func (c CPUInfo) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "GOARCH=%s features=[%s] purego=%v\n", c.GOARCH, strings.Join(c.Features, " "), c.PureGo)
	fmt.Fprintf(&b, "paths=[%s] default=%s (%s)", strings.Join(c.Paths, " "), c.Default, c.Reason)
	for _, p := range paths {
		if why, ok := c.Missing[p.name]; ok {
			fmt.Fprintf(&b, "\n  %s unavailable: %s", p.name, why)
		}
	}
	if c.EnvError != nil {
		fmt.Fprintf(&b, "\n  %v", c.EnvError)
	}
	return b.String()
}
