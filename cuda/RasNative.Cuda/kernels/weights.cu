#include "ras.cuh"

// fp8 decoding, exact (as RasNative.Loaders.Float8Conversions). float8_e4m3fn: s eeee mmm, bias 7, e = 0 gives the
// subnormals m·2^-9, S.1111.111 is NaN, no infinities. float8_e5m2 is the upper byte of an IEEE half.
__device__ __forceinline__ float e4m3_to_float(unsigned char code)
{
    const unsigned magnitude = code & 0x7fu, sign = (unsigned)(code & 0x80u) << 24;
    const unsigned bits = magnitude == 0x7fu ? 0x7fc00000u
        : magnitude < 8u ? __float_as_uint((float)magnitude * 0.001953125f)
        : (magnitude << 20) + (120u << 23);
    return __uint_as_float(bits | sign);
}

__device__ __forceinline__ float e5m2_to_float(unsigned char code)
{
    __half h;
    h.x = (unsigned short)(code << 8);
    return to_float(h);
}

// Element i of a tensor held in a narrow format, decoded exactly: format 0 F16, 1 BF16, 2 F8_E4M3, 3 F8_E5M2
// (CudaBackend.WidenFormat); any other value means the compute dtype T itself.
__device__ __forceinline__ float stored_value(const unsigned char* stored, long long i, int format)
{
    if (format == 0) return to_float(reinterpret_cast<const __half*>(stored)[i]);
    if (format == 1) return to_float(reinterpret_cast<const __nv_bfloat16*>(stored)[i]);
    if (format == 2) return e4m3_to_float(stored[i]);
    if (format == 3) return e5m2_to_float(stored[i]);
    return load(reinterpret_cast<const T*>(stored), i);
}

// A Linear weight held narrower than the compute dtype T, widened into the GEMM's scratch: decode exactly, multiply
// by the fp8 per-tensor scale (1 for the 16-bit formats), round to T as the host conversions do.
extern "C" __global__ void widen_weight(const unsigned char* stored, T* weight, long long n, int format, float scale)
{
    GRID_STRIDE(i, n) store(weight, i, __fmul_rn(stored_value(stored, i, format), scale));
}

// Token embedding lookup: y [count, width] row r = table[ids[r], :], the table [rows, width] held in `format` (as
// stored_value; the compute dtype when narrower formats do not apply) and widened like widen_weight. An id outside
// [0, rows) gives a NaN row (the models check ids on the host first; NaN makes a slip visible downstream).
extern "C" __global__ void embedding_rows(const unsigned char* table, T* y, const int* ids, long long n, int width, int rows,
    int format, float scale)
{
    GRID_STRIDE(i, n)
    {
        const int id = ids[i / width];
        const float v = id >= 0 && id < rows
            ? __fmul_rn(stored_value(table, (long long)id * width + i % width, format), scale)
            : __int_as_float(0x7fc00000);
        store(y, i, v);
    }
}
