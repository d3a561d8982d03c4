// Development self-test and benchmark of the GEMM engine on the emulated driver (not run by CI: the C# tests in
// tests/RasNative.Cuda.Tests/Emulator cover the libraries' contracts):
//
//   make -C cuda/emulator OUT=/tmp/emu/ selftest && /tmp/emu/rasemu-blas-selftest [--bench]
//
// The engine promises acc = fma(a_p, b_p, acc) for p = 0..k-1 per element followed by a fixed epilogue, so the
// naive reference here reproduces it bit for bit: any packing, blocking or indexing slip shows as a mismatch.
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../include/rasemu_host.h"
#include "api.h"
#include "gemm.h"

// The emulated driver's entry points this test needs (device memory is host memory there).
extern "C" int cuInit(unsigned flags);
extern "C" int cuDeviceGet(int* device, int ordinal);
extern "C" int cuDevicePrimaryCtxRetain(void** context, int device);
extern "C" int cuCtxSetCurrent(void* context);
extern "C" int cuMemAlloc_v2(uint64_t* address, size_t bytes);
extern "C" int cuMemFree_v2(uint64_t address);
extern "C" int cuCtxSynchronize();

using namespace rasemu::blas;

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
    if (!ok) {
        failures++;
        std::printf("FAIL %s\n", what.c_str());
    }
}

float widen_any(int type, const uint8_t* p, int64_t i) {
    switch (type) {
    case R32F: return reinterpret_cast<const float*>(p)[i];
    case R16F: return half_to_float(reinterpret_cast<const uint16_t*>(p)[i]);
    case R16BF: return bf16_to_float(reinterpret_cast<const uint16_t*>(p)[i]);
    case R8F_E4M3: return e4m3_to_float(p[i]);
    default: return e5m2_to_float(p[i]);
    }
}

void narrow_any(int type, uint8_t* p, int64_t i, float v) {
    switch (type) {
    case R32F: reinterpret_cast<float*>(p)[i] = v; break;
    case R16F: reinterpret_cast<uint16_t*>(p)[i] = float_to_half(v); break;
    case R16BF: reinterpret_cast<uint16_t*>(p)[i] = float_to_bf16(v); break;
    case R8F_E4M3: p[i] = float_to_e4m3(v); break;
    default: p[i] = float_to_e5m2(v); break;
    }
}

// A device buffer of the test host filled with random values of `type`.
struct Buffer {
    uint64_t address = 0;
    int type = R32F;
    int64_t count = 0;
    Buffer(int t, int64_t n, std::mt19937& rng) : type(t), count(n) {
        if (cuMemAlloc_v2(&address, size_t(n * element_size(t))) != 0) address = 0;
        std::uniform_real_distribution<float> dist(-1, 1);
        for (int64_t i = 0; i < n; i++) narrow_any(type, bytes(), i, dist(rng));
    }
    ~Buffer() { cuMemFree_v2(address); }
    uint8_t* bytes() const { return reinterpret_cast<uint8_t*>(address); }
};

float rounded(InputRounding r, float v) {
    switch (r) {
    case InputRounding::Tf32: return round_to_tf32(v);
    case InputRounding::Bf16: return round_to_bf16(v);
    case InputRounding::Half: return round_to_half(v);
    default: return v;
    }
}

