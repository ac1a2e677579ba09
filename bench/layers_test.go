package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/simdconv/simdconv"
)

func TestBuiltinLayers(t *testing.T) {
	layers, err := loadLayers("")
	if err != nil {
		t.Fatal(err)
	}
	if len(layers) < 10 {
		t.Fatalf("built-in set has %d layers, want at least 10", len(layers))
	}
	for _, l := range layers {
		switch l.Name {
		case "d2l_multi_in", "d2l_1x1":
			if !l.Tiny() {
				t.Errorf("%s: want tiny (FLOPs %d)", l.Name, l.Shape.FLOPs())
			}
		case "mbv1_dw3x3":
			if !l.Depthwise() || l.Tiny() {
				t.Errorf("%s: want depthwise and not tiny", l.Name)
			}
		default:
			if l.Tiny() || l.Depthwise() {
				t.Errorf("%s: want a dense layer, got tiny=%v depthwise=%v", l.Name, l.Tiny(), l.Depthwise())
			}
		}
	}
	r, ok := layerByName(layers, "r50_3_s2")
	if !ok {
		t.Fatal("no layer r50_3_s2")
	}
	want := simdconv.NewShape(1, 128, 56, 56, 128, 3, 3).WithStride(2, 2).WithPadding(1, 1, 1, 1)
	if r.Shape != want {
		t.Errorf("r50_3_s2 = %v, want %v", r.Shape, want)
	}
}

func layerByName(layers []Layer, name string) (Layer, bool) {
	for _, l := range layers {
		if l.Name == name {
			return l, true
		}
	}
	return Layer{}, false
}

func TestParseLayersErrors(t *testing.T) {
	const header = "# comment\nname,N,Ci,H,W,Co,Kh,Kw,stride,pad,dilation,groups\n"
	const good = "a,1,2,3,3,1,2,2,1,0,1,1\n"
	for _, tc := range []struct {
		name, text, want string
		shape            bool // the error wraps simdconv.ErrShape
	}{
		{"not an integer", header + good + "\n" + "b,1,2,3,3,1,x,2,1,0,1,1\n",
			`layers.csv:5: column "Kh": "x" is not an integer`, false},
		{"blank integer", header + "b,1,2,3,3,1,2,2,1,0,1,\n",
			`layers.csv:3: column "groups": "" is not an integer`, false},
		{"too few columns", header + good + "b,1,2,3,3,1,2,2,1,0,1\n",
			`layers.csv:4: 11 columns, want 12 (name,N,Ci,H,W,Co,Kh,Kw,stride,pad,dilation,groups)`, false},
		{"too many columns", "b,1,2,3,3,1,2,2,1,0,1,1,7\n",
			`layers.csv:1: 13 columns, want 12`, false},
		{"empty name", ",1,2,3,3,1,2,2,1,0,1,1\n", `layers.csv:1: column "name" is empty`, false},
		{"bad name", "a/b,1,2,3,3,1,2,2,1,0,1,1\n", `layers.csv:1: column "name": "a/b" must not contain`, false},
		{"duplicate", good + good, `layers.csv:2: layer "a" already defined on line 1`, false},
		{"groups", header + "g,1,6,8,8,4,3,3,1,1,1,4\n", `layers.csv:3: layer "g": simdconv: invalid shape: Ci=6 not divisible by Groups=4`, true},
		{"zero stride", "s,1,2,8,8,2,3,3,0,1,1,1\n", `layers.csv:1: layer "s": simdconv: invalid shape: StrideH=0`, true},
		{"kernel too big", "k,1,2,3,3,2,5,5,1,0,1,1\n", `layers.csv:1: layer "k": simdconv: invalid shape: dilated kernel extent 5`, true},
		{"no layers", header, `layers.csv: no layers`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseLayers("layers.csv", tc.text)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error\n  %q\nwant prefix\n  %q", err, tc.want)
			}
			if got := errors.Is(err, simdconv.ErrShape); got != tc.shape {
				t.Errorf("errors.Is(err, ErrShape) = %v, want %v", got, tc.shape)
			}
		})
	}
}

func TestParseLayersFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "my.csv")
	text := "  # spaces before a comment\n\nx, 2, 4, 9, 7, 8, 3, 3, 2, 1, 2, 2\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	layers, err := loadLayers(file)
	if err != nil {
		t.Fatal(err)
	}
	want := simdconv.NewShape(2, 4, 9, 7, 8, 3, 3).WithStride(2, 2).WithPadding(1, 1, 1, 1).WithDilation(2, 2).WithGroups(2)
	if len(layers) != 1 || layers[0].Name != "x" || layers[0].Shape != want {
		t.Errorf("got %+v, want x: %v", layers, want)
	}
	if _, err := loadLayers(filepath.Join(t.TempDir(), "missing.csv")); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: error %v should name the file", err)
	}
	os.WriteFile(file, []byte("x,1,1,1,1,1,1,1,1,0,1,q\n"), 0o644)
	if _, err := loadLayers(file); err == nil || !strings.HasPrefix(err.Error(), `my.csv:1: column "groups"`) {
		t.Errorf("bad file: error %v should start with my.csv:1: column \"groups\"", err)
	}
}
