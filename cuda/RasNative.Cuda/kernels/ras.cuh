// Shared by every kernel source. NVRTC 11.x ships neither cuda_fp16.h nor cuda_bf16.h, so the 16-bit
// formats are plain storage structs converted to float with PTX cvt / bit arithmetic; all math is float.
// Each .cu is compiled once per storage type with -DRAS_DTYPE=0 (float), 1 (__half) or 2 (__nv_bfloat16),
// so kernels are extern "C" with unmangled names and "T" is the storage type.
// Inline PTX lives only here and in ras_tensor_core.cuh, each with a `#ifdef RASNATIVE_CUDA_EMULATOR` twin
// for the CUDA emulator, which compiles the same sources with g++ (docs/cuda.md).
#pragma once

struct __align__(2) __half { unsigned short x; };
struct __align__(2) __nv_bfloat16 { unsigned short x; };

#if RAS_DTYPE == 1
typedef __half T;
#elif RAS_DTYPE == 2
typedef __nv_bfloat16 T;
#else
typedef float T;
#endif

__device__ __forceinline__ float to_float(float v) { return v; }

// binary16 → float is exact. The PTX twin is what NVRTC compiles; under the CUDA emulator (docs/cuda.md) the
// same conversion in bit arithmetic: subnormals exact, Inf kept, NaN payload kept.
__device__ __forceinline__ float to_float(__half v)
{
#ifdef RASNATIVE_CUDA_EMULATOR
    const unsigned sign = (unsigned)(v.x & 0x8000u) << 16, exponent = (v.x >> 10) & 0x1fu, mantissa = v.x & 0x3ffu;
    if (exponent == 0)
    {
        const float magnitude = (float)mantissa * 5.9604644775390625e-08f; // mantissa · 2⁻²⁴, exact
        return sign ? -magnitude : magnitude;
    }
    return __uint_as_float(exponent == 0x1f ? sign | 0x7f800000u | (mantissa << 13) : sign | ((exponent + 112) << 23) | (mantissa << 13));
#else
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(v.x));
    return f;
#endif
}

// bf16 is the top half of a float32.
__device__ __forceinline__ float to_float(__nv_bfloat16 v) { return __uint_as_float(((unsigned)v.x) << 16); }

template <typename S> __device__ S from_float(float f);

template <> __device__ __forceinline__ float from_float<float>(float f) { return f; }

// float → binary16, round to nearest even (cvt.rn.f16.f32): overflow to ±Inf, subnormals rounded, NaN → 0x7fff
// (the GPU's canonical NaN). The emulated twin computes the same bits.
template <> __device__ __forceinline__ __half from_float<__half>(float f)
{
    __half h;
#ifdef RASNATIVE_CUDA_EMULATOR
    const unsigned u = __float_as_uint(f), sign = (u >> 16) & 0x8000u, magnitude = u & 0x7fffffffu;
    if (magnitude > 0x7f800000u)
        h.x = 0x7fff;
    else if (magnitude >= 0x477ff000u) // rounds to a value beyond 65504
        h.x = (unsigned short)(sign | 0x7c00u);
    else if (magnitude < 0x38800000u) // below 2⁻¹⁴: a subnormal, mantissa = round(|f| · 2²⁴)
        h.x = (unsigned short)(sign | (unsigned)nearbyintf(__uint_as_float(magnitude) * 16777216.0f));
    else
        h.x = (unsigned short)(sign | ((magnitude + 0xfffu + ((magnitude >> 13) & 1u) - 0x38000000u) >> 13));
#else
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h.x) : "f"(f));
#endif
    return h;
}

// Round to nearest even by bit arithmetic (cvt.rn.bf16.f32 needs sm_80; this works on every arch).
template <> __device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float f)
{
    unsigned u = __float_as_uint(f);
    __nv_bfloat16 b;
    if ((u & 0x7fffffffu) > 0x7f800000u)
        b.x = (unsigned short)((u >> 16) | 0x40u); // NaN stays a (quiet) NaN
    else
        b.x = (unsigned short)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
    return b;
}

__device__ __forceinline__ float load(const T* p, long long i) { return to_float(p[i]); }

