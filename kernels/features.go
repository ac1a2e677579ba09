package kernels

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
