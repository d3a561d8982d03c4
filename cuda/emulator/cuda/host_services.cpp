// rasemu_host.h for the cuBLAS/cuBLASLt emulators, and the controls the C# side uses in emulator mode
// (schedule seed, the last error's explanation, the emulator's identity).
#include "rasemu_host.h"

#include <memory>
#include <optional>
#include <string>

#include "device_memory.h"
#include "errors.h"
#include "fiber.h"
#include "settings.h"
#include "streams.h"
#include "worker_pool.h"

#define RASEMU_EXPORT extern "C" __attribute__((visibility("default")))

using namespace rasemu;

namespace
{
// The failure a running external task reported through rasemu_report_error, if any.
struct Reported
{
    int result = 0;
    std::string message;
};
thread_local Reported* running_report = nullptr;

struct ExternalTask final : Task
{
    ExternalTask(const char* name, rasemu_task_fn fn, void* arg, rasemu_task_fn free_arg)
        : Task(name ? name : "external task", true), fn(fn), arg(arg), free_arg(free_arg) {}
    ~ExternalTask() override
    {
        if (free_arg != nullptr) free_arg(arg);
    }
    int run(std::string& failure) override
    {
        Reported reported;
        Reported* outer = running_report;
        running_report = &reported;
        fn(arg);
        running_report = outer;
        if (reported.result == 0) return Success;
        failure = name + ": " + reported.message;
        return reported.result;
    }
    rasemu_task_fn fn;
    void* arg;
    rasemu_task_fn free_arg;
};
} // namespace

RASEMU_EXPORT int rasemu_device_range(uint64_t address, uint64_t bytes, const char** why)
{
    thread_local std::string reason;
    if (device_range(address, bytes, &reason)) return 1;
    if (why != nullptr) *why = reason.c_str();
    return 0;
}

RASEMU_EXPORT int rasemu_stream_enqueue(void* stream_handle, const char* name, rasemu_task_fn fn, void* arg, rasemu_task_fn free_arg)
{
    auto task = std::make_shared<ExternalTask>(name, fn, arg, free_arg);   // frees arg on every path out
    int result = Success;
    Stream* stream = resolve_stream(stream_handle, &result);
    if (stream == nullptr) return result;
    return submit(stream, std::move(task));
}

RASEMU_EXPORT void rasemu_parallel_for(int64_t count, rasemu_index_fn fn, void* arg) { parallel_for(count, fn, arg); }

RASEMU_EXPORT void rasemu_report_error(int cuda_result, const char* message)
{
    std::string text = message ? message : "failed";
    if (running_report != nullptr)
    {
        // The first report of a task wins; drain() prints it and makes it the context's sticky error.
        if (running_report->result == 0) *running_report = Reported{cuda_result, text};
        return;
    }
    if (Context* context = current_context(); context != nullptr) fail_context(context, cuda_result, text);
    else report(cuda_result, text);
}

// ---- controls for the C# bindings (emulator mode only) --------------------------------------------------------

RASEMU_EXPORT void rasemu_set_schedule_seed(int seeded, uint64_t seed)
{
    set_schedule_seed(seeded ? std::optional<uint64_t>(seed) : std::nullopt);
}

RASEMU_EXPORT int rasemu_get_schedule_seed(uint64_t* seed)
{
    auto value = schedule_seed();
    if (value && seed != nullptr) *seed = *value;
    return value.has_value() ? 1 : 0;
}

RASEMU_EXPORT const char* rasemu_last_error_detail()
{
    thread_local std::string copy;
    copy = last_detail();
    return copy.c_str();
}

RASEMU_EXPORT int rasemu_worker_count() { return worker_count(); }

// For debuggers, on a kernel's fiber: `p *rasemu_current_thread()` shows threadIdx, the lane and (through
// .block) blockIdx, blockDim and gridDim of the CUDA thread being debugged.
RASEMU_EXPORT const rasemu_thread_info* rasemu_current_thread() { return &current_region()->info; }
