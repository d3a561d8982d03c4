// The driver API subset RasNative binds (cuda/RasNative.Cuda/Native/Driver.cs), exported under the real names
// with the real signatures. Each call validates its handles and pointers, returns the context's sticky error
// once a task failed, and queues device work on its stream (see streams.h for when it runs).
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>

#include "device_memory.h"
#include "errors.h"
#include "modules.h"
#include "settings.h"
#include "streams.h"
#include "worker_pool.h"

#define RASEMU_EXPORT extern "C" __attribute__((visibility("default")))

using namespace rasemu;
using CUdeviceptr = uint64_t;   // unsigned long long in cuda.h: the same 64-bit value

namespace
{
constexpr const char* DeviceName = "RasNative CUDA emulator (CPU)";
constexpr int DriverVersion = 12080;   // the driver API level the emulator models (CUDA 12.8)

std::atomic<bool> initialized{false};
std::mutex primary_mutex;
Context* primary = nullptr;

// The calling thread's current context, checked live and not failed.
int enter(Context** context)
{
    if (!initialized) return NotInitialized;
    std::lock_guard lock(state_lock());
    Context* current = current_context();
    if (current == nullptr || !is_context(current))
        return report(InvalidContext, "no current context (cuCtxSetCurrent or cuDevicePrimaryCtxRetain first)");
    *context = current;
    return sticky_result(current);
}

// The stream a call names (NULL = the current context's legacy stream), checked live and not failed.
int enter_stream(void* handle, Stream** stream)
{
    if (!initialized) return NotInitialized;
    int result = Success;
    *stream = resolve_stream(handle, &result);
    if (*stream == nullptr) return result;
    return sticky_result((*stream)->context);
}

int check_device(int device) { return device == 0 ? Success : report(InvalidDevice, "device " + std::to_string(device) + ": the emulator has one device, 0"); }

int check_range(const char* call, const char* what, CUdeviceptr address, size_t bytes)
{
    std::string why;
    if (device_range(address, bytes, &why)) return Success;
    return report(InvalidValue, std::string(call) + ": " + what + " " + why);
}

struct Copy final : Task
{
    Copy(const char* call, void* destination, const void* source, size_t bytes, bool writes_device)
        : Task(call, writes_device), destination(destination), source(source), bytes(bytes) {}
    int run(std::string&) override
    {
        memcpy(destination, staged.empty() ? source : staged.data(), bytes);
        return Success;
    }
    void* destination;
    const void* source;
    size_t bytes;
    std::vector<uint8_t> staged;   // pageable host → device: the bytes as they were at the call
};

struct Memset32 final : Task
{
    Memset32(uint32_t* destination, uint32_t value, size_t count) : Task("cuMemsetD32Async", true), destination(destination), value(value), count(count) {}
    int run(std::string&) override
    {
        for (size_t i = 0; i < count; i++) destination[i] = value;
        return Success;
    }
    uint32_t* destination;
    uint32_t value;
    size_t count;
};

struct FreeAsync final : Task
{
    explicit FreeAsync(CUdeviceptr address) : Task("cuMemFreeAsync", false), address(address) {}
    int run(std::string& failure) override
    {
        int result = device_free(address, "cuMemFreeAsync");
        if (result != Success) failure = last_detail();
        return result;
    }
    CUdeviceptr address;
};

struct KernelTask final : Task
{
    explicit KernelTask(KernelLaunch l) : Task("kernel " + l.name, true), launch(std::move(l)) {}
    int run(std::string& failure) override { return run_kernel(launch, failure); }
    KernelLaunch launch;
};

// Device attributes of an H100/H200-class part (compute capability 9.0, 132 SMs), as far as they are modelled.
int attribute(int which, int* value)
{
    switch (which)
    {
    case 1: *value = 1024; return Success;         // MAX_THREADS_PER_BLOCK
    case 2: *value = 1024; return Success;         // MAX_BLOCK_DIM_X
    case 3: *value = 1024; return Success;         // MAX_BLOCK_DIM_Y
    case 4: *value = 64; return Success;           // MAX_BLOCK_DIM_Z
    case 5: *value = 2147483647; return Success;   // MAX_GRID_DIM_X
    case 6: *value = 65535; return Success;        // MAX_GRID_DIM_Y
    case 7: *value = 65535; return Success;        // MAX_GRID_DIM_Z
    case 8: *value = 49152; return Success;        // MAX_SHARED_MEMORY_PER_BLOCK
    case 9: *value = 65536; return Success;        // TOTAL_CONSTANT_MEMORY
    case 10: *value = 32; return Success;          // WARP_SIZE
    case 12: *value = 65536; return Success;       // MAX_REGISTERS_PER_BLOCK
    case 13: *value = 1980000; return Success;     // CLOCK_RATE (kHz): an H100 SXM's maximum
    case 16: *value = 132; return Success;         // MULTIPROCESSOR_COUNT
    case 18: *value = 0; return Success;           // INTEGRATED
    case 31: *value = 1; return Success;           // CONCURRENT_KERNELS
    case 38: *value = 50 << 20; return Success;    // L2_CACHE_SIZE
    case 39: *value = 2048; return Success;        // MAX_THREADS_PER_MULTIPROCESSOR
    case 41: *value = 1; return Success;           // UNIFIED_ADDRESSING
    case 75: *value = 9; return Success;           // COMPUTE_CAPABILITY_MAJOR
    case 76: *value = 0; return Success;           // COMPUTE_CAPABILITY_MINOR
    case 81: *value = 233472; return Success;      // MAX_SHARED_MEMORY_PER_MULTIPROCESSOR
    case 82: *value = 65536; return Success;       // MAX_REGISTERS_PER_MULTIPROCESSOR
    case 97: *value = 232448; return Success;      // MAX_SHARED_MEMORY_PER_BLOCK_OPTIN
    case 106: *value = 32; return Success;         // MAX_BLOCKS_PER_MULTIPROCESSOR
    case 115: *value = 1; return Success;          // MEMORY_POOLS_SUPPORTED
    default: return report(InvalidValue, "cuDeviceGetAttribute: attribute " + std::to_string(which) + " is not modelled by the emulator");
    }
}
} // namespace

