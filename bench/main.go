// Command bench is simdconv's benchmark suite. It measures a set of
// convolution layers on every kernel path this machine offers, on the naive
// reference loops and on a pure-Go peer (im2col + gonum's float32 GEMM),
// with one thread and with all of them, and prints GFLOP/s, the percentage
// of each path's peak, speed-ups and allocations per call.
//
// Usage:
//
//	go run ./bench [flags]                        run the suite
//	go run ./bench compare [-o chart.svg] A.json B.json ...
//	go run ./bench show result.json               print a saved result
//
// See bench/README.md for the flags, the JSON format and how to contribute
// results from other CPUs.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	var exit exitError
	switch {
	case errors.As(err, &exit):
		os.Exit(int(exit))
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// exitError is an exit status that has already been explained.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// run dispatches to a subcommand; stdout gets the report, stderr the
// progress.
func run(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "compare":
			return runCompare(args[1:], stdout, stderr)
		case "show":
			return runShow(args[1:], stdout, stderr)
		case "goals":
			return runGoals(args[1:], stdout, stderr)
		}
	}
	return runBench(args, stdout, stderr)
}

// runBench parses the suite's flags, runs it and reports.
func runBench(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	shapes := fs.String("shapes", "", "CSV `file` of layers (name,N,Ci,H,W,Co,Kh,Kw,stride,pad,dilation,groups); default: the built-in set")
	pathList := fs.String("paths", strings.Join(defaultPaths(), ","), "comma `list` of paths to run: simdconv paths, naive, peer")
	threadList := fs.String("threads", "1,all", "comma `list` of thread counts; all = GOMAXPROCS")
	budget := fs.Duration("time", 100*time.Millisecond, "time budget of each measurement")
	peakTime := fs.Duration("peak-time", 100*time.Millisecond, "time budget of each path's peak measurement")
	naiveMax := fs.Duration("naive-max", time.Second, "skip the naive loops on layers whose one call would take longer")
	layerRE := fs.String("layers", "", "run only the layers whose name matches this `regexp`")
	copies := fs.Bool("copies", false, "at thread counts T > 1, also time T independent single-worker copies of each layer (the machine's scaling bound)")
	check := fs.Bool("check", false, "verify every result against simdconv.Reference; exit 1 if any exceeds the error bound")
	jsonFile := fs.String("json", "", "write the results as JSON to `file`")
	label := fs.String("label", "", "name of this run in compare (default: the JSON file name)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: go run ./bench [flags]\n       go run ./bench compare [-o chart.svg] A.json B.json ...\n       go run ./bench show result.json\n       go run ./bench goals [-md] A.json B.json ...\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (subcommands: compare, show, goals)", fs.Arg(0))
	}
	if *budget <= 0 || *peakTime <= 0 {
		return fmt.Errorf("-time and -peak-time must be positive")
	}
	layers, err := loadLayers(*shapes)
	if err != nil {
		return err
	}
	if layers, err = filterLayers(layers, *layerRE); err != nil {
		return err
	}
	paths, err := parsePaths(*pathList)
	if err != nil {
		return err
	}
	threads, err := parseThreads(*threadList)
	if err != nil {
		return err
	}
	shapesName := builtinLayersName
	if *shapes != "" {
		shapesName = *shapes
	}
	start := time.Now()
	r, err := runSuite(Config{
		Layers: layers, Shapes: shapesName, Paths: paths, Threads: threads,
		Time: *budget, PeakTime: *peakTime, NaiveMax: *naiveMax,
		Check: *check, Copies: *copies, Label: *label, Progress: stderr,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "done in %s\n", time.Since(start).Round(100*time.Millisecond))
	printReport(stdout, r)
	if *jsonFile != "" {
		if err := writeReport(*jsonFile, r); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s\n", *jsonFile)
	}
	if *check && checkFailed(r) {
		return exitError(1)
	}
	return nil
}

// runShow prints the report of a saved JSON result.
func runShow(args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: go run ./bench show result.json")
	}
	r, err := readReport(args[0])
	if err != nil {
		return err
	}
	printReport(stdout, r)
	return nil
}

// parseThreads parses the -threads flag: positive integers and "all"
// (runtime.GOMAXPROCS), duplicates dropped.
func parseThreads(list string) ([]int, error) {
	var threads []int
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n := runtime.GOMAXPROCS(0)
		if f != "all" {
			var err error
			if n, err = strconv.Atoi(f); err != nil || n < 1 {
				return nil, fmt.Errorf("-threads: %q is not a positive integer or \"all\"", f)
			}
		}
		if !slices.Contains(threads, n) {
			threads = append(threads, n)
		}
	}
	if len(threads) == 0 {
		return nil, fmt.Errorf("-threads: no thread count in %q", list)
	}
	return threads, nil
}

// filterLayers keeps the layers whose name matches expr (all if empty).
func filterLayers(layers []Layer, expr string) ([]Layer, error) {
	if expr == "" {
		return layers, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("-layers: %w", err)
	}
	var kept []Layer
	for _, l := range layers {
		if re.MatchString(l.Name) {
			kept = append(kept, l)
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("-layers: no layer matches %q", expr)
	}
	return kept, nil
}
