// TEMPORARY (see README.md): the cuBLAS calls RasNative's backend makes, column-major, float accumulation
// with one FMA per product in k order, queued on the handle's stream through rasemu_host.h.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "rasemu_host.h"

#define RASEMU_EXPORT extern "C" __attribute__((visibility("default")))

namespace
{
enum : int { StatusSuccess = 0, NotInitialized = 1, InvalidValue = 7, ExecutionFailed = 13, NotSupported = 15 };
enum : int { R32F = 0, R16F = 2, R16BF = 14 };
constexpr int CudaErrorIllegalAddress = 700;

struct Handle
{
    void* stream = nullptr;
};

float load(const void* base, int type, int64_t index)
{
    if (type == R32F) return static_cast<const float*>(base)[index];
    uint16_t h = static_cast<const uint16_t*>(base)[index];
    uint32_t bits;
    if (type == R16BF)
    {
        bits = static_cast<uint32_t>(h) << 16;
    }
    else
    {
        uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16, exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
        if (exponent == 0)
        {
            float f = static_cast<float>(mantissa) * 5.9604644775390625e-08f;
            return sign ? -f : f;
        }
        bits = exponent == 0x1f ? sign | 0x7f800000u | (mantissa << 13) : sign | ((exponent + 112) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

void store(void* base, int type, int64_t index, float value)
{
    if (type == R32F)
    {
        static_cast<float*>(base)[index] = value;
        return;
    }
    uint32_t u;
    memcpy(&u, &value, 4);
    uint16_t h;
    if (type == R16BF)
    {
        h = (u & 0x7fffffffu) > 0x7f800000u ? static_cast<uint16_t>((u >> 16) | 0x40u) : static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
    }
    else
    {
        // float → binary16, round to nearest even (subnormals and overflow to infinity included).
        uint32_t sign = (u >> 16) & 0x8000u, magnitude = u & 0x7fffffffu;
        if (magnitude > 0x7f800000u) h = 0x7fff;
        else if (magnitude >= 0x477ff000u) h = static_cast<uint16_t>(sign | 0x7c00u);
        else if (magnitude < 0x38800000u)
        {
            float f;
            memcpy(&f, &magnitude, 4);
            h = static_cast<uint16_t>(sign | static_cast<uint32_t>(std::nearbyint(f * 16777216.0f)));
        }
        else
        {
            uint32_t rounded = magnitude + 0xfffu + ((magnitude >> 13) & 1u);
            h = static_cast<uint16_t>(sign | ((rounded - 0x38000000u) >> 13));
        }
    }
    static_cast<uint16_t*>(base)[index] = h;
}

int element_size(int type) { return type == R32F ? 4 : 2; }

struct Gemm
{
    int transa, transb, m, n, k;
    float alpha, beta;
    uint64_t a, b, c;
    int atype, btype, ctype, lda, ldb, ldc;
    int64_t stride_a, stride_b, stride_c;
    int batch;
};

bool inside(uint64_t base, int64_t elements, int type, const char* what, std::string& problem)
{
    const char* why = nullptr;
    if (elements <= 0 || rasemu_device_range(base, static_cast<uint64_t>(elements) * element_size(type), &why)) return true;
    problem = std::string(what) + ": " + (why ? why : "outside device memory");
    return false;
}

void column(void* arg, int64_t index)
{
    const Gemm& g = *static_cast<const Gemm*>(arg);
    int64_t batch = index / g.n, j = index % g.n;
    auto* a = reinterpret_cast<const void*>(g.a);
    auto* b = reinterpret_cast<const void*>(g.b);
    auto* c = reinterpret_cast<void*>(g.c);
    for (int64_t i = 0; i < g.m; i++)
    {
        float sum = 0.0f;
        for (int64_t p = 0; p < g.k; p++)
        {
            float x = load(a, g.atype, batch * g.stride_a + (g.transa ? p + i * g.lda : i + p * g.lda));
            float y = load(b, g.btype, batch * g.stride_b + (g.transb ? j + p * g.ldb : p + j * g.ldb));
            sum = std::fma(x, y, sum);
        }
        int64_t at = batch * g.stride_c + i + j * g.ldc;
        float result = g.alpha * sum;
        if (g.beta != 0.0f) result = std::fma(g.beta, load(c, g.ctype, at), result);
        store(c, g.ctype, at, result);
    }
}

void run(void* arg)
{
    Gemm& g = *static_cast<Gemm*>(arg);
    std::string problem;
    int64_t last = static_cast<int64_t>(g.batch) - 1;
    int64_t a_extent = last * g.stride_a + (g.transa ? static_cast<int64_t>(g.m - 1) * g.lda + g.k : static_cast<int64_t>(g.k - 1) * g.lda + g.m);
    int64_t b_extent = last * g.stride_b + (g.transb ? static_cast<int64_t>(g.k - 1) * g.ldb + g.n : static_cast<int64_t>(g.n - 1) * g.ldb + g.k);
    int64_t c_extent = last * g.stride_c + static_cast<int64_t>(g.n - 1) * g.ldc + g.m;
    if (!inside(g.a, g.k > 0 ? a_extent : 0, g.atype, "A", problem) || !inside(g.b, g.k > 0 ? b_extent : 0, g.btype, "B", problem) ||
        !inside(g.c, c_extent, g.ctype, "C", problem))
    {
        rasemu_report_error(CudaErrorIllegalAddress, problem.c_str());
        return;
    }
    rasemu_parallel_for(static_cast<int64_t>(g.batch) * g.n, column, arg);
}

void release(void* arg) { delete static_cast<Gemm*>(arg); }

int enqueue(void* handle, const Gemm& gemm, const char* name)
{
    if (handle == nullptr) return NotInitialized;
    if (gemm.m < 0 || gemm.n < 0 || gemm.k < 0 || gemm.batch < 0 || gemm.lda < (gemm.transa ? gemm.k : gemm.m) || gemm.lda < 1 ||
        gemm.ldb < (gemm.transb ? gemm.n : gemm.k) || gemm.ldb < 1 || gemm.ldc < gemm.m || gemm.ldc < 1)
        return InvalidValue;
    for (int type : {gemm.atype, gemm.btype, gemm.ctype})
        if (type != R32F && type != R16F && type != R16BF) return NotSupported;
    if (gemm.m == 0 || gemm.n == 0 || gemm.batch == 0) return StatusSuccess;
    int result = rasemu_stream_enqueue(static_cast<Handle*>(handle)->stream, name, run, new Gemm(gemm), release);
    return result == 0 ? StatusSuccess : ExecutionFailed;
}
} // namespace

RASEMU_EXPORT int cublasCreate_v2(void** handle)
{
    if (handle == nullptr) return InvalidValue;
    *handle = new Handle();
    return StatusSuccess;
}

RASEMU_EXPORT int cublasDestroy_v2(void* handle)
{
    if (handle == nullptr) return NotInitialized;
    delete static_cast<Handle*>(handle);
    return StatusSuccess;
}

RASEMU_EXPORT int cublasSetStream_v2(void* handle, void* stream)
{
    if (handle == nullptr) return NotInitialized;
    static_cast<Handle*>(handle)->stream = stream;
    return StatusSuccess;
}

RASEMU_EXPORT int cublasSetMathMode(void* handle, int mode)
{
    if (handle == nullptr) return NotInitialized;
    return mode == 0 || mode == 2 ? StatusSuccess : InvalidValue;
}

RASEMU_EXPORT const char* cublasGetStatusName(int status)
{
    switch (status)
    {
    case StatusSuccess: return "CUBLAS_STATUS_SUCCESS";
    case NotInitialized: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case InvalidValue: return "CUBLAS_STATUS_INVALID_VALUE";
    case ExecutionFailed: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case NotSupported: return "CUBLAS_STATUS_NOT_SUPPORTED";
    default: return "CUBLAS_STATUS_UNKNOWN";
    }
}

RASEMU_EXPORT const char* cublasGetStatusString(int status)
{
    switch (status)
    {
    case StatusSuccess: return "success";
    case NotInitialized: return "the library was not initialized";
    case InvalidValue: return "an invalid numeric value was used as an argument";
    case ExecutionFailed: return "the GPU program failed to execute";
    case NotSupported: return "the functionality requested is not supported";
    default: return "unknown error";
    }
}

RASEMU_EXPORT int cublasGemmEx(void* handle, int transa, int transb, int m, int n, int k, const float* alpha, uint64_t a, int atype, int lda,
    uint64_t b, int btype, int ldb, const float* beta, uint64_t c, int ctype, int ldc, int compute, int algo)
{
    (void)algo;
    if (alpha == nullptr || beta == nullptr || (compute != 68 && compute != 69)) return alpha && beta ? NotSupported : InvalidValue;
    return enqueue(handle, Gemm{transa, transb, m, n, k, *alpha, *beta, a, b, c, atype, btype, ctype, lda, ldb, ldc, 0, 0, 0, 1}, "cublasGemmEx");
}

RASEMU_EXPORT int cublasGemmStridedBatchedEx(void* handle, int transa, int transb, int m, int n, int k, const float* alpha, uint64_t a, int atype,
    int lda, int64_t stride_a, uint64_t b, int btype, int ldb, int64_t stride_b, const float* beta, uint64_t c, int ctype, int ldc, int64_t stride_c,
    int batch, int compute, int algo)
{
    (void)algo;
    if (alpha == nullptr || beta == nullptr || (compute != 68 && compute != 69)) return alpha && beta ? NotSupported : InvalidValue;
    return enqueue(handle, Gemm{transa, transb, m, n, k, *alpha, *beta, a, b, c, atype, btype, ctype, lda, ldb, ldc, stride_a, stride_b, stride_c, batch},
        "cublasGemmStridedBatchedEx");
}