RASEMU_EXPORT int cuInit(unsigned flags)
{
    if (flags != 0) return report(InvalidValue, "cuInit: flags must be 0");
    if (!settings().problem.empty()) return report(InvalidValue, "cuInit: " + settings().problem);
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma"))
        return report(NoDevice, "cuInit: the emulator's kernels need a CPU with AVX2 and FMA");
    initialized = true;
    return Success;
}

RASEMU_EXPORT int cuDriverGetVersion(int* version)
{
    if (version == nullptr) return InvalidValue;
    *version = DriverVersion;
    return Success;
}

RASEMU_EXPORT int cuGetErrorName(int result, const char** name)
{
    if (name == nullptr) return InvalidValue;
    *name = error_name(result);
    return *name ? Success : InvalidValue;
}

RASEMU_EXPORT int cuGetErrorString(int result, const char** text)
{
    if (text == nullptr) return InvalidValue;
    *text = error_string(result);
    return *text ? Success : InvalidValue;
}

RASEMU_EXPORT int cuDeviceGetCount(int* count)
{
    if (!initialized) return NotInitialized;
    if (count == nullptr) return InvalidValue;
    *count = 1;
    return Success;
}

RASEMU_EXPORT int cuDeviceGet(int* device, int ordinal)
{
    if (!initialized) return NotInitialized;
    if (device == nullptr) return InvalidValue;
    if (int result = check_device(ordinal); result != Success) return result;
    *device = 0;
    return Success;
}

RASEMU_EXPORT int cuDeviceGetAttribute(int* value, int which, int device)
{
    if (!initialized) return NotInitialized;
    if (value == nullptr) return InvalidValue;
    if (int result = check_device(device); result != Success) return result;
    return attribute(which, value);
}