// The documented order, element by element.
std::vector<float> reference(const Gemm& g, const std::vector<uint8_t>& c_before) {
    auto at = [](const Operand& o, int64_t r, int64_t c, int64_t b) {
        return b * o.batch_stride + (o.row_major ? r * o.ld + c : r + c * o.ld);
    };
    std::vector<float> out;
    const uint8_t* a = reinterpret_cast<const uint8_t*>(g.a.address);
    const uint8_t* bm = reinterpret_cast<const uint8_t*>(g.b.address);
    const uint8_t* bias = reinterpret_cast<const uint8_t*>(g.bias);
    for (int64_t b = 0; b < g.batch; b++)
        for (int64_t j = 0; j < g.n; j++)
            for (int64_t i = 0; i < g.m; i++) {
                float acc = 0;
                for (int64_t p = 0; p < g.k; p++) {
                    float x = rounded(g.rounding, widen_any(g.a.type, a, g.trans_a ? at(g.a, p, i, b) : at(g.a, i, p, b)));
                    float y = rounded(g.rounding, widen_any(g.b.type, bm, g.trans_b ? at(g.b, j, p, b) : at(g.b, p, j, b)));
                    acc = std::fma(x, y, acc);
                }
                float v = float(g.alpha) * acc;
                if (g.beta != 0) v = std::fma(float(g.beta), widen_any(g.c.type, c_before.data(), at(g.c, i, j, b)), v);
                if (bias) v += widen_any(g.bias_type, bias, b * g.bias_batch_stride + i);
                if (g.activation == Activation::Relu) v = v < 0 ? 0 : v;
                if (g.activation == Activation::Gelu)
                    v = 0.5f * v * (1.0f + std::tanh(0.7978845608028654f * (v + 0.044715f * v * v * v)));
                uint8_t stored[4];
                narrow_any(g.d.type, stored, 0, v);
                out.push_back(widen_any(g.d.type, stored, 0));
            }
    return out;
}

struct Case {
    int64_t m, n, k, batch;
    bool ta, tb, row_major;
    int ab_type, c_type;
    InputRounding rounding;
    Activation activation;
    bool bias;
    float beta;
};

void run_case(const Case& t, std::mt19937& rng) {
    Gemm g;
    g.call = "selftest";
    g.m = t.m, g.n = t.n, g.k = t.k, g.batch = t.batch, g.trans_a = t.ta, g.trans_b = t.tb;
    auto make = [&](int type, int64_t rows, int64_t cols, int64_t pad) {
        Operand o;
        o.type = type;
        o.rows = rows;
        o.cols = cols;
        o.row_major = t.row_major;
        o.ld = (t.row_major ? cols : rows) + pad;
        o.batch_stride = o.ld * (t.row_major ? rows : cols) + 5;
        return o;
    };
    g.a = make(t.ab_type, t.ta ? t.k : t.m, t.ta ? t.m : t.k, 3);
    g.b = make(t.ab_type, t.tb ? t.n : t.k, t.tb ? t.k : t.n, 1);
    g.c = make(t.c_type, t.m, t.n, 2);
    g.d = g.c;
    auto size = [&](const Operand& o) { return o.batch_stride * t.batch; };
    Buffer a(g.a.type, size(g.a), rng), b(g.b.type, size(g.b), rng), c(g.c.type, size(g.c), rng);
    Buffer bias(t.c_type == R32F ? R32F : t.c_type, t.m * t.batch, rng);
    g.a.address = a.address, g.b.address = b.address, g.c.address = c.address, g.d.address = c.address;
    g.alpha = 0.75, g.beta = t.beta;
    g.rounding = t.rounding;
    g.activation = t.activation;
    if (t.bias) g.bias = bias.address, g.bias_type = bias.type, g.bias_batch_stride = t.m;
    std::vector<uint8_t> before(c.bytes(), c.bytes() + size(g.c) * element_size(g.c.type));
    std::vector<float> want = reference(g, before);
    expect(check_ranges(g).empty(), "ranges: " + check_ranges(g));
    int status = submit(nullptr, g);
    expect(status == 0, "the GEMM is queued");
    expect(std::memcmp(before.data(), c.bytes(), before.size()) == 0, "C is untouched before synchronisation");
    expect(cuCtxSynchronize() == 0, "no error reported");
    int64_t index = 0, wrong = 0;
    for (int64_t bb = 0; bb < t.batch; bb++)
        for (int64_t j = 0; j < t.n; j++)
            for (int64_t i = 0; i < t.m; i++, index++) {
                int64_t at = bb * g.c.batch_stride + (t.row_major ? i * g.c.ld + j : i + j * g.c.ld);
                float got = widen_any(g.c.type, c.bytes(), at);
                if (std::memcmp(&got, &want[size_t(index)], 4) != 0 && wrong++ < 3)
                    std::printf("  (%lld,%lld,%lld) got %.9g want %.9g\n", (long long)bb, (long long)i, (long long)j, got, want[size_t(index)]);
            }
    // Padding between columns and batches keeps its values.
    int64_t touched = 0;
    for (int64_t i = 0; i < size(g.c); i++) {
        int64_t r = i % g.c.batch_stride, outer = r / g.c.ld, inner = r % g.c.ld;
        bool inside = outer < (t.row_major ? t.m : t.n) && inner < (t.row_major ? t.n : t.m);
        if (!inside && std::memcmp(before.data() + i * element_size(g.c.type), c.bytes() + i * element_size(g.c.type), element_size(g.c.type)) != 0)
            touched++;
    }
    char name[256];
    std::snprintf(name, sizeof name, "%lldx%lldx%lld batch %lld %c%c %s %s->%s rounding %d act %d bias %d beta %g",
                  (long long)t.m, (long long)t.n, (long long)t.k, (long long)t.batch, t.ta ? 'T' : 'N', t.tb ? 'T' : 'N',
                  t.row_major ? "row" : "col", type_name(t.ab_type), type_name(t.c_type), int(t.rounding),
                  int(t.activation), int(t.bias), t.beta);
    expect(wrong == 0, std::string(name) + ": " + std::to_string(wrong) + " elements differ from the reference");
    expect(touched == 0, std::string(name) + ": padding overwritten");
}

