// peers times the C and C++ convolution libraries that simdconv is measured
// against on the benchmark suite's layers, on the machine it runs on:
//
//   onednn-nchw     oneDNN, NCHW in and out (weights in oneDNN's own layout,
//                   reordered once when the primitive is made)
//   onednn-any      oneDNN with the layouts it chooses for input and output
//                   (format tag any: NHWC or nChw16c and the like), the input
//                   reordered once, outside the timing: what a network that
//                   stays in oneDNN's layouts pays per layer
//   xnnpack         XNNPACK, NHWC in and out
//   openblas        im2col (written here) + OpenBLAS sgemm, per image and
//                   group; a 1x1 stride-1 layer without padding skips the
//                   im2col, as NCHW is then already the GEMM's operand
//
// All of them compute the same layer as simdconv: float32, the built-in
// layer set's shapes, a bias, no activation. Like the Go suite, each figure
// is the fastest of 10 batches (with the median beside it), the batches of
// a layer's peers interleaved round by round, each after a warm-up call;
// weight packing is excluded, everything a call does is included. Before
// timing, every peer's output is checked at 2000 sampled points against a
// float64 sum, within the rounding-error bound of a float32 sum, so a wrong
// layout cannot pass for a fast one.
//
// Build and run with bench/peers/run (Debian packages libdnnl-dev,
// libxnnpack-dev, libopenblas-dev). The thread count is the -threads
// argument: OMP_NUM_THREADS for oneDNN (set by run), a pthreadpool for
// XNNPACK, openblas_set_num_threads for OpenBLAS.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <cblas.h>
#include <oneapi/dnnl/dnnl.hpp>
#include <pthreadpool.h>
#include <xnnpack.h>

extern "C" void openblas_set_num_threads(int);
extern "C" char *openblas_get_corename(void);

namespace {

struct Layer {
  std::string name;
  int n, ci, h, w, co, kh, kw, stride, pad, dil, groups;
  int oh() const { return (h + 2 * pad - dil * (kh - 1) - 1) / stride + 1; }
  int ow() const { return (w + 2 * pad - dil * (kw - 1) - 1) / stride + 1; }
  double flops() const {
    return 2.0 * n * co * (ci / groups) * kh * kw * oh() * ow();
  }
};

std::vector<Layer> readLayers(const std::string &path) {
  std::ifstream f(path);
  if (!f) {
    std::fprintf(stderr, "peers: cannot open %s\n", path.c_str());
    std::exit(2);
  }
  std::vector<Layer> ls;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream ss(line);
    std::string field;
    std::vector<std::string> v;
    while (std::getline(ss, field, ',')) v.push_back(field);
    if (v.size() != 12) {
      std::fprintf(stderr, "peers: %s: want 12 fields: %s\n", path.c_str(), line.c_str());
      std::exit(2);
    }
    Layer l;
    l.name = v[0];
    int *dst[] = {&l.n, &l.ci, &l.h, &l.w, &l.co, &l.kh, &l.kw, &l.stride, &l.pad, &l.dil, &l.groups};
    for (int i = 0; i < 11; i++) *dst[i] = std::atoi(v[i + 1].c_str());
    ls.push_back(l);
  }
  return ls;
}

// Data holds one layer's operands in simdconv's layouts: NCHW input, OIHW
// weights (Co x Ci/G x Kh x Kw), Co biases.
struct Data {
  std::vector<float> x, wt, bias;
};

Data makeData(const Layer &l, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1, 1);
  Data d;
  d.x.resize(size_t(l.n) * l.ci * l.h * l.w);
  d.wt.resize(size_t(l.co) * (l.ci / l.groups) * l.kh * l.kw);
  d.bias.resize(l.co);
  for (auto *v : {&d.x, &d.wt, &d.bias})
    for (auto &e : *v) e = u(rng);
  return d;
}

// A peer computes the layer from d.x into an output it owns; out(n, co, oh,
// ow) reads that output back in NCHW terms, for the check, after readBack
// (if set) has brought it into a layout out can read.
struct Peer {
  std::string name;
  std::function<void()> run, readBack;
  std::function<float(int, int, int, int)> out;
};

