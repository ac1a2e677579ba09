package main

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	_ "gonum.org/v1/plot/vg/vgimg" // png
	_ "gonum.org/v1/plot/vg/vgpdf" // pdf
	_ "gonum.org/v1/plot/vg/vgsvg" // svg
)

// chartSeries is one set of bars: a run's path at a thread class.
type chartSeries struct {
	name   string
	gflops plotter.Values
	pct    plotter.Values // 0 where the path has no peak
}

// writeChart draws the comparison as two bar charts, GFLOP/s above and % of
// peak below, with one group of bars per layer (tiny layers left out) and
// one bar per run, path and thread class. The format follows the file's
// extension: .svg, .png or .pdf.
func writeChart(file string, c *comparison, paths []string) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(file)), ".")
	switch format {
	case "svg", "png", "pdf":
	default:
		return fmt.Errorf("chart %s: unknown format %q, want .svg, .png or .pdf", file, format)
	}
	var layers []string
	for _, l := range c.layers {
		if !l.Tiny {
			layers = append(layers, l.Name)
		}
	}
	series := chartData(c, paths, layers)
	if len(layers) == 0 || len(series) == 0 {
		return fmt.Errorf("chart %s: nothing to draw (no layer measured on %s)", file, strings.Join(paths, ","))
	}
	// Each layer gets a slot wide enough for its bars; the bars fill 80% of
	// it, and the margins take about 1.5 inches.
	slot := math.Max(0.5, 0.15*float64(len(series)))
	bar := vg.Length(0.8*slot/float64(len(series))) * vg.Inch
	top, err := barPlot("GFLOP/s per layer", "GFLOP/s", layers, series, bar, func(s chartSeries) plotter.Values { return s.gflops })
	if err != nil {
		return fmt.Errorf("chart %s: %w", file, err)
	}
	bottom, err := barPlot("% of the path's peak", "% of peak", layers, series, bar, func(s chartSeries) plotter.Values { return s.pct })
	if err != nil {
		return fmt.Errorf("chart %s: %w", file, err)
	}
	width := vg.Length(math.Max(8, 1.5+float64(len(layers))*slot)) * vg.Inch
	height := 10 * vg.Inch
	canvas, err := draw.NewFormattedCanvas(width, height, format)
	if err != nil {
		return fmt.Errorf("chart %s: %w", file, err)
	}
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadX: vg.Millimeter, PadY: 8 * vg.Millimeter,
		PadTop: 4 * vg.Millimeter, PadBottom: 4 * vg.Millimeter, PadLeft: 4 * vg.Millimeter, PadRight: 4 * vg.Millimeter}
	plots := [][]*plot.Plot{{top}, {bottom}}
	canvases := plot.Align(plots, tiles, draw.New(canvas))
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
	f, err := os.Create(file)
	if err != nil {
		return fmt.Errorf("writing chart: %w", err)
	}
	if _, err := canvas.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("writing chart %s: %w", file, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing chart: %w", err)
	}
	return nil
}

// chartData collects one series per run, path and thread class that has at
// least one of the layers.
func chartData(c *comparison, paths, layers []string) []chartSeries {
	var series []chartSeries
	for i, name := range c.names {
		for _, p := range paths {
			for _, cl := range c.classes {
				s := chartSeries{gflops: make(plotter.Values, len(layers)), pct: make(plotter.Values, len(layers))}
				found := false
				resolved := ""
				for j, l := range layers {
					cell := c.reports[i].cell(l, p, cl)
					if cell == nil {
						continue
					}
					found = true
					resolved = cell.Path
					s.gflops[j] = cell.GFLOPS
					if cell.PeakPct != nil {
						s.pct[j] = *cell.PeakPct
					}
				}
				if !found {
					continue
				}
				label := p
				if p == bestPath {
					label = resolved
				}
				s.name = fmt.Sprintf("%s %s t=%s", name, label, cl)
				series = append(series, s)
			}
		}
	}
	return series
}

// barPlot draws one bar chart: a group per layer, a bar of width bw per
// series.
func barPlot(title, ylabel string, layers []string, series []chartSeries, bw vg.Length, values func(chartSeries) plotter.Values) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	p.Legend.Left = true
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	p.Add(plotter.NewGrid())
	ymax := 0.0
	for i, s := range series {
		vs := values(s)
		for _, v := range vs {
			ymax = math.Max(ymax, v)
		}
		bars, err := plotter.NewBarChart(vs, bw)
		if err != nil {
			return nil, fmt.Errorf("%s: series %s: %w", title, s.name, err)
		}
		bars.LineStyle.Width = 0
		bars.Color = seriesColor(i)
		bars.Offset = bw * (vg.Length(i) - vg.Length(len(series)-1)/2)
		p.Add(bars)
		p.Legend.Add(s.name, bars)
	}
	p.NominalX(layers...)
	p.X.Min, p.X.Max = -0.5, float64(len(layers))-0.5
	p.Y.Min = 0
	// Leave room above the bars for the legend.
	p.Y.Max = math.Max(ymax, 1e-9) * (1.15 + 0.07*float64(len(series)))
	return p, nil
}

// seriesColor is the colour of series i: gonum's soft palette, then its
// dark one, so that 14 series stay distinct.
func seriesColor(i int) color.Color {
	palette := append(append([]color.Color(nil), plotutil.SoftColors...), plotutil.DarkColors...)
	return palette[i%len(palette)]
}
