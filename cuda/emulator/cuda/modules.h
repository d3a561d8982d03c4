// cuModuleLoadData for the emulator's images: an x86-64 shared object built by the emulated NVRTC, loaded from
// memory (memfd + dlopen) and asked for its kernel table. A real CUBIN or PTX is refused with a reason.
#pragma once
#include <map>
#include <string>

#include "kernel_launch.h"
#include "streams.h"

namespace rasemu
{
struct Module;

struct Function
{
    Module* module;
    const rasemu_kernel_desc* kernel;
    int max_dynamic_shared = 48 * 1024;   // CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
};

struct Module
{
    Context* context = nullptr;
    void* library = nullptr;
    int descriptor = -1;    // the memfd (or debug file) holding the image
    std::string debug_file; // RASNATIVE_CUDA_EMULATOR_DEBUG=1: the image's path on disk, removed at unload
    std::map<std::string, Function> functions;
};

int load_module(Context* context, const void* image, Module** module);
void unload_module(Module* module);
bool is_module(const Module* module);
bool is_function(const Function* function);

// Runs every block of `launch` on the workers; a non-zero CUresult with `failure` set when a block failed.
int run_kernel(KernelLaunch& launch, std::string& failure);
} // namespace rasemu