RASEMU_EXPORT int cuDeviceGetName(char* name, int length, int device)
{
    if (!initialized) return NotInitialized;
    if (name == nullptr || length <= 0) return InvalidValue;
    if (int result = check_device(device); result != Success) return result;
    strncpy(name, DeviceName, static_cast<size_t>(length));
    name[length - 1] = '\0';
    return Success;
}

RASEMU_EXPORT int cuDeviceTotalMem_v2(size_t* bytes, int device)
{
    if (!initialized) return NotInitialized;
    if (bytes == nullptr) return InvalidValue;
    if (int result = check_device(device); result != Success) return result;
    *bytes = device_limit();
    return Success;
}

RASEMU_EXPORT int cuDevicePrimaryCtxRetain(void** context, int device)
{
    if (!initialized) return NotInitialized;
    if (context == nullptr) return InvalidValue;
    if (int result = check_device(device); result != Success) return result;
    std::lock_guard lock(primary_mutex);
    if (primary == nullptr) primary = create_context(true);
    primary->primary_references++;
    *context = primary;
    return Success;
}

RASEMU_EXPORT int cuDevicePrimaryCtxRelease_v2(int device)
{
    if (!initialized) return NotInitialized;
    if (int result = check_device(device); result != Success) return result;
    std::lock_guard lock(primary_mutex);
    if (primary == nullptr || primary->primary_references == 0) return report(InvalidContext, "cuDevicePrimaryCtxRelease: the primary context is not retained");
    if (--primary->primary_references == 0)
    {
        destroy_context(primary);
        primary = nullptr;
    }
    return Success;
}

RASEMU_EXPORT int cuCtxCreate_v2(void** context, unsigned flags, int device)
{
    if (!initialized) return NotInitialized;
    if (context == nullptr) return InvalidValue;
    if (int result = check_device(device); result != Success) return result;
    (void)flags;   // scheduling flags have no meaning here
    Context* created = create_context(false);
    set_current_context(created);
    *context = created;
    return Success;
}

RASEMU_EXPORT int cuCtxDestroy_v2(void* context)
{
    if (!initialized) return NotInitialized;
    auto* c = static_cast<Context*>(context);
    {
        std::lock_guard lock(state_lock());
        if (!is_context(c) || c->primary) return report(InvalidContext, "cuCtxDestroy: not a context created by cuCtxCreate");
    }
    destroy_context(c);
    return Success;
}

RASEMU_EXPORT int cuCtxSetCurrent(void* context)
{
    if (!initialized) return NotInitialized;
    std::lock_guard lock(state_lock());
    auto* c = static_cast<Context*>(context);
    if (c != nullptr && !is_context(c)) return report(InvalidContext, "cuCtxSetCurrent: not a live context");
    set_current_context(c);
    return Success;
}

RASEMU_EXPORT int cuCtxGetCurrent(void** context)
{
    if (!initialized) return NotInitialized;
    if (context == nullptr) return InvalidValue;
    *context = current_context();
    return Success;
}

RASEMU_EXPORT int cuCtxSynchronize()
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    if (int result = capture_check("cuCtxSynchronize", nullptr); result != Success) return result;
    return synchronize_context(context);
}

RASEMU_EXPORT int cuMemGetInfo_v2(size_t* free_bytes, size_t* total_bytes)
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    if (free_bytes == nullptr || total_bytes == nullptr) return InvalidValue;
    *total_bytes = device_limit();
    *free_bytes = device_limit() - device_used();
    return Success;
}

RASEMU_EXPORT int cuMemAlloc_v2(CUdeviceptr* pointer, size_t bytes)
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    if (pointer == nullptr || bytes == 0) return report(InvalidValue, "cuMemAlloc: zero bytes or a NULL result pointer");
    if (int result = capture_check("cuMemAlloc", nullptr); result != Success) return result;
    return device_allocate(bytes, AllocationKind::Device, context, context, pointer);
}

