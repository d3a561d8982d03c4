// CUDA C++ on the CPU: force-included (g++ -include) by the emulated NVRTC ahead of every kernel source, so the
// project's .cu files compile unchanged into a shared object the emulated driver runs (see docs/cuda.md).
//
// What it maps: the function and variable qualifiers; threadIdx/blockIdx/blockDim/gridDim (read from the
// running fiber's stack region, see rasemu_kernel_abi.h); __shared__ as per-OS-thread storage (a worker runs
// one block at a time, so that is per block); barriers, warp collectives and tensor-core building blocks as
// calls into the driver; atomics; the math and bit-cast intrinsics; the vector types.
//
// Numerics: compiled with FMA contraction (-ffp-contract=fast -mfma) as NVRTC contracts by default. The
// conversions and the _rn intrinsics are bit-exact (the _rn arithmetic carries an optimisation barrier so it is
// never contracted into an FMA). expf, expf-based and other libm functions come from glibc (≤ 1 ulp for expf,
// logf, sinf, cosf; ≤ 2 ulp for tanhf), within CUDA's documented bounds (2 ulp); rsqrtf is 1/sqrtf (≤ 1 ulp,
// CUDA: 2 ulp); __expf is exp2f(x·log2 e) with the product rounded to float, the same construction as the
// hardware's ex2.approx path (CUDA documents 2 + 1.173·|x| ulp). No denormal flushing (CUDA without -ftz).
#pragma once
#define RASNATIVE_CUDA_EMULATOR 1

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <type_traits>
#include <utility>

#include "rasemu_kernel_abi.h"

// ---- qualifiers -----------------------------------------------------------------------------------------
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline __attribute__((always_inline))
#define __noinline__ __attribute__((noinline))
#define __align__(n) __attribute__((aligned(n)))
#define __launch_bounds__(...)
// A worker thread runs one block at a time, so per-OS-thread storage is per-block shared memory.
#define __shared__ static thread_local

// The driver's table, set when the module is loaded (defined by the generated module wrapper).
extern "C" __attribute__((visibility("hidden"))) const rasemu_kernel_runtime* rasemu_rt;

static inline __attribute__((always_inline)) const rasemu_thread_info* rasemu_self()
{
    uintptr_t sp;
    __asm__("mov %%rsp, %0" : "=r"(sp));
    return (const rasemu_thread_info*)rasemu_thread_info_address(sp);
}

// ---- built-in variables and vector types ----------------------------------------------------------------
typedef rasemu_dim3 uint3;
struct dim3
{
    unsigned x, y, z;
    constexpr dim3(unsigned vx = 1, unsigned vy = 1, unsigned vz = 1) : x(vx), y(vy), z(vz) {}
    constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
};

#define threadIdx (rasemu_self()->thread_idx)
#define blockIdx (rasemu_self()->block->block_idx)
#define blockDim (rasemu_self()->block->block_dim)
#define gridDim (rasemu_self()->block->grid_dim)
#define warpSize 32

struct __align__(8) float2 { float x, y; };
struct float3 { float x, y, z; };
struct __align__(16) float4 { float x, y, z, w; };
struct __align__(8) int2 { int x, y; };
struct int3 { int x, y, z; };
struct __align__(16) int4 { int x, y, z, w; };
struct __align__(8) uint2 { unsigned x, y; };
struct __align__(16) uint4 { unsigned x, y, z, w; };

static __forceinline__ float2 make_float2(float x, float y) { return {x, y}; }
static __forceinline__ float3 make_float3(float x, float y, float z) { return {x, y, z}; }
static __forceinline__ float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }
static __forceinline__ int2 make_int2(int x, int y) { return {x, y}; }
static __forceinline__ int4 make_int4(int x, int y, int z, int w) { return {x, y, z, w}; }
static __forceinline__ uint2 make_uint2(unsigned x, unsigned y) { return {x, y}; }
static __forceinline__ uint3 make_uint3(unsigned x, unsigned y, unsigned z) { return {x, y, z}; }
static __forceinline__ uint4 make_uint4(unsigned x, unsigned y, unsigned z, unsigned w) { return {x, y, z, w}; }

