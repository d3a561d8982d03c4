// Compiles one NVRTC program with the host C++ compiler (g++, or $RASNATIVE_CUDA_EMULATOR_CXX) into the
// shared object the emulated driver loads: the source and its headers are written to a folder, a wrapper
// includes the source and lists its kernels for the driver, and cuda_emulation.h is force-included.
//
// Results are cached under $RASNATIVE_KERNEL_CACHE/emulator, else $XDG_CACHE_HOME/rasnative/emulator, else
// ~/.cache/rasnative/emulator, else /tmp/rasnative-emulator-<uid>: one folder per key (SHA-256 of the
// emulator's version, both emulation headers, the compiler's path and --version, the flags, the program's
// name, source, headers and options), holding the sources it was built from and module.so, so gdb finds
// the kernel's source. A folder appears by rename once complete; deleting the cache is always safe.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rasemu
{
struct HostCompileInput
{
    std::string name;                                        // the program's name, e.g. "attention.cu"
    std::string source;
    std::vector<std::pair<std::string, std::string>> headers;  // include name → text
    std::vector<std::string> options;                        // the NVRTC options (-D, -U, -I, --gpu-architecture, -G are used)
};

// True with the module's bytes, or false with the compiler's diagnostics in `log`.
bool compile_for_host(const HostCompileInput& input, std::vector<uint8_t>& image, std::string& log);

// What makes two emulator builds produce different images: version, header hash, compiler.
std::string host_compiler_identity();
} // namespace rasemu
