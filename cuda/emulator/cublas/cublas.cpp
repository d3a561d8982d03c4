// librasnative-cublas-emulator.so: the cuBLAS v2 entry points the backend binds (cuda/RasNative.Cuda/Native/Cublas.cs),
// with the real symbol names and C ABI. Arguments are validated as cuBLAS documents (status codes included);
// the product itself is queued on the handle's stream of the emulated driver and runs at synchronisation.
#include <algorithm>
#include <cstdint>
#include <mutex>
#include <unordered_set>

#include "../blas/gemm.h"
#include "../blas/api.h"

using namespace rasemu::blas;

namespace {

// cublasOperation_t: N, T and C (C is T for real types).
constexpr int OpN = 0, OpC = 2;

// cublasMath_t: the low bits select the mode, CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION (16) is a flag.
constexpr int DefaultMath = 0, Tf32TensorOpMath = 3, MathModeMask = 0xf, DisallowReducedPrecisionReduction = 16;

// cublasPointerMode_t.
constexpr int PointerModeHost = 0, PointerModeDevice = 1;

// cublasGemmAlgo_t: CUBLAS_GEMM_DEFAULT (-1), ALGO0..23, DEFAULT_TENSOR_OP (99), ALGO0..15_TENSOR_OP (100..115).
bool known_algo(int algo) { return algo == -1 || (algo >= 0 && algo <= 23) || (algo >= 99 && algo <= 115); }

struct Handle {
    void* stream = nullptr;
    int math_mode = DefaultMath;
    int pointer_mode = PointerModeHost;
};

std::mutex handles_lock;
std::unordered_set<Handle*> handles; // live handles: a destroyed or foreign handle is "not initialized"

Handle* live(void* handle) {
    std::lock_guard<std::mutex> guard(handles_lock);
    auto it = handles.find(static_cast<Handle*>(handle));
    return it == handles.end() ? nullptr : *it;
}

Operand operand(uint64_t address, int type, int64_t rows, int64_t cols, int64_t ld, int64_t stride) {
    Operand o;
    o.address = address;
    o.type = type;
    o.rows = rows;
    o.cols = cols;
    o.ld = ld;
    o.batch_stride = stride;
    return o;
}

int gemm(const char* call, void* handle, int transa, int transb, int m, int n, int k, const void* alpha,
         const void* a, int a_type, int lda, long long stride_a, const void* b, int b_type, int ldb, long long stride_b,
         const void* beta, void* c, int c_type, int ldc, long long stride_c, int batch, int compute, int algo) {
    Handle* h = live(handle);
    if (!h) return StatusNotInitialized;
    if (transa < OpN || transa > OpC || transb < OpN || transb > OpC) return StatusInvalidValue;
    if (m < 0 || n < 0 || k < 0 || batch < 0) return StatusInvalidValue;
    bool ta = transa != OpN, tb = transb != OpN;
    if (lda < std::max(1, ta ? k : m) || ldb < std::max(1, tb ? n : k) || ldc < std::max(1, m)) return StatusInvalidValue;
    if (!known_compute_type(compute)) return StatusInvalidValue;
    if (!known_algo(algo)) return StatusNotSupported;
    if (a_type != b_type || !supported_types(a_type, c_type, compute)) return StatusNotSupported;
    if (!alpha || !beta) return StatusInvalidValue;
    if (m == 0 || n == 0 || batch == 0) return StatusSuccess;

    Gemm g;
    g.call = call;
    g.trans_a = ta;
    g.trans_b = tb;
    g.m = m;
    g.n = n;
    g.k = k;
    g.batch = batch;
    g.a = operand(uint64_t(a), a_type, ta ? k : m, ta ? m : k, lda, stride_a);
    g.b = operand(uint64_t(b), b_type, tb ? n : k, tb ? k : n, ldb, stride_b);
    g.c = operand(uint64_t(c), c_type, m, n, ldc, stride_c);
    g.d = g.c;
    g.f64 = is_f64_compute(compute);
    g.rounding = input_rounding(compute, a_type, (h->math_mode & MathModeMask) == Tf32TensorOpMath);
    g.set_scalars(alpha, beta, h->pointer_mode == PointerModeDevice);
    return submit(h->stream, g) == 0 ? StatusSuccess : StatusExecutionFailed;
}

} // namespace

