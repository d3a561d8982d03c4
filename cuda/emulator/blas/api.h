// What both emulated libraries share of the cuBLAS API: cublasStatus_t with the names and texts the real
// libraries print, cublasComputeType_t, and the (A/B type, C type, compute type) rows of cublasGemmEx's table.
#pragma once

#include "gemm.h"

namespace rasemu::blas {

enum Status : int {
    StatusSuccess = 0,
    StatusNotInitialized = 1,
    StatusAllocFailed = 3,
    StatusInvalidValue = 7,
    StatusArchMismatch = 8,
    StatusMappingError = 11,
    StatusExecutionFailed = 13,
    StatusInternalError = 14,
    StatusNotSupported = 15,
    StatusLicenseError = 16,
};

const char* status_name(int status);
const char* status_string(int status);

// cublasComputeType_t.
enum ComputeType : int {
    Compute16F = 64,
    Compute16FPedantic = 65,
    Compute32F = 68,
    Compute32FPedantic = 69,
    Compute64F = 70,
    Compute64FPedantic = 71,
    Compute32I = 72,
    Compute32IPedantic = 73,
    Compute32FFast16F = 74,
    Compute32FFast16BF = 75,
    Compute32FFastTF32 = 77,
};

bool known_compute_type(int compute);

// The (Atype = Btype, Ctype, computeType) rows of cublasGemmEx's table (also cublasLtMatmul's, with Dtype = Ctype,
// for non-fp8 inputs) that this emulator runs. The real libraries also accept CUBLAS_COMPUTE_16F (fp16
// accumulation), CUBLAS_COMPUTE_32I (int8) and complex types; those are CUBLAS_STATUS_NOT_SUPPORTED here.
bool supported_types(int ab, int c, int compute);

bool is_f64_compute(int compute);

// How fp32 inputs are rounded before the products for a compute type; `tf32_math` is cuBLAS's
// CUBLAS_TF32_TENSOR_OP_MATH, which lets the default fp32 compute type use TF32 (PEDANTIC never does).
InputRounding input_rounding(int compute, int ab, bool tf32_math);

// Exported by both libraries so that a caller (the C# tests) can tell the emulator from the real library.
#define RASEMU_EXPORT extern "C" __attribute__((visibility("default")))

} // namespace rasemu::blas
