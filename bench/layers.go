package main

import (
	_ "embed"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/simdconv/simdconv"
)

// builtinLayers is the default layer set, bench/layers.csv.
//
//go:embed layers.csv
var builtinLayers string

// builtinLayersName is the file name used in errors about builtinLayers.
const builtinLayersName = "layers.csv"

// csvColumns are the columns of a shapes file, in order.
var csvColumns = []string{"name", "N", "Ci", "H", "W", "Co", "Kh", "Kw", "stride", "pad", "dilation", "groups"}

// tinyFLOPs is the size under which a layer is "tiny": it is reported in
// time per call rather than GFLOP/s (its speed is all call overhead) and left
// out of the geometric means. The textbook layers of the built-in set are
// tiny.
const tinyFLOPs = 1_000_000

// Layer is one named convolution of a shapes file.
type Layer struct {
	Name  string
	Shape simdconv.Shape
}

// Tiny reports whether the layer is too small for GFLOP/s to mean much.
func (l Layer) Tiny() bool { return l.Shape.FLOPs() < tinyFLOPs }

// Depthwise reports whether the layer is a depthwise convolution, which the
// summaries report apart from the dense layers.
func (l Layer) Depthwise() bool { return l.Shape.IsDepthwise() }

// loadLayers reads a shapes file, or the built-in set when file is empty.
func loadLayers(file string) ([]Layer, error) {
	if file == "" {
		return parseLayers(builtinLayersName, builtinLayers)
	}
	text, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading shapes: %w", err)
	}
	return parseLayers(filepath.Base(file), string(text))
}

// parseLayers parses a shapes file: one layer per line with the columns
// name,N,Ci,H,W,Co,Kh,Kw,stride,pad,dilation,groups; stride and pad apply
// to both axes. Blank lines and lines starting with # are skipped, and so
// is a header line whose first column is "name". Errors start with
// "file:line:" and name the column at fault.
func parseLayers(file, text string) ([]Layer, error) {
	var layers []Layer
	seen := map[string]int{}
	for i, line := range strings.Split(text, "\n") {
		lineNo := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, ",")
		for j := range fields {
			fields[j] = strings.TrimSpace(fields[j])
		}
		if len(layers) == 0 && strings.EqualFold(fields[0], "name") {
			continue // a header line
		}
		l, err := parseLayer(fields)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, lineNo, err)
		}
		if prev, ok := seen[l.Name]; ok {
			return nil, fmt.Errorf("%s:%d: layer %q already defined on line %d", file, lineNo, l.Name, prev)
		}
		seen[l.Name] = lineNo
		layers = append(layers, l)
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("%s: no layers", file)
	}
	return layers, nil
}

// parseLayer turns the fields of one line into a validated layer.
func parseLayer(fields []string) (Layer, error) {
	if len(fields) != len(csvColumns) {
		return Layer{}, fmt.Errorf("%d columns, want %d (%s)", len(fields), len(csvColumns), strings.Join(csvColumns, ","))
	}
	name := fields[0]
	if name == "" {
		return Layer{}, fmt.Errorf("column %q is empty", csvColumns[0])
	}
	if strings.ContainsAny(name, " \t/=") {
		return Layer{}, fmt.Errorf("column %q: %q must not contain spaces, '/' or '='", csvColumns[0], name)
	}
	v := make([]int, len(fields)-1)
	for j := range v {
		n, err := strconv.Atoi(fields[j+1])
		if err != nil {
			return Layer{}, fmt.Errorf("column %q: %q is not an integer", csvColumns[j+1], fields[j+1])
		}
		v[j] = n
	}
	s := simdconv.NewShape(v[0], v[1], v[2], v[3], v[4], v[5], v[6]).
		WithStride(v[7], v[7]).
		WithPadding(v[8], v[8], v[8], v[8]).
		WithDilation(v[9], v[9]).
		WithGroups(v[10])
	if err := s.Validate(); err != nil {
		return Layer{}, fmt.Errorf("layer %q: %w", name, err)
	}
	return Layer{Name: name, Shape: s}, nil
}

// layerData holds the operands of one layer: random input, weights and bias
// in [-1, 1), and an output buffer.
type layerData struct {
	src, weights, bias, dst []float32
}

// newLayerData fills the operands of l with pseudo-random values seeded by
// the layer's name, so every run and every machine sees the same data.
func newLayerData(l Layer) *layerData {
	rng := newRand(l.Name)
	fill := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = 2*rng.Float32() - 1
		}
		return x
	}
	return &layerData{
		src:     fill(l.Shape.InputLen()),
		weights: fill(l.Shape.WeightsLen()),
		bias:    fill(l.Shape.BiasLen()),
		dst:     make([]float32, l.Shape.OutputLen()),
	}
}

// newRand returns a generator seeded by name.
func newRand(name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(h.Sum64(), 0x5eed))
}
