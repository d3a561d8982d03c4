// Fibers: a stack region per CUDA thread that has to wait (at a barrier or a warp collective), switched with
// rasemu_fiber_switch. Each region is RASEMU_STACK_REGION_BYTES, aligned to its size: a guard page at its base,
// the stack, and above the stack the Region record (whose first member is the rasemu_thread_info kernels read),
// at the cache-coloured slot rasemu_thread_info_address gives.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "rasemu_kernel_abi.h"

extern "C" void rasemu_fiber_switch(void** save, void* load);

namespace rasemu
{
class BlockScheduler;

struct alignas(RASEMU_THREAD_INFO_BYTES) Region
{
    rasemu_thread_info info;   // must stay first: kernels find it by masking the stack pointer
    void* sp = nullptr;        // saved stack pointer while the fiber is switched out
    BlockScheduler* scheduler = nullptr;
    uint32_t thread = 0;       // the CUDA thread (linear index in its block) this fiber runs now
};

// The region of the fiber executing the caller.
inline Region* current_region()
{
    uintptr_t sp;
    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
    return reinterpret_cast<Region*>(rasemu_thread_info_address(sp));
}

// Regions of one OS thread, reused from block to block and launch to launch; unmapped on destruction.
class RegionPool
{
public:
    RegionPool() = default;
    RegionPool(const RegionPool&) = delete;
    RegionPool& operator=(const RegionPool&) = delete;
    ~RegionPool();

    // Every region is free again (between blocks no fiber is alive).
    void release_all() { free_ = all_; }
    Region* acquire();
    void give_back(Region* region) { free_.push_back(region); }

    // Prepares `region` so that switching to it calls entry(region) on its own stack.
    static void start(Region* region, void (*entry)(void*));

private:
    std::vector<Region*> all_, free_;
    std::vector<std::pair<void*, size_t>> mappings_;
};
} // namespace rasemu
