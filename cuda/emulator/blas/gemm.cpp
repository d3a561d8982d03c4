// Execution of a Gemm: operands are widened (and rounded, for the reduced-precision compute types) into packed
// panels, multiplied by an AVX2/FMA register-tile kernel into a float (or double) accumulator tile per block of
// D, and the epilogue rounds each result once into D's type. Every element of D is
//     acc = fma(op(A)[i][p], op(B)[p][j], acc)   for p = 0, 1, ..., k-1, starting from acc = 0,
// whatever the number of threads or the blocking, so results are deterministic (cuBLAS's own order is not
// this one: results agree within the rounding of a different summation order, not bit for bit).
#include "gemm.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <new>
#include <vector>

#include "../include/rasemu_host.h"

namespace rasemu::blas {
namespace {

constexpr int CudaErrorOutOfMemory = 2;
constexpr int CudaErrorIllegalAddress = 700;

// ---------------------------------------------------------------------------------------------------------
// Register-tile kernels: a MR x NR block of the accumulator += (MR x kc panel of op(A)) (kc x NR panel of op(B)).
// Panels are packed so that step p reads MR consecutive values of A and NR consecutive values of B.

// The vector operations a tile needs, per element type: one AVX register of W lanes.
struct LanesF32 {
    using T = float;
    using V = __m256;
    static constexpr int W = 8;
    static V load(const T* p) { return _mm256_loadu_ps(p); }
    static void store(T* p, V v) { _mm256_storeu_ps(p, v); }
    static V broadcast(const T* p) { return _mm256_broadcast_ss(p); }
    static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
};

struct LanesF64 {
    using T = double;
    using V = __m256d;
    static constexpr int W = 4;
    static V load(const T* p) { return _mm256_loadu_pd(p); }
    static void store(T* p, V v) { _mm256_storeu_pd(p, v); }
    static V broadcast(const T* p) { return _mm256_broadcast_sd(p); }
    static V fma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
};

// MR = two registers of rows, NR = 6 columns: 12 accumulators, 2 A registers and one broadcast fit the 16 ymm
// registers. The column loops are unrolled (the pragmas force it at -O2), so the accumulators stay in registers.
template <class L>
struct Kernel {
    using T = typename L::T;
    static constexpr int MR = 2 * L::W, NR = 6;
    static constexpr int64_t MC = 8 * MR, NC = 32 * NR, KC = 256;

