// One cuLaunchKernel, with its arguments copied at the call (as the driver does), ready to run later.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rasemu_kernel_abi.h"

namespace rasemu
{
struct KernelLaunch
{
    std::string name;
    const rasemu_kernel_desc* kernel = nullptr;
    rasemu_dim3 grid{1, 1, 1}, block{1, 1, 1};
    unsigned shared_bytes = 0;
    std::vector<uint64_t> storage;   // every parameter's bytes, each in 8-byte-aligned slots
    std::vector<void*> params;       // one pointer per parameter into storage
    std::optional<uint64_t> seed;    // the schedule seed when the launch runs (unset: fixed order)

    uint64_t blocks() const { return static_cast<uint64_t>(grid.x) * grid.y * grid.z; }
    unsigned threads() const { return block.x * block.y * block.z; }
};
} // namespace rasemu