// ---- oneDNN ----------------------------------------------------------------

struct OneDNN {
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream strm{eng};
};

OneDNN &onednn() {
  static OneDNN o;
  return o;
}

std::unique_ptr<Peer> makeOneDNN(const Layer &l, const Data &d, bool anyLayout) {
  using namespace dnnl;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  auto &o = onednn();
  memory::dims src{l.n, l.ci, l.h, l.w}, dst{l.n, l.co, l.oh(), l.ow()};
  memory::dims wts, strides{l.stride, l.stride}, dil{l.dil - 1, l.dil - 1}, pad{l.pad, l.pad};
  tag wtag;
  if (l.groups == 1) {
    wts = {l.co, l.ci, l.kh, l.kw};
    wtag = tag::oihw;
  } else {
    wts = {l.groups, l.co / l.groups, l.ci / l.groups, l.kh, l.kw};
    wtag = tag::goihw;
  }
  tag io = anyLayout ? tag::any : tag::nchw;
  auto cd = convolution_forward::desc(prop_kind::forward_inference, algorithm::convolution_direct,
                                      memory::desc(src, dt::f32, io), memory::desc(wts, dt::f32, tag::any),
                                      memory::desc({l.co}, dt::f32, tag::any), memory::desc(dst, dt::f32, io),
                                      strides, dil, pad, pad);
  auto pd = convolution_forward::primitive_desc(cd, o.eng);

  struct State {
    memory srcUser, src, wts, bias, dst, dstUser;
    convolution_forward conv;
    reorder dstBack;
  };
  auto s = std::make_shared<State>();
  s->srcUser = memory({src, dt::f32, tag::nchw}, o.eng, const_cast<float *>(d.x.data()));
  memory wUser({wts, dt::f32, wtag}, o.eng, const_cast<float *>(d.wt.data()));
  memory bUser({{l.co}, dt::f32, tag::x}, o.eng, const_cast<float *>(d.bias.data()));
  s->src = pd.src_desc() == s->srcUser.get_desc() ? s->srcUser : memory(pd.src_desc(), o.eng);
  if (s->src != s->srcUser) reorder(s->srcUser, s->src).execute(o.strm, s->srcUser, s->src);
  s->wts = memory(pd.weights_desc(), o.eng);
  reorder(wUser, s->wts).execute(o.strm, wUser, s->wts);
  s->bias = memory(pd.bias_desc(), o.eng);
  reorder(bUser, s->bias).execute(o.strm, bUser, s->bias);
  s->dst = memory(pd.dst_desc(), o.eng);
  s->dstUser = memory({dst, dt::f32, tag::nchw}, o.eng);
  s->dstBack = reorder(s->dst, s->dstUser);
  s->conv = convolution_forward(pd);
  o.strm.wait();

  auto p = std::make_unique<Peer>();
  p->name = anyLayout ? "onednn-any" : "onednn-nchw";
  p->run = [s, &o] {
    s->conv.execute(o.strm, {{DNNL_ARG_SRC, s->src}, {DNNL_ARG_WEIGHTS, s->wts}, {DNNL_ARG_BIAS, s->bias}, {DNNL_ARG_DST, s->dst}});
    o.strm.wait();
  };
  int co = l.co, oh = l.oh(), ow = l.ow();
  p->readBack = [s, &o] {
    s->dstBack.execute(o.strm, s->dst, s->dstUser);
    o.strm.wait();
  };
  p->out = [s, co, oh, ow](int n, int c, int y, int x) {
    auto *v = static_cast<float *>(s->dstUser.get_data_handle());
    return v[((size_t(n) * co + c) * oh + y) * ow + x];
  };
  return p;
}

// onednnISA names the instruction set oneDNN's CPU kernels use here.
const char *onednnISA() {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::avx512_core_amx: return "AMX";
    case dnnl::cpu_isa::avx512_core_bf16: return "AVX-512 with BF16";
    case dnnl::cpu_isa::avx512_core_vnni: return "AVX-512 with VNNI";
    case dnnl::cpu_isa::avx512_core: return "AVX-512";
    case dnnl::cpu_isa::avx2: return "AVX2";
    default: return "an older ISA";
  }
}