    static void tile(int64_t kc, const T* a, const T* b, T* c, int64_t ldc) {
        typename L::V lo[NR], hi[NR];
#pragma GCC unroll 6
        for (int j = 0; j < NR; j++) lo[j] = L::load(c + j * ldc), hi[j] = L::load(c + j * ldc + L::W);
        for (int64_t p = 0; p < kc; p++, a += MR, b += NR) {
            const auto a0 = L::load(a), a1 = L::load(a + L::W);
#pragma GCC unroll 6
            for (int j = 0; j < NR; j++) {
                const auto bj = L::broadcast(b + j);
                lo[j] = L::fma(a0, bj, lo[j]), hi[j] = L::fma(a1, bj, hi[j]);
            }
        }
#pragma GCC unroll 6
        for (int j = 0; j < NR; j++) L::store(c + j * ldc, lo[j]), L::store(c + j * ldc + L::W, hi[j]);
    }
};

using KernelF32 = Kernel<LanesF32>;
using KernelF64 = Kernel<LanesF64>;

// ---------------------------------------------------------------------------------------------------------
// Element access in any storage type.

template <int Src>
inline float widen(const uint8_t* base, int64_t i) {
    if constexpr (Src == R32F) return reinterpret_cast<const float*>(base)[i];
    else if constexpr (Src == R16F) return half_to_float(reinterpret_cast<const uint16_t*>(base)[i]);
    else if constexpr (Src == R16BF) return bf16_to_float(reinterpret_cast<const uint16_t*>(base)[i]);
    else if constexpr (Src == R8F_E4M3) return e4m3_to_float(base[i]);
    else return e5m2_to_float(base[i]);
}

template <InputRounding R>
inline float round_input(float v) {
    if constexpr (R == InputRounding::Tf32) return round_to_tf32(v);
    else if constexpr (R == InputRounding::Bf16) return round_to_bf16(v);
    else if constexpr (R == InputRounding::Half) return round_to_half(v);
    else return v;
}

template <typename T>
inline T load_element(int type, const uint8_t* base, int64_t i) {
    switch (type) {
    case R64F: return T(reinterpret_cast<const double*>(base)[i]);
    case R32F: return T(widen<R32F>(base, i));
    case R16F: return T(widen<R16F>(base, i));
    case R16BF: return T(widen<R16BF>(base, i));
    case R8F_E4M3: return T(widen<R8F_E4M3>(base, i));
    default: return T(widen<R8F_E5M2>(base, i));
    }
}

template <typename T>
inline void store_element(int type, uint8_t* base, int64_t i, T v) {
    switch (type) {
    case R64F: reinterpret_cast<double*>(base)[i] = double(v); break;
    case R32F: reinterpret_cast<float*>(base)[i] = float(v); break;
    case R16F: reinterpret_cast<uint16_t*>(base)[i] = float_to_half(float(v)); break;
    case R16BF: reinterpret_cast<uint16_t*>(base)[i] = float_to_bf16(float(v)); break;
    case R8F_E4M3: base[i] = float_to_e4m3(float(v)); break;
    default: base[i] = float_to_e5m2(float(v)); break;
    }
}

// ---------------------------------------------------------------------------------------------------------
// Packing: one panel of `width` lanes (rows of op(A) or columns of op(B)) over all k, lane l of step p at
// dst[p * width + l]; lanes past `lanes` are zero. Element (lane l, step p) of the source is at
// base[l * lane_stride + p * k_stride].

template <typename T>
using Packer = void (*)(const uint8_t* base, int64_t lane_stride, int64_t k_stride, int64_t lanes, int64_t k, int width, T* dst);

template <int Src, InputRounding R>
void pack_float_panel(const uint8_t* base, int64_t lane_stride, int64_t k_stride, int64_t lanes, int64_t k, int width, float* dst) {
    if (k_stride == 1 && lane_stride != 1) {
        // Transposed operand: read along k (contiguous), write every width-th value.
        for (int64_t l = 0; l < lanes; l++)
            for (int64_t p = 0; p < k; p++) dst[p * width + l] = round_input<R>(widen<Src>(base, l * lane_stride + p));
        for (int64_t p = 0; p < k; p++)
            for (int64_t l = lanes; l < width; l++) dst[p * width + l] = 0;
        return;
    }
    for (int64_t p = 0; p < k; p++) {
        float* out = dst + p * width;
        int64_t l = 0;
        for (; l < lanes; l++) out[l] = round_input<R>(widen<Src>(base, l * lane_stride + p * k_stride));
        for (; l < width; l++) out[l] = 0;
    }
}

void pack_double_panel(const uint8_t* base, int64_t lane_stride, int64_t k_stride, int64_t lanes, int64_t k, int width, double* dst) {
    const double* src = reinterpret_cast<const double*>(base);
    for (int64_t p = 0; p < k; p++) {
        double* out = dst + p * width;
        int64_t l = 0;
        for (; l < lanes; l++) out[l] = src[l * lane_stride + p * k_stride];
        for (; l < width; l++) out[l] = 0;
    }
}

template <int Src>
Packer<float> float_packer_for(InputRounding r) {
    switch (r) {
    case InputRounding::Tf32: return pack_float_panel<Src, InputRounding::Tf32>;
    case InputRounding::Bf16: return pack_float_panel<Src, InputRounding::Bf16>;
    case InputRounding::Half: return pack_float_panel<Src, InputRounding::Half>;
    default: return pack_float_panel<Src, InputRounding::None>;
    }
}

Packer<float> float_packer(int type, InputRounding r) {
    switch (type) {
    case R32F: return float_packer_for<R32F>(r);
    case R16F: return float_packer_for<R16F>(r);
    case R16BF: return float_packer_for<R16BF>(r);
    case R8F_E4M3: return float_packer_for<R8F_E4M3>(r);
    default: return float_packer_for<R8F_E5M2>(r);
    }
}

template <typename T>
Packer<T> packer(int type, InputRounding r);
template <>
Packer<float> packer<float>(int type, InputRounding r) { return float_packer(type, r); }
template <>
Packer<double> packer<double>(int, InputRounding) { return pack_double_panel; }

// ---------------------------------------------------------------------------------------------------------

struct Strides {
    int64_t row, col; // offset of element (r, c) = r * row + c * col
};

Strides strides_of(const Operand& o) { return o.row_major ? Strides{o.ld, 1} : Strides{1, o.ld}; }

template <typename T>
T read_device(uint64_t address) {
    return *reinterpret_cast<const T*>(address);
}

template <typename F>
void parallel(int64_t count, const F& body) {
    if (count <= 0) return;
    if (count == 1) {
        body(0);
        return;
    }
    rasemu_parallel_for(count, [](void* arg, int64_t i) { (*static_cast<const F*>(arg))(i); }, const_cast<F*>(&body));
}

template <typename T>
struct Scratch {
    std::vector<T> a, b, acc;
};

template <typename T>
Scratch<T>& thread_scratch() {
    thread_local Scratch<T> scratch;
    return scratch;
}

template <typename T>
T* grow(std::vector<T>& v, size_t n) {
    if (v.size() < n) v.resize(n);
    return v.data();
}

inline float gelu_tanh(float x) {
    const float k0 = 0.7978845608028654f, k1 = 0.044715f; // sqrt(2/pi)
    return 0.5f * x * (1.0f + std::tanh(k0 * (x + k1 * x * x * x)));
}

inline double gelu_tanh(double x) {
    const double k0 = 0.7978845608028654, k1 = 0.044715;
    return 0.5 * x * (1.0 + std::tanh(k0 * (x + k1 * x * x * x)));
}

// Everything one execution derives from the Gemm once.
template <typename K>
struct Run {
    using T = typename K::T;
    const Gemm* g;
    T alpha_ab = 1, beta_c = 0, scale_d = 1;
    bool products = false, use_c = false, has_scale_d = false;
    int64_t a_lane, a_k, b_k, b_lane; // op(A)(i, p) at i * a_lane + p * a_k; op(B)(p, j) at p * b_k + j * b_lane
    Strides c_str{}, d_str{};
    int64_t m_panels = 0, n_panels = 0, tiles_m = 0, tiles_n = 0;
    Packer<T> pack_a = nullptr, pack_b = nullptr;
    mutable std::atomic<uint32_t> amax_bits{0};
    std::atomic<bool> out_of_memory{false};