void test_formats() {
    // Every fp8 code round-trips; NaN stays NaN; overflow saturates.
    for (int v = 0; v < 256; v++) {
        float e4 = e4m3_to_float(uint8_t(v)), e5 = e5m2_to_float(uint8_t(v));
        if (!std::isnan(e4)) expect(float_to_e4m3(e4) == v || (e4 == 0 && (v & 0x7f) == 0), "e4m3 round trip " + std::to_string(v));
        if (!std::isnan(e5) && !std::isinf(e5)) expect(float_to_e5m2(e5) == v || (e5 == 0 && (v & 0x7f) == 0), "e5m2 round trip " + std::to_string(v));
    }
    expect(e4m3_to_float(0x7e) == 448 && e5m2_to_float(0x7b) == 57344, "fp8 maxima");
    expect(float_to_e4m3(1000) == 0x7e && float_to_e4m3(-1e30f) == 0xfe && float_to_e5m2(INFINITY) == 0x7b, "fp8 saturates");
    expect(std::isnan(e4m3_to_float(float_to_e4m3(NAN))), "e4m3 NaN");
    // Ties to even: 1 + 1/16 lies between 1 (even mantissa) and 1.125.
    expect(e4m3_to_float(float_to_e4m3(1.0625f)) == 1.0f && e4m3_to_float(float_to_e4m3(1.1875f)) == 1.25f, "e4m3 ties to even");
    expect(e4m3_to_float(0x01) == std::ldexp(1.0f, -9), "e4m3 smallest subnormal");
    expect(round_to_tf32(1.0f + std::ldexp(1.0f, -11)) == 1.0f, "tf32 tie to even (down)");
    expect(round_to_tf32(1.0f + 3 * std::ldexp(1.0f, -11)) == 1.0f + std::ldexp(1.0f, -9), "tf32 tie to even (up)");
    expect(float_to_bf16(1.0f + std::ldexp(1.0f, -8)) == 0x3f80 && float_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)) == 0x3f82, "bf16 ties to even");
    expect(float_to_half(65520.0f) == 0x7c00 && float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3c00, "fp16 rounding and overflow");
}

