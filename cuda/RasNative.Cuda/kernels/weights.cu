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

// A Linear weight held narrower than the compute dtype T, widened into the GEMM's scratch: decode exactly, multiply
// by the fp8 per-tensor scale (1 for the 16-bit formats), round to T as the host conversions do. format: 0 F16,
// 1 BF16, 2 F8_E4M3, 3 F8_E5M2 (CudaBackend.WidenFormat).
extern "C" __global__ void widen_weight(const unsigned char* stored, T* weight, long long n, int format, float scale)
{
    GRID_STRIDE(i, n)
    {
        float v;
        if (format == 0) v = to_float(reinterpret_cast<const __half*>(stored)[i]);
        else if (format == 1) v = to_float(reinterpret_cast<const __nv_bfloat16*>(stored)[i]);
        else if (format == 2) v = e4m3_to_float(stored[i]);
        else v = e5m2_to_float(stored[i]);
        store(weight, i, __fmul_rn(v, scale));
    }
}