    const uint8_t* batch_base(const Operand& o, int64_t batch) const {
        return reinterpret_cast<const uint8_t*>(o.address) + batch * o.batch_stride * element_size(o.type);
    }

    // Packs panels [first, last) of op(A) (which = 0) or op(B) (which = 1) of one batch into dst.
    void pack(int which, int64_t batch, int64_t first, int64_t last, T* dst) const {
        const Operand& o = which == 0 ? g->a : g->b;
        const uint8_t* base = batch_base(o, batch);
        int64_t es = element_size(o.type), extent = which == 0 ? g->m : g->n;
        int width = which == 0 ? K::MR : K::NR;
        int64_t lane = which == 0 ? a_lane : b_lane, kstride = which == 0 ? a_k : b_k;
        Packer<T> fn = which == 0 ? pack_a : pack_b;
        for (int64_t panel = first; panel < last; panel++) {
            int64_t l0 = panel * width;
            fn(base + l0 * lane * es, lane, kstride, std::min<int64_t>(width, extent - l0), g->k, width, dst + panel * g->k * width);
        }
    }

    void pack_all(int64_t batch, T* pa, T* pb) const {
        pack(0, batch, 0, m_panels, pa);
        pack(1, batch, 0, n_panels, pb);
    }

    void tile(int64_t batch, int64_t t, const T* pa, const T* pb, std::vector<T>& acc_buffer) const {
        const Gemm& gg = *g;
        int64_t i0 = (t / tiles_n) * K::MC, j0 = (t % tiles_n) * K::NC;
        int64_t i1 = std::min(gg.m, i0 + K::MC), j1 = std::min(gg.n, j0 + K::NC);
        int64_t mp = (i1 - i0 + K::MR - 1) / K::MR, np = (j1 - j0 + K::NR - 1) / K::NR;
        int64_t ldacc = mp * K::MR;
        T* acc = grow(acc_buffer, size_t(ldacc * np * K::NR));
        std::fill(acc, acc + ldacc * np * K::NR, T(0));
        if (products) {
            for (int64_t p0 = 0; p0 < gg.k; p0 += K::KC) {
                int64_t kc = std::min(K::KC, gg.k - p0);
                for (int64_t jp = 0; jp < np; jp++) {
                    const T* bpanel = pb + ((j0 / K::NR + jp) * gg.k + p0) * K::NR;
                    for (int64_t ip = 0; ip < mp; ip++) {
                        const T* apanel = pa + ((i0 / K::MR + ip) * gg.k + p0) * K::MR;
                        K::tile(kc, apanel, bpanel, acc + ip * K::MR + jp * K::NR * ldacc, ldacc);
                    }
                }
            }
        }
        epilogue(batch, i0, i1, j0, j1, acc, ldacc);
    }