__device__ __forceinline__ void store(T* p, long long i, float v) { p[i] = from_float<T>(v); }

#define RAS_NEG_INF __int_as_float(0xff800000)

// Grid-stride loop over [0, n): any launch size covers any n.
#define GRID_STRIDE(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); i += (long long)blockDim.x * gridDim.x)

// Dynamic shared memory (the launch's sharedBytes): RAS_DYNAMIC_SHARED(float, smem); at the top of a kernel.
#ifdef RASNATIVE_CUDA_EMULATOR
#define RAS_DYNAMIC_SHARED(type, name) type* const name = (type*)rasemu_dynamic_shared()
#else
#define RAS_DYNAMIC_SHARED(type, name) extern __shared__ type name[]
#endif

// 16-byte vectors of T (4 floats, 8 halves): elementwise kernels load and store whole vectors where every pointer
// is 16-byte aligned and the extent a multiple of RAS_VEC, and single elements otherwise.
#define RAS_VEC ((int)(16 / sizeof(T)))
struct __align__(16) VecT { T v[16 / sizeof(T)]; };

__device__ __forceinline__ bool aligned16(const void* p) { return ((unsigned long long)p & 15ull) == 0; }

// y[i] = op(x[i]) over n elements (y may be x): whole vectors where aligned, then the tail.
template <typename Op>
__device__ __forceinline__ void map_unary(const T* x, T* y, long long n, Op op)
{
    long long head = 0;
    if (aligned16(x) && aligned16(y))
    {
        head = n / RAS_VEC * RAS_VEC;
        GRID_STRIDE(i, head / RAS_VEC)
        {
            VecT v = reinterpret_cast<const VecT*>(x)[i];
            for (int k = 0; k < RAS_VEC; k++) v.v[k] = from_float<T>(op(to_float(v.v[k])));
            reinterpret_cast<VecT*>(y)[i] = v;
        }
    }
    GRID_STRIDE(j, n - head) store(y, head + j, op(load(x, head + j)));
}

// y[i] = op(a[i], b[i]) over n elements.
template <typename Op>
__device__ __forceinline__ void map_binary(const T* a, const T* b, T* y, long long n, Op op)
{
    long long head = 0;
    if (aligned16(a) && aligned16(b) && aligned16(y))
    {
        head = n / RAS_VEC * RAS_VEC;
        GRID_STRIDE(i, head / RAS_VEC)
        {
            const VecT u = reinterpret_cast<const VecT*>(a)[i];
            VecT v = reinterpret_cast<const VecT*>(b)[i];
            for (int k = 0; k < RAS_VEC; k++) v.v[k] = from_float<T>(op(to_float(u.v[k]), to_float(v.v[k])));
            reinterpret_cast<VecT*>(y)[i] = v;
        }
    }
    GRID_STRIDE(j, n - head) store(y, head + j, op(load(a, head + j), load(b, head + j)));
}

// One block per row, for any number of rows.
#define BLOCK_PER_ROW(row, rows) for (long long row = blockIdx.x; row < (long long)(rows); row += gridDim.x)

__device__ __forceinline__ float warp_sum(float v)
{
    for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
    return v;
}

__device__ __forceinline__ float warp_max(float v)
{
    for (int offset = 16; offset > 0; offset >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, offset));
    return v;
}

// Block-wide reductions; scratch is __shared__ float[33]. Every thread gets the result. The leading
// barrier lets a block call these back to back on the same scratch.
__device__ __forceinline__ float block_sum(float v, float* scratch)
{
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
    v = warp_sum(v);
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    if (warp == 0)
    {
        v = warp_sum(lane < warps ? scratch[lane] : 0.0f);
        if (lane == 0) scratch[32] = v;
    }
    __syncthreads();
    return scratch[32];
}

__device__ __forceinline__ float block_max(float v, float* scratch)
{
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
    v = warp_max(v);
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    if (warp == 0)
    {
        v = warp_max(lane < warps ? scratch[lane] : RAS_NEG_INF);
        if (lane == 0) scratch[32] = v;
    }
    __syncthreads();
    return scratch[32];
}
