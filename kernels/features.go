package kernels

import (
	"runtime"

	"golang.org/x/sys/cpu"
)

// Features lists the CPU features that the kernels of isa use, named as in
// the "// Requires:" lines avo writes above each generated function (for
// example AVX2, FMA3, AVX512F). Dispatch must find every one of them.
func Features(isa ISA) []string { return append([]string(nil), archFeatures[isa]...) }

// Compiled reports whether this build contains the kernels of isa. The
// generic kernels are always compiled; SIMD kernels are absent from other
// architectures and from builds with the purego tag.
func Compiled(isa ISA) bool {
	if isa == Generic {
		return true
	}
	_, ok := archFeatures[isa]
	return ok
}

// cpuFeatures maps feature names to what golang.org/x/sys/cpu detected, OS
// support included. HasFMA is not OS-checked on its own, so every path that
// needs FMA3 also needs AVX2 or AVX-512, which are.
var cpuFeatures = map[string]bool{
	"AVX":      cpu.X86.HasAVX,
	"AVX2":     cpu.X86.HasAVX2,
	"FMA3":     cpu.X86.HasFMA,
	"AVX512F":  cpu.X86.HasAVX512F,
	"AVX512VL": cpu.X86.HasAVX512VL,
	"AVX512BW": cpu.X86.HasAVX512BW,
	"AVX512DQ": cpu.X86.HasAVX512DQ,
	"ASIMD":    cpu.ARM64.HasASIMD,
	// Part of every amd64 CPU (CMOV and SSE2 are in the amd64 baseline; avo
	// files the PREFETCHh instructions under "MMX+").
	"CMOV": runtime.GOARCH == "amd64",
	"SSE":  runtime.GOARCH == "amd64",
	"SSE2": runtime.GOARCH == "amd64",
	"MMX+": runtime.GOARCH == "amd64",
}

// KnownFeatures lists the feature names CPUHas can answer, in a fixed order.
func KnownFeatures() []string {
	return []string{"AVX", "AVX2", "FMA3", "AVX512F", "AVX512VL", "AVX512BW", "AVX512DQ", "ASIMD"}
}

// CPUHas reports whether the CPU (and OS) supports a feature. Unknown names
// report false, so a kernel that needs a feature dispatch does not know is
// never run.
func CPUHas(feature string) bool { return cpuFeatures[feature] }

// Missing returns the features the kernels of isa need that this CPU lacks
// (none for the generic kernels).
func Missing(isa ISA) []string {
	var m []string
	for _, f := range archFeatures[isa] {
		if !CPUHas(f) {
			m = append(m, f)
		}
	}
	return m
}