    // D = act(alpha_ab * acc + beta_c * C + bias) [* scale_d], rounded once into D's type.
    void epilogue(int64_t batch, int64_t i0, int64_t i1, int64_t j0, int64_t j1, const T* acc, int64_t ldacc) const {
        const Gemm& gg = *g;
        T col[K::MC];
        int64_t rows = i1 - i0;
        const uint8_t* c = gg.c.address ? batch_base(gg.c, batch) : nullptr;
        uint8_t* d = const_cast<uint8_t*>(batch_base(gg.d, batch));
        const uint8_t* bias = gg.bias ? reinterpret_cast<const uint8_t*>(gg.bias) +
                                            batch * gg.bias_batch_stride * element_size(gg.bias_type)
                                      : nullptr;
        uint32_t local_amax = 0;
        for (int64_t j = j0; j < j1; j++) {
            const T* a = acc + (j - j0) * ldacc;
            if (products)
                for (int64_t i = 0; i < rows; i++) col[i] = alpha_ab * a[i];
            else
                std::fill(col, col + rows, T(0));
            if (use_c)
                for (int64_t i = 0; i < rows; i++)
                    col[i] = std::fma(beta_c, load_element<T>(gg.c.type, c, (i0 + i) * c_str.row + j * c_str.col), col[i]);
            if (bias)
                for (int64_t i = 0; i < rows; i++) col[i] += load_element<T>(gg.bias_type, bias, i0 + i);
            if (gg.activation == Activation::Relu)
                for (int64_t i = 0; i < rows; i++) col[i] = col[i] < T(0) ? T(0) : col[i]; // NaN stays NaN
            else if (gg.activation == Activation::Gelu)
                for (int64_t i = 0; i < rows; i++) col[i] = gelu_tanh(col[i]);
            if (gg.amax_d)
                for (int64_t i = 0; i < rows; i++) local_amax = std::max(local_amax, float_bits(std::fabs(float(col[i]))));
            if (has_scale_d)
                for (int64_t i = 0; i < rows; i++) col[i] *= scale_d;
            for (int64_t i = 0; i < rows; i++) store_element<T>(gg.d.type, d, (i0 + i) * d_str.row + j * d_str.col, col[i]);
        }
        // |x| of a float orders like its bits (NaN above infinity), so the maximum is an integer maximum.
        uint32_t seen = amax_bits.load();
        while (local_amax > seen && !amax_bits.compare_exchange_weak(seen, local_amax)) {
        }
    }
};

template <typename K>
void run(const Gemm& g) {
    using T = typename K::T;
    Run<K> r;
    r.g = &g;
    T alpha = g.alpha_device ? read_device<T>(g.alpha_device) : T(g.alpha);
    T beta = g.beta_device ? read_device<T>(g.beta_device) : T(g.beta);
    T scale_a = g.scale_a ? T(read_device<float>(g.scale_a)) : T(1);
    T scale_b = g.scale_b ? T(read_device<float>(g.scale_b)) : T(1);
    T scale_c = g.scale_c ? T(read_device<float>(g.scale_c)) : T(1);
    r.alpha_ab = alpha * scale_a * scale_b;
    r.beta_c = beta * scale_c;
    r.has_scale_d = g.scale_d != 0;
    if (r.has_scale_d) r.scale_d = T(read_device<float>(g.scale_d));
    // As in BLAS, alpha == 0 reads neither A nor B and beta == 0 does not read C (NaNs there do not propagate).
    r.products = g.k > 0 && alpha != T(0);
    r.use_c = beta != T(0);
    if (r.use_c && !g.c.address) {
        std::string message = std::string(g.call) + ": beta is not zero but C is NULL";
        rasemu_report_error(CudaErrorIllegalAddress, message.c_str());
        return;
    }

    Strides sa = strides_of(g.a), sb = strides_of(g.b);
    r.a_lane = g.trans_a ? sa.col : sa.row;
    r.a_k = g.trans_a ? sa.row : sa.col;
    r.b_k = g.trans_b ? sb.col : sb.row;
    r.b_lane = g.trans_b ? sb.row : sb.col;
    r.c_str = strides_of(g.c);
    r.d_str = strides_of(g.d);
    r.m_panels = (g.m + K::MR - 1) / K::MR;
    r.n_panels = (g.n + K::NR - 1) / K::NR;
    r.tiles_m = (g.m + K::MC - 1) / K::MC;
    r.tiles_n = (g.n + K::NC - 1) / K::NC;
    r.pack_a = packer<T>(g.a.type, g.rounding);
    r.pack_b = packer<T>(g.b.type, g.rounding);

    const int64_t tiles = r.tiles_m * r.tiles_n;
    const size_t a_size = size_t(r.m_panels * K::MR * g.k), b_size = size_t(r.n_panels * K::NR * g.k);
    const double macs = double(g.m) * double(g.n) * double(g.k);
    // Many small products: one batch per worker. Otherwise each batch is split into blocks of D.
    const bool by_batch = g.batch > 1 && (tiles == 1 || macs < double(1 << 21));

    try {
        if (by_batch) {
            parallel(g.batch, [&](int64_t batch) {
                try {
                    Scratch<T>& s = thread_scratch<T>();
                    T* pa = r.products ? grow(s.a, a_size) : nullptr;
                    T* pb = r.products ? grow(s.b, b_size) : nullptr;
                    if (r.products) r.pack_all(batch, pa, pb);
                    for (int64_t t = 0; t < tiles; t++) r.tile(batch, t, pa, pb, s.acc);
                } catch (const std::bad_alloc&) {
                    r.out_of_memory = true;
                }
            });
        } else {
            Scratch<T>& own = thread_scratch<T>();
            T* pa = r.products ? grow(own.a, a_size) : nullptr;
            T* pb = r.products ? grow(own.b, b_size) : nullptr;
            // Panels are packed in groups so that small matrices do not pay one worker hand-off per panel.
            const int64_t group = 4;
            const int64_t a_groups = (r.m_panels + group - 1) / group, b_groups = (r.n_panels + group - 1) / group;
            for (int64_t batch = 0; batch < g.batch; batch++) {
                if (r.products)
                    parallel(a_groups + b_groups, [&](int64_t index) {
                        bool is_a = index < a_groups;
                        int64_t first = (is_a ? index : index - a_groups) * group;
                        int64_t last = std::min(first + group, is_a ? r.m_panels : r.n_panels);
                        r.pack(is_a ? 0 : 1, batch, first, last, is_a ? pa : pb);
                    });
                parallel(tiles, [&](int64_t t) {
                    try {
                        r.tile(batch, t, pa, pb, thread_scratch<T>().acc);
                    } catch (const std::bad_alloc&) {
                        r.out_of_memory = true;
                    }
                });
            }
        }
    } catch (const std::bad_alloc&) {
        r.out_of_memory = true;
    }
    // Packed panels of a large product are not kept for the next (small) ones.
    const size_t keep = size_t(64) << 20;
    Scratch<T>& own = thread_scratch<T>();
    if (own.a.size() * sizeof(T) > keep) std::vector<T>().swap(own.a);
    if (own.b.size() * sizeof(T) > keep) std::vector<T>().swap(own.b);
    if (r.out_of_memory) {
        std::string message = std::string(g.call) + ": the emulator ran out of host memory for its packed panels";
        rasemu_report_error(CudaErrorOutOfMemory, message.c_str());
        return;
    }
    if (g.amax_d) *reinterpret_cast<float*>(g.amax_d) = bits_float(r.amax_bits.load());
}

// ---------------------------------------------------------------------------------------------------------
// Range checks.

std::string hex(uint64_t v) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(v));
    return text;
}

