// Command bench runs simdconv's benchmark suite on the built-in layer set.
package main

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/simdconv/simdconv"
)

//go:embed layers.csv
var builtinLayers string

type layer struct {
	name  string
	shape simdconv.Shape
}

func parseLayers(text string) ([]layer, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	var ls []layer
	for _, rec := range recs {
		v := make([]int, 11)
		for i := range v {
			if v[i], err = strconv.Atoi(strings.TrimSpace(rec[i+1])); err != nil {
				return nil, err
			}
		}
		s := simdconv.NewShape(v[0], v[1], v[2], v[3], v[4], v[5], v[6]).
			WithStride(v[7], v[7]).WithPadding(v[8], v[8], v[8], v[8]).WithDilation(v[9], v[9]).WithGroups(v[10])
		ls = append(ls, layer{rec[0], s})
	}
	return ls, nil
}

func main() {
	layers, err := parseLayers(builtinLayers)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(simdconv.CPU())
	paths := simdconv.Paths()
	fmt.Printf("%-18s", "layer (1 worker)")
	for _, p := range paths {
		fmt.Printf(" %14s", p)
	}
	fmt.Println()
	rng := rand.New(rand.NewPCG(1, 1))
	for _, l := range layers {
		x := make([]float32, l.shape.InputLen())
		w := make([]float32, l.shape.WeightsLen())
		for i := range x {
			x[i] = rng.Float32()
		}
		for i := range w {
			w[i] = rng.Float32()
		}
		y := make([]float32, l.shape.OutputLen())
		fmt.Printf("%-18s", l.name)
		for _, path := range paths {
			p, err := simdconv.NewPlan(l.shape, w, nil, simdconv.WithKernel(path), simdconv.WithWorkers(1))
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			best := math.Inf(1)
			deadline := time.Now().Add(300 * time.Millisecond)
			for time.Now().Before(deadline) {
				t0 := time.Now()
				_ = p.Forward(y, x)
				best = min(best, time.Since(t0).Seconds())
			}
			if l.shape.FLOPs() < 1e6 {
				fmt.Printf(" %11.2f µs", best*1e6)
			} else {
				fmt.Printf(" %8.1f GF/s", float64(l.shape.FLOPs())/best/1e9)
			}
		}
		fmt.Println()
	}
}
