#include "modules.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <elf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>

#include "block_scheduler.h"
#include "errors.h"
#include "settings.h"
#include "worker_pool.h"

namespace rasemu
{
namespace
{
std::set<const Module*> modules;
std::set<const Function*> functions;

// The image's length from its ELF headers (cuModuleLoadData is given no size): the furthest byte any section,
// segment or header table reaches.
size_t elf_size(const Elf64_Ehdr* header)
{
    auto* bytes = reinterpret_cast<const uint8_t*>(header);
    size_t size = std::max<size_t>(sizeof(Elf64_Ehdr), header->e_shoff + static_cast<size_t>(header->e_shnum) * header->e_shentsize);
    size = std::max<size_t>(size, header->e_phoff + static_cast<size_t>(header->e_phnum) * header->e_phentsize);
    for (int i = 0; i < header->e_shnum; i++)
    {
        auto* section = reinterpret_cast<const Elf64_Shdr*>(bytes + header->e_shoff + static_cast<size_t>(i) * header->e_shentsize);
        if (section->sh_type != SHT_NOBITS) size = std::max<size_t>(size, section->sh_offset + section->sh_size);
    }
    for (int i = 0; i < header->e_phnum; i++)
    {
        auto* segment = reinterpret_cast<const Elf64_Phdr*>(bytes + header->e_phoff + static_cast<size_t>(i) * header->e_phentsize);
        size = std::max<size_t>(size, segment->p_offset + segment->p_filesz);
    }
    return size;
}

int refuse(const char* why) { return report(InvalidImage, std::string("cuModuleLoadData: ") + why); }

bool debug_modules()
{
    const char* debug = getenv("RASNATIVE_CUDA_EMULATOR_DEBUG");
    return debug != nullptr && strcmp(debug, "1") == 0;
}

// A new file $TMPDIR/rasnative-kernel-<pid>-<n>.so, open for writing; its path in `path`.
int debug_file(std::string& path)
{
    static std::atomic<int> counter{0};
    const char* tmp = getenv("TMPDIR");
    path = std::string(tmp && *tmp ? tmp : "/tmp") + "/rasnative-kernel-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".so";
    return open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
}

struct BlockJob
{
    const KernelLaunch* launch;
    std::atomic<bool> failed{false};
    std::mutex mutex;
    std::string failure;
};

void run_block(void* arg, int64_t block)
{
    auto* job = static_cast<BlockJob*>(arg);
    if (job->failed.load(std::memory_order_relaxed)) return;
    std::string failure;
    if (BlockScheduler::for_this_thread().run(*job->launch, static_cast<uint64_t>(block), failure)) return;
    std::lock_guard lock(job->mutex);
    if (!job->failed.exchange(true)) job->failure = failure;
}
} // namespace

int load_module(Context* context, const void* image, Module** module)
{
    if (image == nullptr) return report(InvalidValue, "cuModuleLoadData: image is NULL");
    auto* header = static_cast<const Elf64_Ehdr*>(image);
    if (memcmp(header->e_ident, ELFMAG, SELFMAG) != 0)
        return refuse("the image is not an ELF file (PTX or a fatbin?); the emulator runs only images built by its own NVRTC");
    if (header->e_machine == 190) return refuse("the image is a CUBIN for a real GPU; the emulator runs only images built by its own NVRTC");
    if (header->e_ident[EI_CLASS] != ELFCLASS64 || header->e_machine != EM_X86_64 || header->e_type != ET_DYN)
        return refuse("the image is not an x86-64 shared object built by the emulated NVRTC");

    // The image lives in a memfd, or, under RASNATIVE_CUDA_EMULATOR_DEBUG=1, in a file a debugger can open by
    // the path the dynamic loader records (gdb cannot read another process's /proc/self/fd).
    std::string path;
    int fd = debug_modules() ? debug_file(path) : memfd_create("rasnative-kernel-module", MFD_CLOEXEC);
    if (fd < 0) return report(InvalidImage, "cuModuleLoadData: cannot stage the image (memfd_create or the debug file failed)");
    size_t size = elf_size(header);
    const auto* bytes = static_cast<const uint8_t*>(image);
    for (size_t written = 0; written < size;)
    {
        ssize_t n = write(fd, bytes + written, size - written);
        if (n <= 0)
        {
            close(fd);
            return report(InvalidImage, "cuModuleLoadData: could not stage the image");
        }
        written += static_cast<size_t>(n);
    }
    // The descriptor stays open while the module is loaded: dlopen recognises an already loaded library by its
    // path, and a reused descriptor number would make a second image's path equal to the first's.
    if (path.empty()) path = "/proc/self/fd/" + std::to_string(fd);
    void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr)
    {
        close(fd);
        return refuse((std::string("dlopen failed: ") + dlerror()).c_str());
    }
    auto entry = reinterpret_cast<rasemu_module_fn>(dlsym(library, RASEMU_MODULE_SYMBOL));
    const rasemu_module_desc* desc = entry ? entry() : nullptr;
    if (desc == nullptr || desc->abi_version != RASEMU_KERNEL_ABI_VERSION)
    {
        dlclose(library);
        close(fd);
        return refuse("the image was built for another emulator version (kernel ABI mismatch); recompile it");
    }
    *desc->runtime = kernel_runtime();

    auto* result = new Module();
    result->context = context;
    result->library = library;
    result->descriptor = fd;
    if (path.compare(0, 6, "/proc/") != 0) result->debug_file = path;
    for (unsigned i = 0; i < desc->kernel_count; i++)
        result->functions.emplace(desc->kernels[i].name, Function{result, &desc->kernels[i]});
    std::lock_guard lock(state_lock());
    modules.insert(result);
    for (auto& [name, function] : result->functions) functions.insert(&function);
    *module = result;
    return Success;
}

void unload_module(Module* module)
{
    {
        std::lock_guard lock(state_lock());
        for (auto& [name, function] : module->functions) functions.erase(&function);
        modules.erase(module);
    }
    dlclose(module->library);
    close(module->descriptor);
    if (!module->debug_file.empty()) unlink(module->debug_file.c_str());
    delete module;
}

bool is_module(const Module* module)
{
    std::lock_guard lock(state_lock());
    return modules.count(module) != 0;
}

bool is_function(const Function* function)
{
    std::lock_guard lock(state_lock());
    return functions.count(function) != 0;
}

int run_kernel(KernelLaunch& launch, std::string& failure)
{
    launch.seed = schedule_seed();
    BlockJob job;
    job.launch = &launch;
    parallel_for(static_cast<int64_t>(launch.blocks()), run_block, &job);
    if (!job.failed) return Success;
    failure = "kernel " + launch.name + " failed: " + job.failure;
    return LaunchFailed;
}
} // namespace rasemu
