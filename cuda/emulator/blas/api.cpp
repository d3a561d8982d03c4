#include "api.h"

namespace rasemu::blas {

const char* status_name(int status) {
    switch (status) {
    case StatusSuccess: return "CUBLAS_STATUS_SUCCESS";
    case StatusNotInitialized: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case StatusAllocFailed: return "CUBLAS_STATUS_ALLOC_FAILED";
    case StatusInvalidValue: return "CUBLAS_STATUS_INVALID_VALUE";
    case StatusArchMismatch: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case StatusMappingError: return "CUBLAS_STATUS_MAPPING_ERROR";
    case StatusExecutionFailed: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case StatusInternalError: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case StatusNotSupported: return "CUBLAS_STATUS_NOT_SUPPORTED";
    case StatusLicenseError: return "CUBLAS_STATUS_LICENSE_ERROR";
    default: return "CUBLAS_STATUS_UNKNOWN";
    }
}

const char* status_string(int status) {
    switch (status) {
    case StatusSuccess: return "the operation completed successfully";
    case StatusNotInitialized: return "the library was not initialized";
    case StatusAllocFailed: return "the resource allocation failed";
    case StatusInvalidValue: return "an invalid numeric value was used as an argument";
    case StatusArchMismatch: return "an absent device architectural feature is required";
    case StatusMappingError: return "an access to GPU memory space failed";
    case StatusExecutionFailed: return "the GPU program failed to execute";
    case StatusInternalError: return "an internal operation failed";
    case StatusNotSupported: return "the functionality requested is not supported";
    case StatusLicenseError: return "error detected trying to check the license";
    default: return "unknown error";
    }
}

bool known_compute_type(int compute) {
    switch (compute) {
    case Compute16F:
    case Compute16FPedantic:
    case Compute32F:
    case Compute32FPedantic:
    case Compute64F:
    case Compute64FPedantic:
    case Compute32I:
    case Compute32IPedantic:
    case Compute32FFast16F:
    case Compute32FFast16BF:
    case Compute32FFastTF32: return true;
    default: return false;
    }
}

bool supported_types(int ab, int c, int compute) {
    switch (compute) {
    case Compute64F:
    case Compute64FPedantic: return ab == R64F && c == R64F;
    case Compute32F:
    case Compute32FPedantic:
        return (ab == R32F && c == R32F) || ((ab == R16F || ab == R16BF) && (c == ab || c == R32F));
    case Compute32FFast16F:
    case Compute32FFast16BF:
    case Compute32FFastTF32: return ab == R32F && c == R32F;
    default: return false;
    }
}

bool is_f64_compute(int compute) { return compute == Compute64F || compute == Compute64FPedantic; }

InputRounding input_rounding(int compute, int ab, bool tf32_math) {
    switch (compute) {
    case Compute32FFast16F: return InputRounding::Half;
    case Compute32FFast16BF: return InputRounding::Bf16;
    case Compute32FFastTF32: return InputRounding::Tf32;
    case Compute32F: return ab == R32F && tf32_math ? InputRounding::Tf32 : InputRounding::None;
    default: return InputRounding::None;
    }
}

} // namespace rasemu::blas
