package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// dwGroup is the number of output vectors a depthwise kernel accumulates at
// once: one general register points at each vector's input, and AVX-512
// gives each its own opmask (K1..K7).
func dwGroup(x isa, masked bool) int {
	switch {
	case x.avx512:
		return 7
	case masked:
		return 4 // 4 accumulators, 4 lane masks, the weight and a load
	default:
		return 7
	}
}

var dwPtrs = []GPPhysical{RAX, RBX, RDX, R10, R11, R12, R13}

// genDepthwise writes the depthwise kernel: one output channel, whose input
// is a single channel (plane), computed vector by vector from a list:
//
//	for each entry (in, out, mask) of vecs, in groups of G:
//	    acc = bias
//	    for t < ntaps: acc += w[t] * x[(in + taps[t])/4 + lane]   (lanes in mask)
//	    y[out/4 + lane] = min(max(acc, lo), hi)                   (lanes in mask)
//
// in and out are byte offsets of the vector's first lane in the virtual input
// plane x and the output plane y, taps the byte offsets of the kernel taps
// relative to in. masked selects the variant: without it every lane is
// valid and the loads fold into the FMAs; with it each vector loads and
// stores only its mask's lanes. The list is padded to a multiple of G by
// repeating its last entry (which stores the same values again).
func genDepthwise(x isa, masked bool) {
	name := dwName(x, masked)
	TEXT(name, NOSPLIT, "func(x *float32, taps *int64, ntaps int, w *float32, bias *float32, clamp *[2]float32, y *float32, vecs *int64, nvec int)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes depthwise output vectors (see asm/depthwise.go).", name))
	G := dwGroup(x, masked)
	acc := make([]VecPhysical, G)
	for i := range acc {
		acc[i] = x.vec(i)
	}
	wv, tmp := x.vec(G), x.vec(G+1)
	masks := make([]VecPhysical, G) // AVX2 lane masks
	if masked && !x.avx512 {
		for i := range masks {
			masks[i] = x.vec(G + 2 + i)
		}
	}
	Commentf("Registers: accumulators %s..%s, weight %s; input pointers %s..%s; tap index CX (ntaps in R15), taps SI, weights DI, list R8, remaining R9.",
		acc[0].Asm(), acc[G-1].Asm(), wv.Asm(), dwPtrs[0].Asm(), dwPtrs[G-1].Asm())
	Load(Param("taps"), RSI)
	Load(Param("w"), RDI)
	Load(Param("vecs"), R8)
	Load(Param("nvec"), R9)
	Load(Param("ntaps"), R15)
	TESTQ(R9, R9)
	JZ(LabelRef(name + "_done"))

	Label(name + "_group")
	Comment("Group set-up: pointers, masks, accumulators = bias.")
	Load(Param("x"), RCX)
	Load(Param("bias"), R14)
	for v := 0; v < G; v++ {
		MOVQ(Mem{Base: R8, Disp: 24 * v}, dwPtrs[v])
		ADDQ(RCX, dwPtrs[v])
		if masked {
			if x.avx512 {
				KMOVW(Mem{Base: R8, Disp: 24*v + 16}, kreg(v+1))
			} else {
				avx2Mask(Mem{Base: R8, Disp: 24*v + 16}, masks[v])
			}
		}
		VBROADCASTSS(Mem{Base: R14}, acc[v])
	}
	XORQ(RCX, RCX)
	Label(name + "_tap")
	MOVQ(Mem{Base: RSI, Index: RCX, Scale: 8}, R14)
	VBROADCASTSS(Mem{Base: RDI, Index: RCX, Scale: 4}, wv)
	for v := 0; v < G; v++ {
		src := mem(dwPtrs[v], R14, 0)
		switch {
		case !masked:
			VFMADD231PS(src, wv, acc[v])
		case x.avx512:
			VFMADD231PS(src, wv, kreg(v+1), acc[v])
		default:
			VMASKMOVPS(src, masks[v], tmp)
			VFMADD231PS(tmp, wv, acc[v])
		}
	}
	INCQ(RCX)
	CMPQ(RCX, R15)
	JL(LabelRef(name + "_tap"))

	clampAccumulators(R14, wv, tmp, name+"_store", acc...)
	Load(Param("y"), RCX)
	for v := 0; v < G; v++ {
		MOVQ(Mem{Base: R8, Disp: 24*v + 8}, R14)
		dst := mem(RCX, R14, 0)
		switch {
		case !masked:
			VMOVUPS(acc[v], dst)
		case x.avx512:
			VMOVUPS(acc[v], kreg(v+1), dst)
		default:
			VMASKMOVPS(acc[v], masks[v], dst)
		}
	}
	ADDQ(U32(24*G), R8)
	SUBQ(U8(G), R9)
	JG(LabelRef(name + "_group"))
	Label(name + "_done")
	VZEROUPPER()
	RET()
}

func dwName(x isa, masked bool) string {
	if masked {
		return "dw" + x.name + "_masked"
	}
	return "dw" + x.name
}

// kreg returns opmask register i (1..7).
func kreg(i int) OpmaskPhysical {
	return []OpmaskPhysical{K0, K1, K2, K3, K4, K5, K6, K7}[i]
}
