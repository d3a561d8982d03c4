// The emulator's worker threads (RASNATIVE_CUDA_EMULATOR_WORKERS, default: one per online core, the calling
// thread counting as one): blocks of a launch and the cuBLAS emulators' tiles run on them through run().
#pragma once
#include <cstdint>

namespace rasemu
{
using IndexFunction = void (*)(void* arg, int64_t index);

// fn(arg, i) for every i in [0, count), on the workers and the caller; returns when all have finished.
// One job at a time (a second caller waits); a call from inside a job runs serially on its thread.
void parallel_for(int64_t count, IndexFunction fn, void* arg);

int worker_count();
} // namespace rasemu
