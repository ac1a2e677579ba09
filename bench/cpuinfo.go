package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"

	"github.com/simdconv/simdconv"
)

// CPUInfo identifies the machine a result comes from.
type CPUInfo struct {
	Model         string            `json:"model"`          // e.g. "AMD EPYC 9654"; "unknown" if the OS does not say
	Vendor        string            `json:"vendor"`         // e.g. "AuthenticAMD", "GenuineIntel", "Apple"
	LogicalCPUs   int               `json:"logical_cpus"`   // runtime.NumCPU
	PhysicalCores int               `json:"physical_cores"` // 0 if unknown
	GOMAXPROCS    int               `json:"gomaxprocs"`     // the "all workers" thread count
	GOOS          string            `json:"goos"`
	GOARCH        string            `json:"goarch"`
	Features      []string          `json:"features"` // SIMD features simdconv detected
	Paths         []string          `json:"paths"`    // simdconv paths available, best first
	Default       string            `json:"default_path"`
	Unavailable   map[string]string `json:"unavailable,omitempty"` // simdconv paths this machine lacks, and why
	PureGo        bool              `json:"purego"`
	// Emulated, when not empty, says why this run looks emulated (a binary
	// for one architecture on a CPU of another, as under qemu-user): its
	// timings say nothing about any real CPU.
	Emulated string `json:"emulated,omitempty"`
}

// identifyCPU gathers what the OS and simdconv say about this CPU. It never
// fails: what cannot be found is left "unknown" or zero.
func identifyCPU() CPUInfo {
	sc := simdconv.CPU()
	info := CPUInfo{
		Model:       "unknown",
		Vendor:      "unknown",
		LogicalCPUs: runtime.NumCPU(),
		GOMAXPROCS:  runtime.GOMAXPROCS(0),
		GOOS:        runtime.GOOS,
		GOARCH:      runtime.GOARCH,
		Features:    sc.Features,
		Paths:       sc.Paths,
		Default:     sc.Default,
		Unavailable: sc.Missing,
		PureGo:      sc.PureGo,
	}
	switch runtime.GOOS {
	case "linux", "android":
		if f, err := os.Open("/proc/cpuinfo"); err == nil {
			defer f.Close()
			parseProcCPUInfo(f, &info)
		}
	case "darwin":
		if s := sysctl("machdep.cpu.brand_string"); s != "" {
			info.Model = s
		}
		if s := sysctl("machdep.cpu.vendor"); s != "" {
			info.Vendor = s
		} else if strings.HasPrefix(info.Model, "Apple") {
			info.Vendor = "Apple"
		}
		if n, err := strconv.Atoi(sysctl("hw.physicalcpu")); err == nil {
			info.PhysicalCores = n
		}
	}
	if sc.Features == nil {
		info.Features = []string{}
	}
	return info
}

// parseProcCPUInfo reads the model, vendor and core count from the text of
// Linux's /proc/cpuinfo, in its x86 or its arm64 form.
func parseProcCPUInfo(r io.Reader, info *CPUInfo) {
	kv := map[string]string{}
	defer func() { info.Emulated = emulation(info.GOARCH, kv) }()
	cores := map[string]int{} // physical id -> cpu cores
	physID := "0"
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if _, dup := kv[k]; !dup {
			kv[k] = v
		}
		switch k {
		case "physical id":
			physID = v
		case "cpu cores":
			if n, err := strconv.Atoi(v); err == nil {
				cores[physID] = n
			}
		}
	}
	for _, n := range cores {
		info.PhysicalCores += n
	}
	switch {
	case kv["model name"] != "":
		info.Model = kv["model name"]
	case kv["Hardware"] != "":
		info.Model = kv["Hardware"]
	case kv["CPU implementer"] != "":
		info.Model = fmt.Sprintf("implementer %s part %s", kv["CPU implementer"], kv["CPU part"])
	}
	switch {
	case kv["vendor_id"] != "":
		info.Vendor = kv["vendor_id"]
	case kv["CPU implementer"] != "":
		info.Vendor = armImplementer(kv["CPU implementer"])
	}
}

// emulation explains why a GOARCH binary whose /proc/cpuinfo (keys kv)
// describes a CPU of another architecture must be running under an
// emulator, or returns "".
func emulation(goarch string, kv map[string]string) string {
	x86 := kv["vendor_id"] != "" || kv["flags"] != ""
	arm := kv["CPU implementer"] != "" || kv["Features"] != ""
	switch {
	case (goarch == "amd64" || goarch == "386") && arm && !x86:
		return "GOARCH=" + goarch + " on an arm CPU: emulated"
	case goarch != "amd64" && goarch != "386" && x86:
		return "GOARCH=" + goarch + " on an x86 CPU (" + kv["model name"] + "): emulated, as under qemu-user"
	}
	return ""
}

// armImplementer names the common arm64 implementer codes of /proc/cpuinfo.
func armImplementer(code string) string {
	switch strings.ToLower(code) {
	case "0x41":
		return "ARM"
	case "0x61":
		return "Apple"
	case "0x48":
		return "HiSilicon"
	case "0x51":
		return "Qualcomm"
	case "0xc0":
		return "Ampere"
	case "0x4e":
		return "NVIDIA"
	}
	return "implementer " + code
}

// sysctl returns the value of a darwin sysctl, or "" if it cannot be read.
func sysctl(name string) string {
	out, err := exec.Command("sysctl", "-n", name).Output()
	if err != nil {
		return ""
	}
	return string(bytes.TrimSpace(out))
}

// String formats the CPU on one line.
func (c CPUInfo) String() string {
	cores := ""
	if c.PhysicalCores > 0 {
		cores = fmt.Sprintf(", %d cores", c.PhysicalCores)
	}
	return fmt.Sprintf("%s (%s), %d logical CPUs%s, GOMAXPROCS=%d, %s/%s",
		c.Model, c.Vendor, c.LogicalCPUs, cores, c.GOMAXPROCS, c.GOOS, c.GOARCH)
}