RASEMU_EXPORT int cuMemFree_v2(CUdeviceptr pointer)
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    if (pointer == 0) return Success;
    if (int result = capture_check("cuMemFree", nullptr); result != Success) return result;
    // cuMemFree synchronises: queued work that still uses the memory runs first.
    if (int result = synchronize_context(context); result != Success) return result;
    return device_free(pointer, "cuMemFree");
}

RASEMU_EXPORT int cuMemAllocAsync(CUdeviceptr* pointer, size_t bytes, void* stream_handle)
{
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    if (pointer == nullptr || bytes == 0) return report(InvalidValue, "cuMemAllocAsync: zero bytes or a NULL result pointer");
    // During capture the allocation becomes part of the graph and keeps its address across replays.
    if (Graph* graph = capturing_graph(stream))
        return device_allocate(bytes, AllocationKind::Graph, graph->memory.get(), stream->context, pointer);
    return device_allocate(bytes, AllocationKind::Async, stream->context, stream->context, pointer);
}

RASEMU_EXPORT int cuMemFreeAsync(CUdeviceptr pointer, void* stream_handle)
{
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    const void* owner = device_owner(pointer);
    if (owner == nullptr) return report(InvalidValue, "cuMemFreeAsync: not the start of a live device allocation");
    Graph* graph = capturing_graph(stream);
    if (graph != nullptr && owner == graph->memory.get()) return Success;   // freed with the graph
    return submit(stream, std::make_shared<FreeAsync>(pointer));
}

RASEMU_EXPORT int cuMemAllocHost_v2(void** pointer, size_t bytes)
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    if (pointer == nullptr) return InvalidValue;
    if (int result = capture_check("cuMemAllocHost", nullptr); result != Success) return result;
    return host_allocate_pinned(bytes, pointer);
}

RASEMU_EXPORT int cuMemFreeHost(void* pointer)
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    if (int result = capture_check("cuMemFreeHost", nullptr); result != Success) return result;
    if (int result = synchronize_context(context); result != Success) return result;
    return host_free_pinned(pointer);
}

RASEMU_EXPORT int cuMemcpyHtoDAsync_v2(CUdeviceptr destination, const void* source, size_t bytes, void* stream_handle)
{
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    if (bytes == 0) return Success;
    if (source == nullptr) return report(InvalidValue, "cuMemcpyHtoDAsync: source is NULL");
    if (int result = check_range("cuMemcpyHtoDAsync", "destination", destination, bytes); result != Success) return result;
    auto copy = std::make_shared<Copy>("cuMemcpyHtoDAsync", reinterpret_cast<void*>(destination), source, bytes, true);
    if (!host_is_pinned(source, bytes))
    {
        // Pageable memory: the driver stages the bytes before returning, so the caller may reuse its buffer.
        if (int result = capture_check("cuMemcpyHtoDAsync from pageable memory", stream); result != Success) return result;
        copy->staged.assign(static_cast<const uint8_t*>(source), static_cast<const uint8_t*>(source) + bytes);
    }
    return submit(stream, std::move(copy));
}

RASEMU_EXPORT int cuMemcpyDtoHAsync_v2(void* destination, CUdeviceptr source, size_t bytes, void* stream_handle)
{
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    if (bytes == 0) return Success;
    if (destination == nullptr) return report(InvalidValue, "cuMemcpyDtoHAsync: destination is NULL");
    if (int result = check_range("cuMemcpyDtoHAsync", "source", source, bytes); result != Success) return result;
    if (host_is_pinned(destination, bytes))
        return submit(stream, std::make_shared<Copy>("cuMemcpyDtoHAsync", destination, reinterpret_cast<const void*>(source), bytes, false));
    // Pageable memory: the copy completes before the call returns, after the stream's earlier work.
    if (int result = capture_check("cuMemcpyDtoHAsync into pageable memory", stream); result != Success) return result;
    if (int result = synchronize_stream(stream); result != Success) return result;
    memcpy(destination, reinterpret_cast<const void*>(source), bytes);
    return Success;
}

