module github.com/simdconv/simdconv/bench

go 1.26.0

require github.com/simdconv/simdconv v0.0.0

replace github.com/simdconv/simdconv => ../
