#include "fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <new>

extern "C" void rasemu_fiber_trampoline();

namespace rasemu
{
namespace
{
constexpr size_t RegionBytes = RASEMU_STACK_REGION_BYTES;
constexpr size_t PageBytes = 4096;
constexpr size_t RegionsPerMapping = 32;
static_assert(sizeof(Region) <= RASEMU_THREAD_INFO_BYTES, "the Region record must fit the space the ABI gives it");
} // namespace

RegionPool::~RegionPool()
{
    for (auto [address, bytes] : mappings_) munmap(address, bytes);
}

Region* RegionPool::acquire()
{
    if (free_.empty())
    {
        // One mapping holds RegionsPerMapping regions aligned to RegionBytes: map one region more and trim.
        size_t bytes = (RegionsPerMapping + 1) * RegionBytes;
        void* raw = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (raw == MAP_FAILED) throw std::bad_alloc();
        uintptr_t start = (reinterpret_cast<uintptr_t>(raw) + RegionBytes - 1) & ~(RegionBytes - 1);
        uintptr_t end = start + RegionsPerMapping * RegionBytes;
        if (start > reinterpret_cast<uintptr_t>(raw)) munmap(raw, start - reinterpret_cast<uintptr_t>(raw));
        uintptr_t raw_end = reinterpret_cast<uintptr_t>(raw) + bytes;
        if (raw_end > end) munmap(reinterpret_cast<void*>(end), raw_end - end);
        mappings_.emplace_back(reinterpret_cast<void*>(start), end - start);
        for (size_t i = 0; i < RegionsPerMapping; i++)
        {
            uintptr_t base = start + i * RegionBytes;
            // A stack overflow hits the guard page instead of the region below.
            mprotect(reinterpret_cast<void*>(base), PageBytes, PROT_NONE);
            auto* region = new (reinterpret_cast<void*>(rasemu_thread_info_address(base))) Region();
            all_.push_back(region);
            free_.push_back(region);
        }
    }
    Region* region = free_.back();
    free_.pop_back();
    return region;
}

void RegionPool::start(Region* region, void (*entry)(void*))
{
    // The frame rasemu_fiber_switch restores, from low to high: MXCSR + x87 control word, r15, r14, r13 (entry),
    // r12 (argument), rbx, rbp, return address (the trampoline). The top is 16-byte aligned, so the trampoline's
    // call leaves the stack aligned as the ABI requires at function entry.
    auto* top = reinterpret_cast<uint64_t*>(region);   // the stack grows down from just below the record
    uint32_t mxcsr = 0;
    uint16_t x87 = 0;
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    __asm__ volatile("fnstcw %0" : "=m"(x87));
    uint64_t* sp = top;
    *--sp = reinterpret_cast<uint64_t>(&rasemu_fiber_trampoline);
    *--sp = 0;                                          // rbp
    *--sp = 0;                                          // rbx
    *--sp = reinterpret_cast<uint64_t>(region);         // r12
    *--sp = reinterpret_cast<uint64_t>(entry);          // r13
    *--sp = 0;                                          // r14
    *--sp = 0;                                          // r15
    *--sp = static_cast<uint64_t>(mxcsr) | (static_cast<uint64_t>(x87) << 32);
    region->sp = sp;
}
} // namespace rasemu
