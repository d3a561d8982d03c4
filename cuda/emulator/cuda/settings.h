// The emulator's environment variables, read once (see docs/cuda.md).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace rasemu
{
struct Settings
{
    int workers;                        // RASNATIVE_CUDA_EMULATOR_WORKERS (default: online cores)
    uint64_t memory_limit;              // RASNATIVE_CUDA_EMULATOR_MEMORY (bytes; K/M/G suffixes)
    std::optional<uint64_t> seed;       // RASNATIVE_CUDA_EMULATOR_SEED: permutes thread order between barriers
    std::string problem;                // the first variable with an invalid value (cuInit fails with it), or ""
};

const Settings& settings();

// The schedule seed can also be changed at run time (rasemu_set_schedule_seed, for tests).
std::optional<uint64_t> schedule_seed();
void set_schedule_seed(std::optional<uint64_t> seed);
} // namespace rasemu
