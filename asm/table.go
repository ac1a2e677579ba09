package main

import (
	"bufio"
	"bytes"
	"fmt"
	"go/format"
	"os"
	"sort"
	"strings"

	"github.com/mmcloughlin/avo/printer"
)

type tableEntry struct {
	isa   isa
	mr, v int  // pixel kernels
	nr    int  // channel kernels (with v)
	runs  int  // channel kernels: 2 for a tile of two runs of contiguous pixels (asm/channels.go)
	shift bool // depthwise row kernels: taps by shifts
	name  string
}

type table struct {
	pixels, channels []tableEntry
	depthwise        []isa
	dwRows           []tableEntry // mr: kernel size k, v: rows per pass
}

// write renders the kernel table as Go source. The CPU features of each ISA
// are the union of the "// Requires:" lines avo wrote above that ISA's
// functions in the assembly file, so dispatch gates on exactly what the
// generated code uses.
func (t table) write(path, asmPath string) error {
	req, err := requires(asmPath)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// %s\n\n", printer.NewGoRunConfig().GeneratedWarning())
	b.WriteString("//go:build !purego\n\npackage kernels\n\n")
	b.WriteString("// archFeatures lists, per ISA, the CPU features its generated kernels use.\n")
	b.WriteString("var archFeatures = map[ISA][]string{\n")
	for _, x := range []isa{avx512, avx2} {
		fmt.Fprintf(&b, "\t%s: {%s},\n", x.goISA, quoteAll(req[x.name]))
	}
	b.WriteString("}\n\n")
	b.WriteString("// archPeak runs each ISA's FMA peak loop and returns its floating-point operations.\n")
	b.WriteString("var archPeak = map[ISA]func(iters int) int64{\n")
	for _, x := range []isa{avx512, avx2} {
		fmt.Fprintf(&b, "\t%s: func(iters int) int64 { peak%s(iters); return int64(iters) * %d },\n", x.goISA, x.name, peakFlops(x))
	}
	b.WriteString("}\n\n")
	b.WriteString("// archPadCopy copies rows into the zero-padded virtual input.\n")
	b.WriteString("var archPadCopy = map[ISA]padCopyFunc{\n")
	for _, x := range []isa{avx512, avx2} {
		fmt.Fprintf(&b, "\t%s: padCopy%s,\n", x.goISA, x.name)
	}
	b.WriteString("}\n\n")
	b.WriteString("// archPadCopy2 copies every other element of rows into the zero-padded virtual input.\n")
	b.WriteString("var archPadCopy2 = map[ISA]padCopyFunc{\n")
	for _, x := range []isa{avx512, avx2} {
		fmt.Fprintf(&b, "\t%s: %s,\n", x.goISA, padCopyName(x, 2))
	}
	b.WriteString("}\n\n")
	b.WriteString("// archPixelKernels are the pixel-lane GEMM micro-kernels.\n")
	b.WriteString("var archPixelKernels = []pixelKernel{\n")
	for _, e := range t.pixels {
		fmt.Fprintf(&b, "\t{isa: %s, name: %q, mr: %d, v: %d, lanes: %d, runStores: true, fn: %s},\n", e.isa.goISA, e.name, e.mr, e.v, e.isa.lanes, e.name)
	}
	b.WriteString("}\n\n")
	b.WriteString("// archChannelKernels are the channel-lane GEMM micro-kernels.\n")
	b.WriteString("var archChannelKernels = []channelKernel{\n")
	for _, e := range t.channels {
		runs := ""
		if e.runs > 0 {
			runs = fmt.Sprintf(", runs: %d", e.runs)
		}
		fmt.Fprintf(&b, "\t{isa: %s, name: %q, v: %d, nr: %d, lanes: %d, fn: %s, parts: true%s},\n", e.isa.goISA, e.name, e.v, e.nr, e.isa.lanes, e.name, runs)
	}
	b.WriteString("}\n\n")
	b.WriteString("// archDepthwiseKernels are the depthwise kernels, full and masked vectors.\n")
	b.WriteString("var archDepthwiseKernels = []depthwiseKernel{\n")
	for _, x := range t.depthwise {
		fmt.Fprintf(&b, "\t{isa: %s, name: %q, lanes: %d, group: %d, groupMasked: %d, full: %s, masked: %s},\n",
			x.goISA, dwName(x, false), x.lanes, dwGroup(x, false), dwGroup(x, true), dwName(x, false), dwName(x, true))
	}
	b.WriteString("}\n\n")
	b.WriteString("// archDepthwiseRowKernels are the depthwise k x k row kernels (stride 1 or 2).\n")
	b.WriteString("var archDepthwiseRowKernels = []depthwiseRowKernel{\n")
	for _, e := range t.dwRows {
		fmt.Fprintf(&b, "\t{isa: %s, name: %q, k: %d, rows: %d, stride: %d, lanes: %d, shift: %v, fn: %s},\n", e.isa.goISA, e.name, e.mr, e.v, e.nr, e.isa.lanes, e.shift, e.name)
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return fmt.Errorf("formatting the kernel table: %w", err)
	}
	return os.WriteFile(path, src, 0o644)
}

// requires collects the features named in the "// Requires:" comment above
// each TEXT directive, per ISA (named in the function's name).
func requires(asmPath string) (map[string][]string, error) {
	f, err := os.Open(asmPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sets := map[string]map[string]bool{}
	var pending []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if r, ok := strings.CutPrefix(line, "// Requires: "); ok {
			pending = strings.Split(r, ", ")
			continue
		}
		if strings.HasPrefix(line, "TEXT ") {
			for _, x := range []isa{avx512, avx2} {
				if strings.Contains(line, x.name+"_") || strings.Contains(line, "peak"+x.name+"(") || strings.Contains(line, "dw"+x.name+"(") || strings.Contains(line, "padCopy"+x.name+"(") || strings.Contains(line, "padCopy2"+x.name+"(") || strings.Contains(line, "dwrows"+x.name+"_") || strings.Contains(line, "dwshift"+x.name+"_") || strings.Contains(line, "dwshift2"+x.name+"_") {
					if sets[x.name] == nil {
						sets[x.name] = map[string]bool{}
					}
					for _, r := range pending {
						sets[x.name][r] = true
					}
				}
			}
			pending = nil
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for name, set := range sets {
		for r := range set {
			out[name] = append(out[name], r)
		}
		sort.Strings(out[name])
	}
	return out, nil
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
