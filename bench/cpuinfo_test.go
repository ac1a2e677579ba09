package main

import "testing"

func TestEmulationDetected(t *testing.T) {
	x86 := map[string]string{"vendor_id": "AuthenticAMD", "flags": "fpu avx2", "model name": "AMD EPYC"}
	arm := map[string]string{"CPU implementer": "0x41", "Features": "fp asimd"}
	for _, c := range []struct {
		goarch string
		kv     map[string]string
		want   bool
	}{
		{"arm64", x86, true}, {"riscv64", x86, true}, {"amd64", x86, false},
		{"arm64", arm, false}, {"amd64", arm, true}, {"arm64", map[string]string{}, false},
	} {
		if got := emulation(c.goarch, c.kv) != ""; got != c.want {
			t.Errorf("emulation(%s, %v) = %v, want %v", c.goarch, c.kv, got, c.want)
		}
	}
}
