#include "errors.h"

#include <cstdio>
#include <mutex>

namespace rasemu
{
namespace
{
struct Entry
{
    int result;
    const char* name;
    const char* text;
};

// The driver's own names and texts for every value the emulator can return.
const Entry entries[] = {
    {0, "CUDA_SUCCESS", "no error"},
    {1, "CUDA_ERROR_INVALID_VALUE", "invalid argument"},
    {2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory"},
    {3, "CUDA_ERROR_NOT_INITIALIZED", "initialization error"},
    {4, "CUDA_ERROR_DEINITIALIZED", "driver shutting down"},
    {100, "CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"},
    {101, "CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"},
    {200, "CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"},
    {201, "CUDA_ERROR_INVALID_CONTEXT", "invalid device context"},
    {209, "CUDA_ERROR_NO_BINARY_FOR_GPU", "no kernel image is available for execution on the device"},
    {218, "CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"},
    {400, "CUDA_ERROR_INVALID_HANDLE", "invalid resource handle"},
    {401, "CUDA_ERROR_ILLEGAL_STATE", "the operation cannot be performed in the present state"},
    {500, "CUDA_ERROR_NOT_FOUND", "named symbol not found"},
    {600, "CUDA_ERROR_NOT_READY", "device not ready"},
    {700, "CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered"},
    {701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"},
    {702, "CUDA_ERROR_LAUNCH_TIMEOUT", "the launch timed out and was terminated"},
    {710, "CUDA_ERROR_ASSERT", "device-side assert triggered"},
    {719, "CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"},
    {801, "CUDA_ERROR_NOT_SUPPORTED", "operation not supported"},
    {900, "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED", "operation not permitted when stream is capturing"},
    {901, "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED", "operation failed due to a previous error during capture"},
    {903, "CUDA_ERROR_STREAM_CAPTURE_UNMATCHED", "capture was not initiated in this stream"},
    {908, "CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD", "attempt to terminate a thread-local capture sequence from another thread"},
    {999, "CUDA_ERROR_UNKNOWN", "unknown error"},
};

// Per thread: the failure a caller sees is the one its own call produced.
thread_local std::string detail_text;
std::mutex print_mutex;

const Entry* find(int result)
{
    for (const Entry& entry : entries)
        if (entry.result == result) return &entry;
    return nullptr;
}
} // namespace

const char* error_name(int result)
{
    const Entry* entry = find(result);
    return entry ? entry->name : nullptr;
}

const char* error_string(int result)
{
    const Entry* entry = find(result);
    return entry ? entry->text : nullptr;
}

int report(int result, const std::string& detail)
{
    detail_text = detail;
    std::lock_guard lock(print_mutex);
    fprintf(stderr, "rasnative cuda emulator: %s\n", detail.c_str());
    fflush(stderr);
    return result;
}

int note(int result, const std::string& detail)
{
    detail_text = detail;
    return result;
}

std::string last_detail() { return detail_text; }
} // namespace rasemu
