//go:build linux

package kernels

import (
	"os"
	"syscall"
	"testing"
	"unsafe"
)

// guardsOff is set by SIMDCONV_NO_GUARD_PAGES=1, for x86 emulation: QEMU
// (7.2) faults on a VMASKMOVPS load whose masked-off lanes reach an
// inaccessible page, which the hardware never does (Intel SDM: masked-off
// elements cause no fault). Native runs keep the guard pages.
var guardsOff = os.Getenv("SIMDCONV_NO_GUARD_PAGES") == "1"

// guarded returns n float32s placed flush against an inaccessible
// (PROT_NONE) page: after the last element when atEnd, else before the
// first. Reading or writing one element outside the slice on that side
// faults the test. The memory lives outside the Go heap and is unmapped at
// the end of the test.
func guarded(t testing.TB, n int, atEnd bool) []float32 {
	t.Helper()
	if guardsOff {
		return make([]float32, n)
	}
	page := syscall.Getpagesize()
	bytes := (n*4 + page - 1) / page * page
	mem, err := syscall.Mmap(-1, 0, bytes+2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatalf("mmap: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[:page], syscall.PROT_NONE); err != nil {
		t.Fatalf("mprotect: %v", err)
	}
	if err := syscall.Mprotect(mem[page+bytes:], syscall.PROT_NONE); err != nil {
		t.Fatalf("mprotect: %v", err)
	}
	start := page
	if atEnd {
		start = page + bytes - n*4
	}
	if n == 0 {
		return []float32{}
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&mem[start])), n)
}