// ---- XNNPACK ---------------------------------------------------------------

pthreadpool_t xnnPool(int threads) {
  static pthreadpool_t pool = nullptr;
  static bool made = false;
  if (!made) {
    made = true;
    if (xnn_initialize(nullptr) != xnn_status_success) {
      std::fprintf(stderr, "peers: xnn_initialize failed\n");
      std::exit(1);
    }
    if (threads > 1) pool = pthreadpool_create(threads);
  }
  return pool;
}

std::unique_ptr<Peer> makeXNNPACK(const Layer &l, const Data &d, int threads) {
  pthreadpool_t pool = xnnPool(threads);
  int g = l.groups, cig = l.ci / g, cog = l.co / g, oh = l.oh(), ow = l.ow();
  // Weights: [G][Co/G][Kh][Kw][Ci/G] from OIHW.
  std::vector<float> w(d.wt.size());
  for (int o = 0; o < l.co; o++)
    for (int c = 0; c < cig; c++)
      for (int y = 0; y < l.kh; y++)
        for (int x = 0; x < l.kw; x++)
          w[((size_t(o) * l.kh + y) * l.kw + x) * cig + c] = d.wt[((size_t(o) * cig + c) * l.kh + y) * l.kw + x];
  struct State {
    std::vector<float> in, out;
    xnn_operator_t op = nullptr;
    ~State() {
      if (op) xnn_delete_operator(op);
    }
  };
  auto s = std::make_shared<State>();
  s->in.resize(d.x.size());
  for (int n = 0; n < l.n; n++)
    for (int c = 0; c < l.ci; c++)
      for (int y = 0; y < l.h; y++)
        for (int x = 0; x < l.w; x++)
          s->in[((size_t(n) * l.h + y) * l.w + x) * l.ci + c] = d.x[((size_t(n) * l.ci + c) * l.h + y) * l.w + x];
  s->out.resize(size_t(l.n) * l.co * oh * ow);
  // Weights as [G][Co/G][Kh][Kw][Ci/G] for every layer, depthwise ones
  // included (XNN_FLAG_DEPTHWISE_CONVOLUTION would want [Kh][Kw][Co]);
  // XNNPACK picks its depthwise kernels by the shape either way.
  uint32_t flags = 0;
  if (xnn_create_convolution2d_nhwc_f32(l.pad, l.pad, l.pad, l.pad, l.kh, l.kw, l.stride, l.stride, l.dil, l.dil, g,
                                        cig, cog, l.ci, l.co, w.data(), d.bias.data(), -INFINITY, INFINITY, flags,
                                        &s->op) != xnn_status_success ||
      xnn_setup_convolution2d_nhwc_f32(s->op, l.n, l.h, l.w, s->in.data(), s->out.data(), pool) !=
          xnn_status_success) {
    std::fprintf(stderr, "peers: XNNPACK cannot compute %s\n", l.name.c_str());
    std::exit(1);
  }
  auto p = std::make_unique<Peer>();
  p->name = "xnnpack";
  p->run = [s, pool] {
    if (xnn_run_operator(s->op, pool) != xnn_status_success) {
      std::fprintf(stderr, "peers: XNNPACK failed to run\n");
      std::exit(1);
    }
  };
  int co = l.co;
  p->out = [s, co, oh, ow](int n, int c, int y, int x) { return s->out[((size_t(n) * oh + y) * ow + x) * co + c]; };
  return p;
}

// ---- im2col + OpenBLAS sgemm -----------------------------------------------