RASEMU_EXPORT int cuMemcpyDtoDAsync_v2(CUdeviceptr destination, CUdeviceptr source, size_t bytes, void* stream_handle)
{
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    if (bytes == 0) return Success;
    if (int result = check_range("cuMemcpyDtoDAsync", "destination", destination, bytes); result != Success) return result;
    if (int result = check_range("cuMemcpyDtoDAsync", "source", source, bytes); result != Success) return result;
    return submit(stream, std::make_shared<Copy>("cuMemcpyDtoDAsync", reinterpret_cast<void*>(destination), reinterpret_cast<const void*>(source), bytes, true));
}

RASEMU_EXPORT int cuMemsetD32Async(CUdeviceptr destination, unsigned value, size_t count, void* stream_handle)
{
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    if (count == 0) return Success;
    if (destination % 4 != 0) return report(InvalidValue, "cuMemsetD32Async: destination is not 4-byte aligned");
    if (count > SIZE_MAX / 4) return report(InvalidValue, "cuMemsetD32Async: count overflows");
    if (int result = check_range("cuMemsetD32Async", "destination", destination, count * 4); result != Success) return result;
    return submit(stream, std::make_shared<Memset32>(reinterpret_cast<uint32_t*>(destination), value, count));
}

RASEMU_EXPORT int cuStreamCreate(void** stream, unsigned flags)
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    if (stream == nullptr || flags > 1) return report(InvalidValue, "cuStreamCreate: NULL result pointer or unknown flags");
    *stream = create_stream(context, flags);
    return Success;
}

RASEMU_EXPORT int cuStreamDestroy_v2(void* stream_handle)
{
    if (stream_handle == nullptr) return report(InvalidHandle, "cuStreamDestroy: the NULL stream cannot be destroyed");
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    return destroy_stream(stream);
}

RASEMU_EXPORT int cuStreamSynchronize(void* stream_handle)
{
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    if (int result = capture_check("cuStreamSynchronize", stream); result != Success) return result;
    return synchronize_stream(stream);
}

RASEMU_EXPORT int cuEventCreate(void** event, unsigned flags)
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    if (event == nullptr) return InvalidValue;
    (void)flags;   // blocking-sync / disable-timing flags change nothing here
    *event = create_event(context);
    return Success;
}

RASEMU_EXPORT int cuEventDestroy_v2(void* event)
{
    if (!initialized) return NotInitialized;
    std::lock_guard lock(state_lock());
    if (!is_event(static_cast<Event*>(event))) return report(InvalidHandle, "cuEventDestroy: not a live event");
    destroy_event(static_cast<Event*>(event));
    return Success;
}

RASEMU_EXPORT int cuEventRecord(void* event, void* stream_handle)
{
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    {
        std::lock_guard lock(state_lock());
        if (!is_event(static_cast<Event*>(event))) return report(InvalidHandle, "cuEventRecord: not a live event");
    }
    return record_event(static_cast<Event*>(event), stream);
}

RASEMU_EXPORT int cuEventSynchronize(void* event)
{
    if (!initialized) return NotInitialized;
    auto* e = static_cast<Event*>(event);
    {
        std::lock_guard lock(state_lock());
        if (!is_event(e)) return report(InvalidHandle, "cuEventSynchronize: not a live event");
        if (e->context->sticky != 0) return sticky_result(e->context);
    }
    if (e->stream != nullptr)
        if (int result = capture_check("cuEventSynchronize", e->stream); result != Success) return result;
    return synchronize_event(e);
}

