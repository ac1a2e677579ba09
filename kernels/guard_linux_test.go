//go:build linux

package kernels

import (
	"syscall"
	"testing"
	"unsafe"
)

const guardsWork = true

// guarded returns n float32s placed flush against an inaccessible
// (PROT_NONE) page: after the last element when atEnd, else before the
// first. Reading or writing one element outside the slice on that side
// faults the test. The memory lives outside the Go heap and is unmapped at
// the end of the test.
func guarded(t testing.TB, n int, atEnd bool) []float32 {
	t.Helper()
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
