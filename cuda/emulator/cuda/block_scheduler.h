// Runs one thread block on the calling OS thread: its CUDA threads are fibers, cooperatively scheduled. A
// thread runs until it waits (at __syncthreads or a warp collective) or exits; a fiber whose thread exits
// without waiting runs the next unstarted thread on the same stack, so a kernel without barriers costs about
// one call per thread. A waiting fiber switches straight to the next runnable one. The thread that completes
// a sync point goes on, then the others resume in thread order; under a seed (RASNATIVE_CUDA_EMULATOR_SEED)
// thread start and resume orders are permutations drawn per block. When every live thread waits and none
// can be released, the block has deadlocked: the launch fails with a description instead of hanging.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "fiber.h"
#include "kernel_launch.h"

namespace rasemu
{
class BlockScheduler
{
public:
    // The scheduler of the calling OS thread (created on first use, with its fiber stacks).
    static BlockScheduler& for_this_thread();

    // Runs block `block` (linear index) of `launch` to completion; false with `failure` set when a thread
    // trapped, a collective was misused or the block deadlocked.
    bool run(const KernelLaunch& launch, uint64_t block, std::string& failure);

    // The runtime table's entry points, called on the fiber of the calling CUDA thread.
    int barrier(int mode, int predicate);
    uint64_t shfl(unsigned mask, int mode, uint64_t value, int arg, int width);
    unsigned vote(unsigned mask, int mode, int predicate);
    void syncwarp(unsigned mask);
    void mma(int type, float d[4], const unsigned a[4], const unsigned b[2], const float c[4]);
    void ldmatrix(int count, int transpose, const void* row, unsigned* fragments);
    void cp_async(void* destination, const void* source, unsigned bytes);
    void cp_async_commit();
    void cp_async_wait(unsigned pending_groups);
    [[noreturn]] void trap(const char* what);

private:
    enum class Wait : uint8_t { None, Barrier, Warp };
    enum class Kind : uint8_t { Shfl, Vote, SyncWarp, Mma, LdMatrix };

    // What every switch touches, in one cache line; the tensor-core operands live apart (Operands).
    struct alignas(64) Thread
    {
        bool started = false, exited = false;
        Wait wait = Wait::None;
        uint32_t committed_groups = 0;   // cp.async.commit_group count
        Region* region = nullptr;
        int mode = 0, predicate = 0, arg = 0, width = 32;
        uint64_t value = 0, result = 0;
    };

    // The fragment pointers a lane passes to mma.sync / ldmatrix.
    struct Operands
    {
        const void* in[3] = {};
        void* out = nullptr;
    };

    // Lanes of one warp waiting at the same collective (same kind, mode and mask).
    struct WarpGroup
    {
        Kind kind;
        int mode;
        uint32_t mask, required, arrived;
    };

    struct PendingCopy
    {
        void* destination;
        uint32_t group;
        uint8_t bytes;
        alignas(16) uint8_t data[16];
    };

    static constexpr uint32_t NoThread = ~0u;

    static void fiber_entry(void* region);
    [[noreturn]] void fiber_loop(Region* region);
    Thread& self();
    void start_thread(Region* region, uint32_t thread);
    void finish_thread(uint32_t thread);
    // The fiber to run next (a released thread, else a new fiber for the next unstarted threads), or null.
    Region* next_fiber();
    // Leaves `self` for the next fiber, or for run() when none can run; returns when `self` is resumed.
    void switch_from(Region* self);
    void suspend();
    // Queues `threads` (released by one sync point) to run; true when `caller`, one of them, must wait its turn.
    bool release(std::vector<uint32_t>& threads, uint32_t caller);
    bool release_barrier(uint32_t caller);
    void arrive(Kind kind, int mode, unsigned mask);
    bool complete(uint32_t warp, const WarpGroup& group, uint32_t caller);
    void complete_mma(uint32_t warp, int type);
    void complete_ldmatrix(uint32_t warp, int mode);
    void land_copies(uint32_t thread, uint32_t below_group);
    uint32_t lanes_of(uint32_t warp) const;
    void fail(const std::string& what);   // from the scheduler's own stack
    [[noreturn]] void fail_here(const std::string& what);   // from a fiber: never returns to it
    void describe_deadlock();
    std::string where(uint32_t thread) const;
    static const char* kind_name(Kind kind);
    uint64_t next_random();

    RegionPool regions_;
    const KernelLaunch* launch_ = nullptr;
    rasemu_block_info info_{};
    std::vector<uint8_t> dynamic_shared_;
    uint32_t count_ = 0, next_start_ = 0, live_ = 0, arrived_ = 0, predicates_ = 0;
    std::vector<Thread> threads_;
    std::vector<Operands> operands_;
    std::vector<uint32_t> barrier_waiters_;
    std::vector<uint32_t> start_order_;
    std::vector<uint32_t> ready_;          // ring buffer of thread indices
    uint32_t ready_head_ = 0, ready_count_ = 0, ready_mask_ = 0;
    std::vector<std::vector<WarpGroup>> groups_;   // per warp
    std::vector<uint32_t> exited_lanes_;           // per warp
    std::vector<std::vector<PendingCopy>> copies_; // per thread
    std::vector<uint32_t> scratch_;
    bool seeded_ = false, failed_ = false;
    uint64_t random_ = 0;
    std::string failure_;
    Region* current_ = nullptr;
    void* scheduler_sp_ = nullptr;
};

// The table handed to every loaded module.
const rasemu_kernel_runtime* kernel_runtime();
} // namespace rasemu
