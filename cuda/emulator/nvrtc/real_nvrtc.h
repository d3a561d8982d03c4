// The real NVRTC, when installed: the emulated NVRTC compiles every program with it first, so compile errors,
// warnings and ptxas's resource report stay those of the real compiler. Found through
// $RASNATIVE_CUDA_EMULATOR_NVRTC (a path) or the system loader (libnvrtc.so.13, .12, .11.2, libnvrtc.so).
#pragma once
#include <cstddef>
#include <string>

namespace rasemu
{
struct RealNvrtc
{
    std::string path;
    int major = 0, minor = 0;
    int (*create)(void** program, const char* source, const char* name, int headers, const char* const* texts, const char* const* names);
    int (*destroy)(void** program);
    int (*compile)(void* program, int options, const char* const* values);
    int (*log_size)(void* program, size_t* size);
    int (*log)(void* program, char* log);
    int (*cubin_size)(void* program, size_t* size);
    int (*cubin)(void* program, char* cubin);
    int (*arch_count)(int* count);
    int (*archs)(int* archs);
};

// Null when no real NVRTC can be loaded.
const RealNvrtc* real_nvrtc();
} // namespace rasemu