RASEMU_EXPORT int cuEventElapsedTime(float* milliseconds, void* start, void* end)
{
    if (!initialized) return NotInitialized;
    auto *a = static_cast<Event*>(start), *b = static_cast<Event*>(end);
    std::lock_guard lock(state_lock());
    if (milliseconds == nullptr || !is_event(a) || !is_event(b)) return report(InvalidHandle, "cuEventElapsedTime: not live events");
    if (!a->recorded || !b->recorded) return report(InvalidHandle, "cuEventElapsedTime: an event was never recorded");
    if (!a->completed || !b->completed) return NotReady;
    *milliseconds = std::chrono::duration<float, std::milli>(b->time - a->time).count();
    return Success;
}

RASEMU_EXPORT int cuModuleLoadData(void** module, const void* image)
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    if (module == nullptr) return InvalidValue;
    Module* loaded = nullptr;
    int result = load_module(context, image, &loaded);
    *module = loaded;
    return result;
}

RASEMU_EXPORT int cuModuleUnload(void* module)
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    auto* m = static_cast<Module*>(module);
    if (!is_module(m)) return report(InvalidHandle, "cuModuleUnload: not a loaded module");
    // Queued launches of its kernels must not outlive the code.
    synchronize_context(m->context);
    unload_module(m);
    return Success;
}

RASEMU_EXPORT int cuModuleGetFunction(void** function, void* module, const char* name)
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    auto* m = static_cast<Module*>(module);
    if (function == nullptr || name == nullptr) return InvalidValue;
    if (!is_module(m)) return report(InvalidHandle, "cuModuleGetFunction: not a loaded module");
    auto it = m->functions.find(name);
    if (it == m->functions.end()) return note(NotFound, std::string("cuModuleGetFunction: no kernel named ") + name + " in this module");
    *function = &it->second;
    return Success;
}

RASEMU_EXPORT int cuFuncSetAttribute(void* function, int which, int value)
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    auto* f = static_cast<Function*>(function);
    if (!is_function(f)) return report(InvalidHandle, "cuFuncSetAttribute: not a kernel handle");
    if (which == 8)   // CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
    {
        int limit;
        attribute(97, &limit);
        if (value < 0 || value > limit) return report(InvalidValue, "cuFuncSetAttribute: dynamic shared memory above the opt-in limit");
        f->max_dynamic_shared = value;
        return Success;
    }
    if (which == 9) return Success;   // CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT: a hint
    return report(InvalidValue, "cuFuncSetAttribute: attribute " + std::to_string(which) + " is not modelled by the emulator");
}

RASEMU_EXPORT int cuLaunchKernel(void* function, unsigned grid_x, unsigned grid_y, unsigned grid_z, unsigned block_x, unsigned block_y,
    unsigned block_z, unsigned shared_bytes, void* stream_handle, void** params, void** extra)
{
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    auto* f = static_cast<Function*>(function);
    if (!is_function(f)) return report(InvalidHandle, "cuLaunchKernel: not a kernel handle");
    const rasemu_kernel_desc* kernel = f->kernel;
    std::string name = kernel->name;
    if (extra != nullptr) return report(NotSupported, "cuLaunchKernel(" + name + "): the emulator takes arguments through kernelParams only");
    uint64_t threads = static_cast<uint64_t>(block_x) * block_y * block_z;
    if (block_x == 0 || block_y == 0 || block_z == 0 || block_x > 1024 || block_y > 1024 || block_z > 64 || threads > 1024)
        return report(InvalidValue, "cuLaunchKernel(" + name + "): block (" + std::to_string(block_x) + "," + std::to_string(block_y) + "," +
            std::to_string(block_z) + ") is outside the device's limits (1024 threads, z ≤ 64)");
    if (grid_x == 0 || grid_y == 0 || grid_z == 0 || grid_x > 2147483647u || grid_y > 65535 || grid_z > 65535)
        return report(InvalidValue, "cuLaunchKernel(" + name + "): grid (" + std::to_string(grid_x) + "," + std::to_string(grid_y) + "," +
            std::to_string(grid_z) + ") is outside the device's limits");
    if (shared_bytes > static_cast<unsigned>(f->max_dynamic_shared))
        return report(InvalidValue, "cuLaunchKernel(" + name + "): " + std::to_string(shared_bytes) + " bytes of dynamic shared memory exceed the " +
            std::to_string(f->max_dynamic_shared) + " allowed (cuFuncSetAttribute raises it)");
    if (kernel->param_count > 0 && params == nullptr) return report(InvalidValue, "cuLaunchKernel(" + name + "): kernelParams is NULL");

    // The driver copies the arguments at the call; so does the emulator, by the kernel's parameter sizes.
    KernelLaunch launch;
    launch.name = name;
    launch.kernel = kernel;
    launch.grid = {grid_x, grid_y, grid_z};
    launch.block = {block_x, block_y, block_z};
    launch.shared_bytes = shared_bytes;
    size_t words = 0;
    for (unsigned i = 0; i < kernel->param_count; i++) words += (kernel->param_sizes[i] + 15) / 16 * 2;
    launch.storage.assign(words, 0);
    size_t offset = 0;
    for (unsigned i = 0; i < kernel->param_count; i++)
    {
        if (params[i] == nullptr) return report(InvalidValue, "cuLaunchKernel(" + name + "): kernelParams[" + std::to_string(i) + "] is NULL");
        memcpy(&launch.storage[offset], params[i], kernel->param_sizes[i]);
        launch.params.push_back(&launch.storage[offset]);
        offset += (kernel->param_sizes[i] + 15) / 16 * 2;
    }
    return submit(stream, std::make_shared<KernelTask>(std::move(launch)));
}