std::unique_ptr<Peer> makeOpenBLAS(const Layer &l, const Data &d) {
  int g = l.groups, cig = l.ci / g, cog = l.co / g, oh = l.oh(), ow = l.ow();
  int k = cig * l.kh * l.kw, np = oh * ow;
  bool direct = l.kh == 1 && l.kw == 1 && l.stride == 1 && l.pad == 0;
  struct State {
    std::vector<float> col, out;
  };
  auto s = std::make_shared<State>();
  if (!direct) s->col.resize(size_t(k) * np);
  s->out.resize(size_t(l.n) * l.co * np);
  const float *x = d.x.data(), *wt = d.wt.data(), *bias = d.bias.data();
  Layer L = l;
  auto p = std::make_unique<Peer>();
  p->name = "openblas";
  p->run = [s, L, x, wt, bias, g, cig, cog, oh, ow, k, np, direct] {
    for (int n = 0; n < L.n; n++) {
      for (int gr = 0; gr < g; gr++) {
        const float *in = x + (size_t(n) * L.ci + size_t(gr) * cig) * L.h * L.w;
        float *out = s->out.data() + (size_t(n) * L.co + size_t(gr) * cog) * np;
        const float *b = in;
        if (!direct) {
          // col[(c*Kh+ky)*Kw+kx][oy*OW+ox] = x[c][oy*S+ky*D-P][ox*S+kx*D-P]
          float *col = s->col.data();
          for (int c = 0; c < cig; c++)
            for (int ky = 0; ky < L.kh; ky++)
              for (int kx = 0; kx < L.kw; kx++) {
                float *row = col + (size_t(c * L.kh + ky) * L.kw + kx) * np;
                for (int oy = 0; oy < oh; oy++) {
                  int iy = oy * L.stride + ky * L.dil - L.pad;
                  float *r = row + size_t(oy) * ow;
                  if (iy < 0 || iy >= L.h) {
                    std::memset(r, 0, sizeof(float) * ow);
                    continue;
                  }
                  const float *src = in + (size_t(c) * L.h + iy) * L.w;
                  for (int ox = 0; ox < ow; ox++) {
                    int ix = ox * L.stride + kx * L.dil - L.pad;
                    r[ox] = (ix >= 0 && ix < L.w) ? src[ix] : 0.0f;
                  }
                }
              }
          b = col;
        }
        for (int o = 0; o < cog; o++) std::fill_n(out + size_t(o) * np, np, bias[gr * cog + o]);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, cog, np, k, 1.0f, wt + size_t(gr) * cog * k, k, b, np,
                    1.0f, out, np);
      }
    }
  };
  int co = l.co;
  p->out = [s, co, oh, ow](int n, int c, int y, int xx) { return s->out[((size_t(n) * co + c) * oh + y) * ow + xx]; };
  return p;
}

// ---- check and timing --------------------------------------------------------

// check compares a peer's output with float64 sums at sampled outputs.
bool check(const Layer &l, const Data &d, Peer &p) {
  if (p.readBack) p.readBack();
  std::mt19937 rng(7);
  int oh = l.oh(), ow = l.ow(), cig = l.ci / l.groups, cog = l.co / l.groups;
  for (int i = 0; i < 2000; i++) {
    int n = rng() % l.n, co = rng() % l.co, y = rng() % oh, x = rng() % ow;
    int gr = co / cog;
    double sum = d.bias[co], mag = std::fabs(d.bias[co]);
    for (int c = 0; c < cig; c++)
      for (int ky = 0; ky < l.kh; ky++)
        for (int kx = 0; kx < l.kw; kx++) {
          int iy = y * l.stride + ky * l.dil - l.pad, ix = x * l.stride + kx * l.dil - l.pad;
          if (iy < 0 || iy >= l.h || ix < 0 || ix >= l.w) continue;
          double t = double(d.wt[((size_t(co) * cig + c) * l.kh + ky) * l.kw + kx]) *
                     d.x[((size_t(n) * l.ci + gr * cig + c) * l.h + iy) * l.w + ix];
          sum += t;
          mag += std::fabs(t);
        }
    // The rounding-error bound of a float32 sum of K products and the
    // bias, in any order: gamma(K+2) * (|b| + sum |w*x|), u = 2^-24, and
    // a subnormal step (2^-149) for each rounding.
    double u = std::ldexp(1.0, -24), k = double(cig) * l.kh * l.kw;
    double bound = (k + 2) * u / (1 - (k + 2) * u) * mag + std::ldexp(k + 2, -149);
    if (!(std::fabs(p.out(n, co, y, x) - sum) <= bound)) {
      std::fprintf(stderr, "peers: %s on %s: output (%d,%d,%d,%d) = %.9g, want %.9g within %.3g\n", p.name.c_str(),
                   l.name.c_str(), n, co, y, x, p.out(n, co, y, x), sum, bound);
      return false;
    }
  }
  return true;
}

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Timing {
  int perBatch = 1;
  std::vector<double> perCall;
};

}  // namespace