RASEMU_EXPORT const char* rasemu_blas_emulator() { return "rasnative cuBLAS emulator"; }

RASEMU_EXPORT int cublasCreate_v2(void** handle) {
    if (!handle) return StatusInvalidValue;
    auto* h = new Handle();
    std::lock_guard<std::mutex> guard(handles_lock);
    handles.insert(h);
    *handle = h;
    return StatusSuccess;
}

RASEMU_EXPORT int cublasDestroy_v2(void* handle) {
    std::lock_guard<std::mutex> guard(handles_lock);
    auto it = handles.find(static_cast<Handle*>(handle));
    if (it == handles.end()) return StatusNotInitialized;
    delete *it;
    handles.erase(it);
    return StatusSuccess;
}

RASEMU_EXPORT int cublasSetStream_v2(void* handle, void* stream) {
    Handle* h = live(handle);
    if (!h) return StatusNotInitialized;
    h->stream = stream;
    return StatusSuccess;
}

RASEMU_EXPORT int cublasGetStream_v2(void* handle, void** stream) {
    Handle* h = live(handle);
    if (!h) return StatusNotInitialized;
    if (!stream) return StatusInvalidValue;
    *stream = h->stream;
    return StatusSuccess;
}

RASEMU_EXPORT int cublasSetMathMode(void* handle, int mode) {
    Handle* h = live(handle);
    if (!h) return StatusNotInitialized;
    if ((mode & ~(MathModeMask | DisallowReducedPrecisionReduction)) != 0 || (mode & MathModeMask) > Tf32TensorOpMath)
        return StatusInvalidValue;
    h->math_mode = mode;
    return StatusSuccess;
}

RASEMU_EXPORT int cublasGetMathMode(void* handle, int* mode) {
    Handle* h = live(handle);
    if (!h) return StatusNotInitialized;
    if (!mode) return StatusInvalidValue;
    *mode = h->math_mode;
    return StatusSuccess;
}

RASEMU_EXPORT int cublasSetPointerMode_v2(void* handle, int mode) {
    Handle* h = live(handle);
    if (!h) return StatusNotInitialized;
    if (mode != PointerModeHost && mode != PointerModeDevice) return StatusInvalidValue;
    h->pointer_mode = mode;
    return StatusSuccess;
}

RASEMU_EXPORT int cublasGetPointerMode_v2(void* handle, int* mode) {
    Handle* h = live(handle);
    if (!h) return StatusNotInitialized;
    if (!mode) return StatusInvalidValue;
    *mode = h->pointer_mode;
    return StatusSuccess;
}

RASEMU_EXPORT const char* cublasGetStatusName(int status) { return status_name(status); }
RASEMU_EXPORT const char* cublasGetStatusString(int status) { return status_string(status); }

RASEMU_EXPORT int cublasGemmEx(void* handle, int transa, int transb, int m, int n, int k, const void* alpha,
                               const void* a, int a_type, int lda, const void* b, int b_type, int ldb, const void* beta,
                               void* c, int c_type, int ldc, int compute, int algo) {
    return gemm("cublasGemmEx", handle, transa, transb, m, n, k, alpha, a, a_type, lda, 0, b, b_type, ldb, 0, beta, c,
                c_type, ldc, 0, 1, compute, algo);
}

RASEMU_EXPORT int cublasGemmStridedBatchedEx(void* handle, int transa, int transb, int m, int n, int k,
                                             const void* alpha, const void* a, int a_type, int lda, long long stride_a,
                                             const void* b, int b_type, int ldb, long long stride_b, const void* beta,
                                             void* c, int c_type, int ldc, long long stride_c, int batch, int compute,
                                             int algo) {
    return gemm("cublasGemmStridedBatchedEx", handle, transa, transb, m, n, k, alpha, a, a_type, lda, stride_a, b,
                b_type, ldb, stride_b, beta, c, c_type, ldc, stride_c, batch, compute, algo);
}
