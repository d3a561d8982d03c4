#include "real_nvrtc.h"

#include <dlfcn.h>
#include <link.h>

#include <cstdlib>
#include <mutex>

namespace rasemu
{
namespace
{
template <typename F> bool bind(void* library, const char* name, F& target)
{
    target = reinterpret_cast<F>(dlsym(library, name));
    return target != nullptr;
}

RealNvrtc* load()
{
    const char* candidates[] = {getenv("RASNATIVE_CUDA_EMULATOR_NVRTC"), "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"};
    for (const char* candidate : candidates)
    {
        if (candidate == nullptr || *candidate == '\0') continue;
        void* library = dlopen(candidate, RTLD_NOW | RTLD_LOCAL);
        if (library == nullptr) continue;
        auto* real = new RealNvrtc();
        int (*version)(int*, int*) = nullptr;
        bool complete = bind(library, "nvrtcCreateProgram", real->create) && bind(library, "nvrtcDestroyProgram", real->destroy) &&
            bind(library, "nvrtcCompileProgram", real->compile) && bind(library, "nvrtcGetProgramLogSize", real->log_size) &&
            bind(library, "nvrtcGetProgramLog", real->log) && bind(library, "nvrtcGetCUBINSize", real->cubin_size) &&
            bind(library, "nvrtcGetCUBIN", real->cubin) && bind(library, "nvrtcGetNumSupportedArchs", real->arch_count) &&
            bind(library, "nvrtcGetSupportedArchs", real->archs) && bind(library, "nvrtcVersion", version);
        if (!complete || version(&real->major, &real->minor) != 0)
        {
            delete real;
            dlclose(library);
            continue;
        }
        link_map* map = nullptr;
        real->path = dlinfo(library, RTLD_DI_LINKMAP, &map) == 0 && map != nullptr ? map->l_name : candidate;
        return real;
    }
    return nullptr;
}
} // namespace

const RealNvrtc* real_nvrtc()
{
    static RealNvrtc* instance = load();
    return instance;
}
} // namespace rasemu