// Checks [address + lo, address + hi) with lo/hi in bytes (128-bit so absurd strides cannot wrap around).
std::string check_bytes(const Gemm& g, const std::string& what, uint64_t address, __int128 lo, __int128 hi) {
    __int128 first = __int128(address) + lo, end = __int128(address) + hi;
    const char* why = nullptr;
    if (address == 0) why = "the pointer is NULL";
    else if (first < 0 || end > __int128(UINT64_MAX)) why = "the range wraps around the address space";
    else if (rasemu_device_range(uint64_t(first), uint64_t(end - first), &why)) return {};
    return std::string(g.call) + ": " + what + " needs bytes [" + hex(uint64_t(first)) + ", " + hex(uint64_t(end)) +
           "), which no single device allocation holds: " + (why ? why : "outside every allocation");
}

std::string check_operand(const Gemm& g, const char* name, const Operand& o) {
    Strides s = strides_of(o);
    __int128 es = element_size(o.type);
    __int128 last = __int128(o.rows - 1) * s.row + __int128(o.cols - 1) * s.col;
    __int128 shift = __int128(g.batch - 1) * o.batch_stride;
    __int128 lo = std::min<__int128>(0, shift), hi = std::max<__int128>(0, shift) + last + 1;
    char what[256];
    std::snprintf(what, sizeof what, "%s (%s, %lld x %lld %s-major, ld %lld, %lld batch%s of stride %lld)", name,
                  type_name(o.type), static_cast<long long>(o.rows), static_cast<long long>(o.cols),
                  o.row_major ? "row" : "column", static_cast<long long>(o.ld), static_cast<long long>(g.batch),
                  g.batch == 1 ? "" : "es", static_cast<long long>(o.batch_stride));
    return check_bytes(g, what, o.address, lo * es, hi * es);
}

