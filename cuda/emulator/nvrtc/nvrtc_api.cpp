// The NVRTC subset RasNative binds (cuda/RasNative.Cuda/Native/Nvrtc.cs), exported under the real names.
// nvrtcCompileProgram compiles with the real NVRTC when one is installed (its errors, warnings and ptxas
// report are what the caller sees) and, when it succeeds, the program's image is built with the host compiler
// on first request (nvrtcGetCUBIN*/nvrtcGetPTX*), so the `kernels` report never pays for g++. Without a real
// NVRTC the host compiler runs at nvrtcCompileProgram and its diagnostics are the log. The image returned for
// CUBIN and PTX alike is the x86-64 module the emulated driver loads.
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "host_compiler.h"
#include "real_nvrtc.h"

#define RASEMU_EXPORT extern "C" __attribute__((visibility("default")))

using namespace rasemu;

namespace
{
enum : int
{
    Success = 0,
    OutOfMemory = 1,
    ProgramCreationFailure = 2,
    InvalidInput = 3,
    InvalidProgram = 4,
    InvalidOption = 5,
    Compilation = 6,
};

const char* const names[] = {
    "NVRTC_SUCCESS", "NVRTC_ERROR_OUT_OF_MEMORY", "NVRTC_ERROR_PROGRAM_CREATION_FAILURE", "NVRTC_ERROR_INVALID_INPUT",
    "NVRTC_ERROR_INVALID_PROGRAM", "NVRTC_ERROR_INVALID_OPTION", "NVRTC_ERROR_COMPILATION", "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE",
    "NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION", "NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION",
    "NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID", "NVRTC_ERROR_INTERNAL_ERROR",
};

// The archs reported when no real NVRTC is installed (the emulated device is sm_90).
const int fallback_archs[] = {75, 80, 86, 89, 90};

struct Program
{
    std::mutex mutex;
    HostCompileInput input;
    bool compiled = false, imaged = false;
    std::string log;
    std::vector<uint8_t> image;
    int image_result = Success;
    std::vector<char> real_cubin;   // the real NVRTC's CUBIN (sm_XX targets), for resource reports
};

std::mutex registry_mutex;
std::set<Program*> programs;

Program* find(void* handle)
{
    std::lock_guard lock(registry_mutex);
    auto* program = static_cast<Program*>(handle);
    return programs.count(program) ? program : nullptr;
}

// Builds the host image once; on failure the host compiler's diagnostics become the program's log.
int build_image(Program& program)
{
    if (!program.imaged)
    {
        std::string log;
        program.image_result = compile_for_host(program.input, program.image, log) ? Success : Compilation;
        if (program.image_result != Success) program.log = log;
        program.imaged = true;
    }
    return program.image_result;
}

int compile_real(Program& program, const RealNvrtc& real, const std::vector<const char*>& options)
{
    std::vector<const char*> texts, includes;
    for (const auto& [name, text] : program.input.headers)
    {
        includes.push_back(name.c_str());
        texts.push_back(text.c_str());
    }
    void* handle = nullptr;
    int result = real.create(&handle, program.input.source.c_str(), program.input.name.c_str(), static_cast<int>(texts.size()), texts.data(), includes.data());
    if (result != Success) return result;
    result = real.compile(handle, static_cast<int>(options.size()), options.data());
    size_t size = 0;
    if (real.log_size(handle, &size) == Success && size > 0)
    {
        std::vector<char> log(size);
        if (real.log(handle, log.data()) == Success) program.log.assign(log.data());
    }
    program.real_cubin.clear();
    if (result == Success && real.cubin_size(handle, &size) == Success && size > 0)
    {
        program.real_cubin.resize(size);
        if (real.cubin(handle, program.real_cubin.data()) != Success) program.real_cubin.clear();
    }
    real.destroy(&handle);
    return result;
}
} // namespace

RASEMU_EXPORT const char* nvrtcGetErrorString(int result)
{
    return result >= 0 && result < static_cast<int>(sizeof names / sizeof names[0]) ? names[result] : "NVRTC_ERROR unknown";
}

RASEMU_EXPORT int nvrtcVersion(int* major, int* minor)
{
    if (major == nullptr || minor == nullptr) return InvalidInput;
    const RealNvrtc* real = real_nvrtc();
    *major = real ? real->major : 0;
    *minor = real ? real->minor : 0;
    return Success;
}

RASEMU_EXPORT int nvrtcGetNumSupportedArchs(int* count)
{
    if (count == nullptr) return InvalidInput;
    if (const RealNvrtc* real = real_nvrtc()) return real->arch_count(count);
    *count = static_cast<int>(sizeof fallback_archs / sizeof fallback_archs[0]);
    return Success;
}

RASEMU_EXPORT int nvrtcGetSupportedArchs(int* archs)
{
    if (archs == nullptr) return InvalidInput;
    if (const RealNvrtc* real = real_nvrtc()) return real->archs(archs);
    memcpy(archs, fallback_archs, sizeof fallback_archs);
    return Success;
}