// ---- synchronisation and warp collectives ---------------------------------------------------------------
static __forceinline__ void __syncthreads() { rasemu_rt->barrier(RASEMU_BARRIER_PLAIN, 0); }
static __forceinline__ int __syncthreads_count(int p) { return rasemu_rt->barrier(RASEMU_BARRIER_COUNT, p); }
static __forceinline__ int __syncthreads_and(int p) { return rasemu_rt->barrier(RASEMU_BARRIER_AND, p); }
static __forceinline__ int __syncthreads_or(int p) { return rasemu_rt->barrier(RASEMU_BARRIER_OR, p); }
static __forceinline__ void __syncwarp(unsigned mask = 0xffffffffu) { rasemu_rt->syncwarp(mask); }
static __forceinline__ unsigned __ballot_sync(unsigned mask, int p) { return rasemu_rt->vote(mask, RASEMU_VOTE_BALLOT, p); }
static __forceinline__ int __any_sync(unsigned mask, int p) { return (int)rasemu_rt->vote(mask, RASEMU_VOTE_ANY, p); }
static __forceinline__ int __all_sync(unsigned mask, int p) { return (int)rasemu_rt->vote(mask, RASEMU_VOTE_ALL, p); }
static __forceinline__ unsigned __activemask() { return rasemu_rt->vote(0xffffffffu, RASEMU_VOTE_BALLOT, 1); }

template <typename V> static __forceinline__ V rasemu_shfl(unsigned mask, int mode, V v, int arg, int width)
{
    static_assert(sizeof(V) <= 8 && std::is_trivially_copyable<V>::value, "__shfl*_sync: at most 8 bytes of plain data");
    uint64_t bits = 0;
    memcpy(&bits, &v, sizeof(V));
    bits = rasemu_rt->shfl(mask, mode, bits, arg, width);
    memcpy(&v, &bits, sizeof(V));
    return v;
}
template <typename V> static __forceinline__ V __shfl_sync(unsigned mask, V v, int lane, int width = 32) { return rasemu_shfl(mask, RASEMU_SHFL_IDX, v, lane, width); }
template <typename V> static __forceinline__ V __shfl_up_sync(unsigned mask, V v, unsigned delta, int width = 32) { return rasemu_shfl(mask, RASEMU_SHFL_UP, v, (int)delta, width); }
template <typename V> static __forceinline__ V __shfl_down_sync(unsigned mask, V v, unsigned delta, int width = 32) { return rasemu_shfl(mask, RASEMU_SHFL_DOWN, v, (int)delta, width); }
template <typename V> static __forceinline__ V __shfl_xor_sync(unsigned mask, V v, int lane_mask, int width = 32) { return rasemu_shfl(mask, RASEMU_SHFL_XOR, v, lane_mask, width); }

static __forceinline__ void __threadfence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
static __forceinline__ void __threadfence_block() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

[[noreturn]] static inline void __trap()
{
    rasemu_rt->trap("__trap() called");
    __builtin_unreachable();
}
#define RASEMU_STRINGIFY2(x) #x
#define RASEMU_STRINGIFY(x) RASEMU_STRINGIFY2(x)
#define assert(e) ((e) ? (void)0 : rasemu_rt->trap("assertion failed: " #e " at " __FILE__ ":" RASEMU_STRINGIFY(__LINE__)))

// Tensor-core building blocks (used through ras_tensor_core.cuh's device functions, which hold the PTX twins).
static __forceinline__ void rasemu_mma_m16n8k16(int type, float d[4], const unsigned a[4], const unsigned b[2], const float c[4]) { rasemu_rt->mma_m16n8k16(type, d, a, b, c); }
static __forceinline__ void rasemu_ldmatrix(int count, int transpose, const void* row, unsigned* fragments) { rasemu_rt->ldmatrix(count, transpose, row, fragments); }
static __forceinline__ void rasemu_cp_async(void* shared_destination, const void* global_source, unsigned bytes) { rasemu_rt->cp_async(shared_destination, global_source, bytes); }
static __forceinline__ void rasemu_cp_async_commit() { rasemu_rt->cp_async_commit(); }
static __forceinline__ void rasemu_cp_async_wait(unsigned pending_groups) { rasemu_rt->cp_async_wait(pending_groups); }
static __forceinline__ void* rasemu_dynamic_shared() { return rasemu_self()->block->dynamic_shared; }

