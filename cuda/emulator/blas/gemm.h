// The one GEMM both emulated libraries run: D = epilogue(alpha * scaleA * scaleB * op(A) op(B) + beta * scaleC * C)
// over strided batches, with operands in any storage order (column- or row-major) and type. cublasGemmEx and
// cublasLtMatmul validate their arguments the way the real libraries do, describe the work as a Gemm, and
// submit() it to the emulated driver's stream, where it runs at synchronisation.
#pragma once
#include <cstdint>
#include <string>

#include "formats.h"

namespace rasemu::blas {

// What happens to fp32 inputs before they are multiplied (the reduced-precision compute types).
enum class InputRounding { None, Tf32, Bf16, Half };

enum class Activation { None, Relu, Gelu };

// A matrix as stored in device memory: element (r, c) of batch b lies at
// address + (b * batch_stride + r * (row_major ? ld : 1) + c * (row_major ? 1 : ld)) * element_size(type).
struct Operand {
    uint64_t address = 0;
    int type = R32F;
    int64_t rows = 0, cols = 0; // as stored (before any transpose)
    int64_t ld = 0;
    bool row_major = false;
    int64_t batch_stride = 0; // in elements
};

struct Gemm {
    const char* call = "";  // static; names the work in error messages
    bool trans_a = false, trans_b = false;
    int64_t m = 0, n = 0, k = 0, batch = 1;
    Operand a, b, c, d;     // op(A) is m x k, op(B) is k x n, C and D are m x n
    bool f64 = false;       // accumulate (and scale) in double: CUBLAS_COMPUTE_64F
    InputRounding rounding = InputRounding::None;

    // Host pointer mode: the values read at the call. Device pointer mode: addresses read when the work runs.
    double alpha = 1, beta = 0;
    uint64_t alpha_device = 0, beta_device = 0;

    // alpha and beta as both libraries take them: device addresses, or host values of the scale type (double
    // for CUBLAS_COMPUTE_64F, else float); set f64 first.
    void set_scalars(const void* alpha_pointer, const void* beta_pointer, bool on_device) {
        if (on_device) {
            alpha_device = uint64_t(alpha_pointer);
            beta_device = uint64_t(beta_pointer);
        } else if (f64) {
            alpha = *static_cast<const double*>(alpha_pointer);
            beta = *static_cast<const double*>(beta_pointer);
        } else {
            alpha = *static_cast<const float*>(alpha_pointer);
            beta = *static_cast<const float*>(beta_pointer);
        }
    }

    uint64_t bias = 0;      // device vector of m elements (per row of D), 0 = no bias
    int bias_type = R32F;
    int64_t bias_batch_stride = 0;
    Activation activation = Activation::None;

    // fp8 per-tensor scales: device pointers to one float each (0 = 1.0); amax_d receives max |D| before scale_d.
    uint64_t scale_a = 0, scale_b = 0, scale_c = 0, scale_d = 0, amax_d = 0;

    uint64_t workspace = 0, workspace_bytes = 0; // the part of the caller's workspace the algorithm may touch
};

// Checks that every operand the GEMM reads or writes lies inside one live device allocation (through
// rasemu_device_range). Empty when all do; otherwise one line naming the call, the operand and the reason.
std::string check_ranges(const Gemm& g);

// Queues the GEMM on `stream` (a CUstream). Operands are range-checked now and again when the work runs; a
// failure is reported then as CUDA_ERROR_ILLEGAL_ADDRESS (the real library cannot detect it at the call, the
// GPU faults while the kernel runs). Returns the driver's CUresult for the enqueue.
int submit(void* stream, const Gemm& g);

// Runs the GEMM now on the emulator's workers (the queued task calls this; so does the self-test).
void execute(const Gemm& g);

} // namespace rasemu::blas