std::string check_scalar(const Gemm& g, const char* name, uint64_t address, int bytes) {
    return address ? check_bytes(g, name, address, 0, bytes) : std::string();
}

void report_task(void* arg) { rasemu_report_error(CudaErrorIllegalAddress, static_cast<std::string*>(arg)->c_str()); }
void delete_message(void* arg) { delete static_cast<std::string*>(arg); }

void run_task(void* arg) {
    const Gemm& g = *static_cast<const Gemm*>(arg);
    // Again at run time: an operand freed (or never allocated) between the call and the work faults here.
    std::string error = check_ranges(g);
    if (!error.empty()) {
        rasemu_report_error(CudaErrorIllegalAddress, error.c_str());
        return;
    }
    execute(g);
}

void delete_gemm(void* arg) { delete static_cast<Gemm*>(arg); }

} // namespace

std::string check_ranges(const Gemm& g) {
    if (g.m == 0 || g.n == 0 || g.batch == 0) return {};
    const int scalar = g.f64 ? 8 : 4;
    std::string e;
    if (e.empty()) e = check_scalar(g, "alpha (device pointer mode)", g.alpha_device, scalar);
    if (e.empty()) e = check_scalar(g, "beta (device pointer mode)", g.beta_device, scalar);
    bool products = g.k > 0 && (g.alpha_device || g.alpha != 0);
    if (e.empty() && products) e = check_operand(g, "matrix A", g.a);
    if (e.empty() && products) e = check_operand(g, "matrix B", g.b);
    bool reads_c = g.beta_device ? g.c.address != 0 : g.beta != 0;
    if (e.empty() && reads_c) e = check_operand(g, "matrix C", g.c);
    if (e.empty()) e = check_operand(g, "matrix D", g.d);
    if (e.empty() && g.bias) {
        Operand bias{g.bias, g.bias_type, g.m, 1, g.m, false, g.bias_batch_stride};
        e = check_operand(g, "bias vector", bias);
    }
    if (e.empty()) e = check_scalar(g, "A scale", g.scale_a, 4);
    if (e.empty()) e = check_scalar(g, "B scale", g.scale_b, 4);
    if (e.empty()) e = check_scalar(g, "C scale", g.scale_c, 4);
    if (e.empty()) e = check_scalar(g, "D scale", g.scale_d, 4);
    if (e.empty()) e = check_scalar(g, "D amax", g.amax_d, 4);
    if (e.empty() && g.workspace_bytes) e = check_bytes(g, "the workspace", g.workspace, 0, g.workspace_bytes);
    return e;
}

int submit(void* stream, const Gemm& g) {
    std::string error = check_ranges(g);
    if (!error.empty()) return rasemu_stream_enqueue(stream, g.call, report_task, new std::string(error), delete_message);
    return rasemu_stream_enqueue(stream, g.call, run_task, new Gemm(g), delete_gemm);
}

void execute(const Gemm& g) {
    if (g.m == 0 || g.n == 0 || g.batch == 0) return;
    if (g.f64) run<KernelF64>(g);
    else run<KernelF32>(g);
}

} // namespace rasemu::blas
