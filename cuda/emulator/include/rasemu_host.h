// Services the emulated CUDA driver (librasnative-cuda-emulator.so) exports to the other emulated libraries
// (cuBLAS and cuBLASLt emulators), so that they share its device-memory registry, its stream queues and its
// worker threads. Plain C ABI: the libraries are separate shared objects.
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*rasemu_task_fn)(void* arg);
typedef void (*rasemu_index_fn)(void* arg, int64_t index);

// 1 when [address, address + bytes) lies inside one live device allocation (bytes may be 0: then the address
// must lie inside or one past an allocation); else 0 and *why (if why is not NULL) points at a static,
// human-readable reason that names the address.
int rasemu_device_range(uint64_t address, uint64_t bytes, const char** why);

// Queues fn(arg) on `stream` (a CUstream; NULL = the legacy default stream) in stream order. `name` (static
// string, e.g. "cublasGemmEx") names the work in error messages. The task runs on an emulator thread when the
// stream is synchronised (or is recorded into the graph when the stream is capturing). free_arg(arg), when not
// NULL, is called once after the task ran or was discarded. Returns a CUresult (0 = CUDA_SUCCESS).
int rasemu_stream_enqueue(void* stream, const char* name, rasemu_task_fn fn, void* arg, rasemu_task_fn free_arg);

// Runs fn(arg, i) for every i in [0, count) on the emulator's worker threads (RASNATIVE_CUDA_EMULATOR_WORKERS)
// and returns when all have finished. May be called from inside a queued task.
void rasemu_parallel_for(int64_t count, rasemu_index_fn fn, void* arg);

// Called from inside a queued task that failed (e.g. an out-of-range matrix): records `cuda_result` as the
// context's sticky error, returned by the next synchronisation, and prints "rasnative cuda emulator: <message>"
// to stderr once.
void rasemu_report_error(int cuda_result, const char* message);

#ifdef __cplusplus
}
#endif