RASEMU_EXPORT int cuStreamBeginCapture_v2(void* stream_handle, int mode)
{
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    if (mode < 0 || mode > 2) return report(InvalidValue, "cuStreamBeginCapture: unknown capture mode");
    return begin_capture(stream, static_cast<CaptureMode>(mode));
}

RASEMU_EXPORT int cuStreamEndCapture(void* stream_handle, void** graph)
{
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    if (graph == nullptr) return InvalidValue;
    Graph* captured = nullptr;
    int result = end_capture(stream, &captured);
    *graph = captured;
    return result;
}

RASEMU_EXPORT int cuGraphInstantiateWithFlags(void** exec, void* graph, unsigned long long flags)
{
    Context* context;
    if (int result = enter(&context); result != Success) return result;
    if (exec == nullptr || flags > 1) return report(InvalidValue, "cuGraphInstantiateWithFlags: NULL result pointer or unsupported flags");
    {
        std::lock_guard lock(state_lock());
        if (!is_graph(static_cast<Graph*>(graph))) return report(InvalidHandle, "cuGraphInstantiateWithFlags: not a live graph");
    }
    *exec = instantiate(static_cast<Graph*>(graph));
    return Success;
}

RASEMU_EXPORT int cuGraphLaunch(void* exec, void* stream_handle)
{
    Stream* stream;
    if (int result = enter_stream(stream_handle, &stream); result != Success) return result;
    {
        std::lock_guard lock(state_lock());
        if (!is_graph_exec(static_cast<GraphExec*>(exec))) return report(InvalidHandle, "cuGraphLaunch: not a live executable graph");
    }
    return launch_graph(static_cast<GraphExec*>(exec), stream);
}

RASEMU_EXPORT int cuGraphExecDestroy(void* exec)
{
    if (!initialized) return NotInitialized;
    {
        std::lock_guard lock(state_lock());
        if (!is_graph_exec(static_cast<GraphExec*>(exec))) return report(InvalidHandle, "cuGraphExecDestroy: not a live executable graph");
    }
    destroy_graph_exec(static_cast<GraphExec*>(exec));
    return Success;
}

RASEMU_EXPORT int cuGraphDestroy(void* graph)
{
    if (!initialized) return NotInitialized;
    {
        std::lock_guard lock(state_lock());
        if (!is_graph(static_cast<Graph*>(graph))) return report(InvalidHandle, "cuGraphDestroy: not a live graph");
    }
    destroy_graph(static_cast<Graph*>(graph));
    return Success;
}