RASEMU_EXPORT int nvrtcCreateProgram(void** handle, const char* source, const char* name, int header_count, const char* const* headers, const char* const* include_names)
{
    if (handle == nullptr || source == nullptr || header_count < 0 || (header_count > 0 && (headers == nullptr || include_names == nullptr)))
        return InvalidInput;
    auto* program = new Program();
    program->input.source = source;
    program->input.name = name ? name : "default_program";
    for (int i = 0; i < header_count; i++)
    {
        if (headers[i] == nullptr || include_names[i] == nullptr)
        {
            delete program;
            return InvalidInput;
        }
        program->input.headers.emplace_back(include_names[i], headers[i]);
    }
    std::lock_guard lock(registry_mutex);
    programs.insert(program);
    *handle = program;
    return Success;
}

RASEMU_EXPORT int nvrtcDestroyProgram(void** handle)
{
    if (handle == nullptr) return InvalidInput;
    Program* program = find(*handle);
    if (program == nullptr) return InvalidProgram;
    {
        std::lock_guard lock(registry_mutex);
        programs.erase(program);
    }
    delete program;
    *handle = nullptr;
    return Success;
}

RASEMU_EXPORT int nvrtcCompileProgram(void* handle, int option_count, const char* const* options)
{
    Program* program = find(handle);
    if (program == nullptr) return InvalidProgram;
    if (option_count < 0 || (option_count > 0 && options == nullptr)) return InvalidInput;
    std::lock_guard lock(program->mutex);
    std::vector<const char*> values(options, options + option_count);
    program->input.options.assign(values.begin(), values.end());
    program->log.clear();
    program->imaged = false;
    if (const RealNvrtc* real = real_nvrtc())
    {
        int result = compile_real(*program, *real, values);
        program->compiled = result == Success;
        return result;
    }
    int result = build_image(*program);
    program->compiled = result == Success;
    return result;
}

RASEMU_EXPORT int nvrtcGetProgramLogSize(void* handle, size_t* size)
{
    Program* program = find(handle);
    if (program == nullptr) return InvalidProgram;
    if (size == nullptr) return InvalidInput;
    std::lock_guard lock(program->mutex);
    *size = program->log.size() + 1;
    return Success;
}

RASEMU_EXPORT int nvrtcGetProgramLog(void* handle, char* log)
{
    Program* program = find(handle);
    if (program == nullptr) return InvalidProgram;
    if (log == nullptr) return InvalidInput;
    std::lock_guard lock(program->mutex);
    memcpy(log, program->log.c_str(), program->log.size() + 1);
    return Success;
}

// The image, built on first request; NVRTC_ERROR_COMPILATION (with the host compiler's log) if it fails.
static int image_of(void* handle, Program** result)
{
    Program* program = find(handle);
    if (program == nullptr) return InvalidProgram;
    std::lock_guard lock(program->mutex);
    if (!program->compiled) return InvalidProgram;
    *result = program;
    return build_image(*program);
}

RASEMU_EXPORT int nvrtcGetCUBINSize(void* handle, size_t* size)
{
    if (size == nullptr) return InvalidInput;
    Program* program = nullptr;
    if (int result = image_of(handle, &program); result != Success) return result;
    *size = program->image.size();
    return Success;
}

RASEMU_EXPORT int nvrtcGetCUBIN(void* handle, char* cubin)
{
    if (cubin == nullptr) return InvalidInput;
    Program* program = nullptr;
    if (int result = image_of(handle, &program); result != Success) return result;
    memcpy(cubin, program->image.data(), program->image.size());
    return Success;
}

RASEMU_EXPORT int nvrtcGetPTXSize(void* handle, size_t* size) { return nvrtcGetCUBINSize(handle, size); }

RASEMU_EXPORT int nvrtcGetPTX(void* handle, char* ptx) { return nvrtcGetCUBIN(handle, ptx); }

// ---- emulator-only: what the C# side puts into its kernel-cache key and shows in reports ----------------------

RASEMU_EXPORT const char* rasemu_nvrtc_identity()
{
    static std::string identity = [] {
        const RealNvrtc* real = real_nvrtc();
        return host_compiler_identity() + "; real NVRTC: " +
            (real ? std::to_string(real->major) + "." + std::to_string(real->minor) + " (" + real->path + ")" : std::string("none"));
    }();
    return identity.c_str();
}

// The real NVRTC's CUBIN of the last compilation (size 0 without a real NVRTC or for a compute_XX target):
// what `kernels` reads resource figures from, as it does with the real NVRTC.
RASEMU_EXPORT int rasemu_nvrtc_real_cubin_size(void* handle, size_t* size)
{
    Program* program = find(handle);
    if (program == nullptr) return InvalidProgram;
    if (size == nullptr) return InvalidInput;
    std::lock_guard lock(program->mutex);
    *size = program->real_cubin.size();
    return Success;
}

RASEMU_EXPORT int rasemu_nvrtc_real_cubin(void* handle, char* cubin)
{
    Program* program = find(handle);
    if (program == nullptr) return InvalidProgram;
    if (cubin == nullptr) return InvalidInput;
    std::lock_guard lock(program->mutex);
    memcpy(cubin, program->real_cubin.data(), program->real_cubin.size());
    return Success;
}

RASEMU_EXPORT int rasemu_nvrtc_has_real()
{
    return real_nvrtc() != nullptr ? 1 : 0;
}