double thread_seconds() {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

// GFLOP/s by wall time, and by this thread's CPU time (with RASNATIVE_CUDA_EMULATOR_WORKERS=1 all work runs on
// this thread, so that is the speed of one core even on a machine shared with other jobs).
std::pair<double, double> bench(int64_t m, int64_t n, int64_t k, int type, int repeats) {
    std::mt19937 rng(7);
    Gemm g;
    g.call = "bench";
    g.m = m, g.n = n, g.k = k;
    auto op = [&](int64_t rows, int64_t cols) {
        Operand o;
        o.type = type, o.rows = rows, o.cols = cols, o.ld = rows;
        return o;
    };
    g.a = op(m, k), g.b = op(k, n), g.c = op(m, n);
    g.c.type = R32F;
    g.d = g.c;
    Buffer a(type, m * k, rng), b(type, k * n, rng), c(R32F, m * n, rng);
    g.a.address = a.address, g.b.address = b.address, g.c.address = g.d.address = c.address;
    execute(g); // warm-up (scratch growth, page faults)
    auto start = std::chrono::steady_clock::now();
    double cpu_start = thread_seconds();
    for (int r = 0; r < repeats; r++) execute(g);
    double cpu = thread_seconds() - cpu_start;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double flops = 2.0 * double(m) * double(n) * double(k) * repeats / 1e9;
    return {flops / seconds, flops / cpu};
}

} // namespace

int main(int argc, char** argv) {
    int device = 0;
    void* context = nullptr;
    if (cuInit(0) != 0 || cuDeviceGet(&device, 0) != 0 || cuDevicePrimaryCtxRetain(&context, device) != 0 || cuCtxSetCurrent(context) != 0) {
        std::fprintf(stderr, "the emulated driver did not start\n");
        return 2;
    }
    test_formats();
    std::mt19937 rng(20241128);
    const int types[][2] = {{R32F, R32F}, {R16F, R16F}, {R16F, R32F}, {R16BF, R16BF}, {R16BF, R32F}, {R8F_E4M3, R16BF}, {R8F_E5M2, R32F}};
    for (auto [ab, c] : types)
        for (bool ta : {false, true})
            for (bool tb : {false, true}) run_case({37, 29, 53, 1, ta, tb, false, ab, c, InputRounding::None, Activation::None, false, 0.5f}, rng);
    // Blocking edges (MC = 128, NC = 192, KC = 256), batches, row-major layouts, roundings and epilogues.
    run_case({300, 401, 600, 1, true, false, false, R32F, R32F, InputRounding::None, Activation::None, false, 0}, rng);
    run_case({129, 193, 257, 2, false, true, false, R16BF, R32F, InputRounding::None, Activation::None, true, 1}, rng);
    run_case({17, 13, 9, 7, true, true, true, R16F, R16F, InputRounding::None, Activation::Gelu, true, 0}, rng);
    run_case({64, 48, 40, 3, false, false, true, R32F, R32F, InputRounding::Tf32, Activation::Relu, true, 0.25f}, rng);
    run_case({33, 31, 70, 1, false, false, false, R32F, R32F, InputRounding::Bf16, Activation::None, false, 0}, rng);
    run_case({33, 31, 70, 1, true, false, false, R32F, R32F, InputRounding::Half, Activation::Gelu, true, 0}, rng);
    run_case({5, 7, 0, 2, false, false, false, R32F, R32F, InputRounding::None, Activation::None, true, 2}, rng);
    std::printf("self-test: %s (%d failure%s)\n", failures ? "FAILED" : "passed", failures, failures == 1 ? "" : "s");
    if (argc > 1 && std::strcmp(argv[1], "--bench") == 0) {
        auto report = [](const char* shape, int type, std::pair<double, double> r) {
            std::printf("%-16s %-15s %6.1f GFLOP/s wall, %6.1f GFLOP/s per calling-thread CPU second\n", shape, type_name(type), r.first, r.second);
        };
        for (int type : {int(R32F), int(R16BF), int(R8F_E4M3)}) report("512^3", type, bench(512, 512, 512, type, 20));
        report("1024^3", R32F, bench(1024, 1024, 1024, R32F, 5));
        report("64x4429x64", R32F, bench(64, 4429, 64, R32F, 20));
    }
    return failures ? 1 : 0;
}
