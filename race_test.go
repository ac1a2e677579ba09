//go:build race

package simdconv_test

const raceEnabled = true
