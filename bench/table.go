package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// table is a plain-text table: columns are padded to their widest cell,
// numbers right-aligned, names left-aligned.
type table struct {
	header []string
	left   []bool // left-align column i
	rows   [][]string
}

// newTable starts a table; columns whose header is in leftCols are
// left-aligned.
func newTable(header []string, leftCols ...string) *table {
	t := &table{header: header, left: make([]bool, len(header))}
	for i, h := range header {
		for _, l := range leftCols {
			if h == l {
				t.left[i] = true
			}
		}
	}
	return t
}

// add appends a row; missing cells are blank.
func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// write renders the table to w, indented by indent.
func (t *table) write(w io.Writer, indent string) {
	width := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, c := range row {
			if i < len(width) {
				width[i] = max(width[i], utf8.RuneCountInString(c))
			}
		}
	}
	line := func(row []string) {
		var b strings.Builder
		b.WriteString(indent)
		for i := range width {
			c := ""
			if i < len(row) {
				c = row[i]
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.left[i] {
				b.WriteString(c + pad)
			} else {
				b.WriteString(pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(t.header)
	for _, row := range t.rows {
		line(row)
	}
}

// writeMarkdown renders the table as a Markdown table: names left-aligned,
// numbers right-aligned, "|" in a cell escaped.
func (t *table) writeMarkdown(w io.Writer) {
	line := func(row []string) {
		cells := make([]string, len(t.header))
		for i := range cells {
			if i < len(row) {
				cells[i] = strings.ReplaceAll(row[i], "|", `\|`)
			}
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
	line(t.header)
	align := make([]string, len(t.header))
	for i := range align {
		align[i] = "--:"
		if t.left[i] {
			align[i] = "---"
		}
	}
	fmt.Fprintf(w, "|%s|\n", strings.Join(align, "|"))
	for _, row := range t.rows {
		line(row)
	}
}