// ---- atomics (a fiber never yields inside one, and blocks on other workers see real atomics) ---------------
template <typename V> static __forceinline__ V rasemu_atomic_update(V* address, V (*update)(V, V), V operand)
{
    V old = __atomic_load_n(address, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(address, &old, update(old, operand), true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {}
    return old;
}
static __forceinline__ float rasemu_atomic_float(float* address, uint32_t (*update)(uint32_t, float), float operand)
{
    uint32_t* bits = (uint32_t*)address;
    uint32_t old = __atomic_load_n(bits, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(bits, &old, update(old, operand), true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {}
    float result;
    memcpy(&result, &old, 4);
    return result;
}
static inline uint32_t rasemu_float_add_bits(uint32_t old, float v) { float f; memcpy(&f, &old, 4); f = f + v; memcpy(&old, &f, 4); return old; }

#define RASEMU_INTEGER_ATOMICS(V)                                                                                       \
    static __forceinline__ V atomicAdd(V* a, V v) { return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST); }                \
    static __forceinline__ V atomicSub(V* a, V v) { return __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST); }                \
    static __forceinline__ V atomicAnd(V* a, V v) { return __atomic_fetch_and(a, v, __ATOMIC_SEQ_CST); }                \
    static __forceinline__ V atomicOr(V* a, V v) { return __atomic_fetch_or(a, v, __ATOMIC_SEQ_CST); }                  \
    static __forceinline__ V atomicXor(V* a, V v) { return __atomic_fetch_xor(a, v, __ATOMIC_SEQ_CST); }                \
    static __forceinline__ V atomicExch(V* a, V v) { return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST); }              \
    static __forceinline__ V atomicMax(V* a, V v) { return rasemu_atomic_update<V>(a, [](V x, V y) { return x > y ? x : y; }, v); } \
    static __forceinline__ V atomicMin(V* a, V v) { return rasemu_atomic_update<V>(a, [](V x, V y) { return x < y ? x : y; }, v); } \
    static __forceinline__ V atomicCAS(V* a, V compare, V v)                                                             \
    {                                                                                                                   \
        __atomic_compare_exchange_n(a, &compare, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);                          \
        return compare;                                                                                                 \
    }
RASEMU_INTEGER_ATOMICS(int)
RASEMU_INTEGER_ATOMICS(unsigned)
RASEMU_INTEGER_ATOMICS(unsigned long long)
RASEMU_INTEGER_ATOMICS(long long)
#undef RASEMU_INTEGER_ATOMICS
static __forceinline__ unsigned atomicInc(unsigned* a, unsigned limit)
{
    return rasemu_atomic_update<unsigned>(a, [](unsigned old, unsigned l) { return old >= l ? 0u : old + 1; }, limit);
}
// CUDA has no float atomicMax/Min (the real NVRTC, which compiles every source first, would refuse them).
static __forceinline__ float atomicAdd(float* a, float v) { return rasemu_atomic_float(a, rasemu_float_add_bits, v); }
static __forceinline__ float atomicExch(float* a, float v)
{
    uint32_t bits;
    memcpy(&bits, &v, 4);
    bits = __atomic_exchange_n((uint32_t*)a, bits, __ATOMIC_SEQ_CST);
    memcpy(&v, &bits, 4);
    return v;
}

// ---- bit casts and conversions (bit-exact) -----------------------------------------------------------------
static __forceinline__ unsigned __float_as_uint(float f) { unsigned u; memcpy(&u, &f, 4); return u; }
static __forceinline__ int __float_as_int(float f) { int i; memcpy(&i, &f, 4); return i; }
static __forceinline__ float __uint_as_float(unsigned u) { float f; memcpy(&f, &u, 4); return f; }
static __forceinline__ float __int_as_float(int i) { float f; memcpy(&f, &i, 4); return f; }
static __forceinline__ long long __double_as_longlong(double d) { long long l; memcpy(&l, &d, 8); return l; }
static __forceinline__ double __longlong_as_double(long long l) { double d; memcpy(&d, &l, 8); return d; }
static __forceinline__ int __float2int_rn(float f) { return (int)nearbyintf(f); }   // default rounding mode: nearest even
static __forceinline__ int __float2int_rz(float f) { return (int)f; }
static __forceinline__ int __float2int_rd(float f) { return (int)floorf(f); }
static __forceinline__ int __float2int_ru(float f) { return (int)ceilf(f); }
static __forceinline__ unsigned __float2uint_rn(float f) { return (unsigned)nearbyintf(f); }
static __forceinline__ float __int2float_rn(int i) { return (float)i; }
static __forceinline__ float __uint2float_rn(unsigned u) { return (float)u; }

// Correctly rounded float arithmetic that FMA contraction must not fuse: the empty asm makes the rounded
// result opaque to the optimiser, as NVRTC treats __fmul_rn & co.
static __forceinline__ float rasemu_opaque(float v)
{
    __asm__("" : "+x"(v));
    return v;
}
static __forceinline__ float __fmul_rn(float a, float b) { return rasemu_opaque(a * b); }
static __forceinline__ float __fadd_rn(float a, float b) { return rasemu_opaque(a + b); }
static __forceinline__ float __fsub_rn(float a, float b) { return rasemu_opaque(a - b); }
static __forceinline__ float __fdiv_rn(float a, float b) { return rasemu_opaque(a / b); }
static __forceinline__ float __frcp_rn(float a) { return rasemu_opaque(1.0f / a); }
static __forceinline__ float __fsqrt_rn(float a) { return sqrtf(a); }
static __forceinline__ float __fmaf_rn(float a, float b, float c) { return fmaf(a, b, c); }
static __forceinline__ double __dmul_rn(double a, double b) { __asm__("" : "+x"(a)); double r = a * b; __asm__("" : "+x"(r)); return r; }
static __forceinline__ double __dadd_rn(double a, double b) { double r = a + b; __asm__("" : "+x"(r)); return r; }

// ---- math ----------------------------------------------------------------------------------------------------
static __forceinline__ float rsqrtf(float x) { return 1.0f / sqrtf(x); }
static __forceinline__ double rsqrt(double x) { return 1.0 / sqrt(x); }
// glibc declares __expf & co. for itself, so CUDA's fast intrinsics are macros over functions of their own.
static __forceinline__ float rasemu_fast_expf(float x) { return exp2f(x * 1.4426950408889634f); }
static __forceinline__ float rasemu_fast_exp10f(float x) { return exp2f(x * 3.3219280948873622f); }
static __forceinline__ float rasemu_fast_logf(float x) { return log2f(x) * 0.6931471805599453f; }
static __forceinline__ float rasemu_fast_powf(float x, float y) { return exp2f(y * log2f(x)); }
#define __expf rasemu_fast_expf
#define __exp10f rasemu_fast_exp10f
#define __logf rasemu_fast_logf
#define __log2f log2f
#define __sinf sinf
#define __cosf cosf
#define __tanf tanf
#define __powf rasemu_fast_powf
static __forceinline__ float __fdividef(float a, float b) { return a / b; }
static __forceinline__ float __saturatef(float x) { return x >= 1.0f ? 1.0f : (x > 0.0f ? x : 0.0f); }   // NaN → 0

static __forceinline__ int min(int a, int b) { return a < b ? a : b; }
static __forceinline__ int max(int a, int b) { return a > b ? a : b; }
static __forceinline__ unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
static __forceinline__ unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
static __forceinline__ long long min(long long a, long long b) { return a < b ? a : b; }
static __forceinline__ long long max(long long a, long long b) { return a > b ? a : b; }
static __forceinline__ unsigned long long min(unsigned long long a, unsigned long long b) { return a < b ? a : b; }
static __forceinline__ unsigned long long max(unsigned long long a, unsigned long long b) { return a > b ? a : b; }
static __forceinline__ float min(float a, float b) { return fminf(a, b); }
static __forceinline__ float max(float a, float b) { return fmaxf(a, b); }
static __forceinline__ double min(double a, double b) { return fmin(a, b); }
static __forceinline__ double max(double a, double b) { return fmax(a, b); }

// ---- integer intrinsics ---------------------------------------------------------------------------------------
static __forceinline__ int __popc(unsigned x) { return __builtin_popcount(x); }
static __forceinline__ int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
static __forceinline__ int __clz(int x) { return x == 0 ? 32 : __builtin_clz((unsigned)x); }
static __forceinline__ int __clzll(long long x) { return x == 0 ? 64 : __builtin_clzll((unsigned long long)x); }
static __forceinline__ int __ffs(int x) { return __builtin_ffs(x); }
static __forceinline__ int __ffsll(long long x) { return __builtin_ffsll(x); }
static __forceinline__ unsigned __brev(unsigned x)
{
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
    return __builtin_bswap32(x);
}
static __forceinline__ int __mulhi(int a, int b) { return (int)(((long long)a * b) >> 32); }
static __forceinline__ unsigned __umulhi(unsigned a, unsigned b) { return (unsigned)(((unsigned long long)a * b) >> 32); }
template <typename V> static __forceinline__ V __ldg(const V* p) { return *p; }

// ---- the module table -------------------------------------------------------------------------------------------
// The emulated NVRTC appends RASEMU_KERNEL(name) for every extern "C" __global__ function it finds in the source,
// between RASEMU_MODULE_BEGIN and RASEMU_MODULE_END.
namespace rasemu_detail
{
template <typename T> using arg_t = typename std::remove_cv<typename std::remove_reference<T>::type>::type;

template <typename F> struct kernel_traits;
template <typename... A> struct kernel_traits<void (*)(A...)>
{
    static constexpr unsigned count = sizeof...(A);
    static constexpr unsigned sizes[sizeof...(A) + 1] = {(unsigned)sizeof(arg_t<A>)..., 0u};

    template <void (*F)(A...), size_t... I> static void call(void** params, std::index_sequence<I...>)
    {
        F(*static_cast<arg_t<A>*>(params[I])...);
    }
    template <void (*F)(A...)> static void entry(void** params) { call<F>(params, std::index_sequence_for<A...>{}); }
};
} // namespace rasemu_detail

#define RASEMU_MODULE_BEGIN                                                                                              \
    extern "C" {                                                                                                        \
    __attribute__((visibility("hidden"))) const rasemu_kernel_runtime* rasemu_rt = nullptr;                             \
    }                                                                                                                   \
    static const rasemu_kernel_desc rasemu_kernel_table[] = {
#define RASEMU_KERNEL(name)                                                                                              \
    {#name, &rasemu_detail::kernel_traits<decltype(&name)>::template entry<&name>,                                      \
     rasemu_detail::kernel_traits<decltype(&name)>::count, rasemu_detail::kernel_traits<decltype(&name)>::sizes},
#define RASEMU_MODULE_END                                                                                                \
    {nullptr, nullptr, 0u, nullptr}};                                                                                    \
    extern "C" __attribute__((visibility("default"))) const rasemu_module_desc* rasemu_module(void)                     \
    {                                                                                                                   \
        static const rasemu_module_desc desc = {RASEMU_KERNEL_ABI_VERSION,                                              \
            (unsigned)(sizeof(rasemu_kernel_table) / sizeof(rasemu_kernel_table[0]) - 1), rasemu_kernel_table, &rasemu_rt}; \
        return &desc;                                                                                                   \
    }
