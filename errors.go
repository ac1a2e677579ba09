package simdconv

import "errors"

// Sentinel errors. Every error returned by this package wraps exactly one of
// them, so callers can branch with errors.Is; the message names the field and
// the values that were rejected.
var (
	// ErrShape reports an impossible layer: a size that is zero or negative,
	// channels not divisible by groups, a stride or dilation below 1, or a
	// (dilated) kernel larger than the padded input.
	ErrShape = errors.New("simdconv: invalid shape")

	// ErrOverflow reports a shape whose element counts or cost do not fit in
	// an int (or an int64 for the multiply-add count).
	ErrOverflow = errors.New("simdconv: size overflows")

	// ErrLength reports a slice whose length differs from what the shape
	// requires (too short or too long).
	ErrLength = errors.New("simdconv: wrong slice length")

	// ErrOverlap reports an output slice that shares memory with the input.
	ErrOverlap = errors.New("simdconv: output overlaps input")

	// ErrOption reports an invalid option value, such as a clamp with
	// min > max or a negative worker count.
	ErrOption = errors.New("simdconv: invalid option")

	// ErrPath reports a kernel path that is unknown, or that this CPU or this
	// build (the purego tag) cannot run. A forced path is never replaced by
	// another one silently.
	ErrPath = errors.New("simdconv: kernel path unavailable")
)