int main(int argc, char **argv) {
  std::string csv = "bench/layers.csv";
  int threads = 1;
  double budget = 0.3;  // seconds per measurement, 10 batches
  std::vector<std::string> only;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "-shapes" && i + 1 < argc) {
      csv = argv[++i];
    } else if (a == "-threads" && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else if (a == "-time" && i + 1 < argc) {
      budget = std::atof(argv[++i]);
    } else if (a[0] != '-') {
      only.push_back(a);
    } else {
      std::fprintf(stderr,
                   "usage: peers [-shapes layers.csv] [-threads N] [-time seconds per measurement] [layer name...]\n");
      return 2;
    }
  }
  openblas_set_num_threads(threads);
  const int batches = 10;
  double batchTime = budget / batches;
  const dnnl_version_t *dv = dnnl_version();
  std::printf("# peers: threads=%d, fastest of %d batches of %.0f ms (median in brackets), GFLOP/s\n", threads, batches,
              1e3 * batchTime);
  std::printf("# oneDNN %d.%d.%d (%s, %s kernels); XNNPACK; im2col +%s(%s kernels)\n", dv->major,
              dv->minor, dv->patch, dv->cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : "other threading", onednnISA(),
              OPENBLAS_VERSION, openblas_get_corename());
  std::printf("%-18s %10s %16s %16s %16s %16s\n", "layer", "MFLOP", "onednn-nchw", "onednn-any", "xnnpack",
              "openblas");
  std::vector<std::vector<double>> dense(4);
  for (const Layer &l : readLayers(csv)) {
    if (!only.empty() && std::find(only.begin(), only.end(), l.name) == only.end()) continue;
    Data d = makeData(l, 1);
    std::vector<std::unique_ptr<Peer>> peers;
    peers.push_back(makeOneDNN(l, d, false));
    peers.push_back(makeOneDNN(l, d, true));
    peers.push_back(makeXNNPACK(l, d, threads));
    peers.push_back(makeOpenBLAS(l, d));
    std::vector<Timing> t(peers.size());
    for (size_t i = 0; i < peers.size(); i++) {
      peers[i]->run();
      if (!check(l, d, *peers[i])) return 1;
      double t0 = now();
      peers[i]->run();
      t[i].perBatch = std::max(1, int(batchTime / std::max(now() - t0, 1e-9)));
    }
    for (int b = 0; b < batches; b++) {
      for (size_t i = 0; i < peers.size(); i++) {
        peers[i]->run();  // warm-up: the other peers ran since
        double t0 = now();
        for (int c = 0; c < t[i].perBatch; c++) peers[i]->run();
        t[i].perCall.push_back((now() - t0) / t[i].perBatch);
      }
    }
    std::printf("%-18s %10.1f", l.name.c_str(), l.flops() / 1e6);
    bool tiny = l.flops() < 1e6, depthwise = l.groups > 1 && l.groups == l.ci;
    for (size_t i = 0; i < peers.size(); i++) {
      auto v = t[i].perCall;
      std::sort(v.begin(), v.end());
      double best = l.flops() / v[0] / 1e9, med = l.flops() / v[v.size() / 2] / 1e9;
      if (tiny) {
        std::printf(" %9.0fns [%4.0f]", v[0] * 1e9, v[v.size() / 2] * 1e9);
      } else {
        std::printf(" %9.1f [%4.0f]", best, med);
        if (!depthwise) dense[i].push_back(best);
      }
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  std::printf("%-18s %10s", "geomean (dense)", "");
  for (auto &v : dense) {
    if (v.empty()) {
      std::printf(" %16s", "-");
      continue;
    }
    double s = 0;
    for (double x : v) s += std::log(x);
    std::printf(" %9.1f (%2zu l)", std::exp(s / v.size()), v.size());
  }
  std::printf("\n");
  return 0;
}
