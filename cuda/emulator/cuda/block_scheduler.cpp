#include "block_scheduler.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <numeric>


namespace rasemu
{
namespace
{
uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

std::string hex(uint32_t value)
{
    char text[16];
    snprintf(text, sizeof text, "0x%08x", value);
    return text;
}

// IEEE binary16 → float, exact (subnormals included; NaN payloads kept).
float half_to_float(uint16_t h)
{
    uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16, exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
    if (exponent == 0)
    {
        float magnitude = static_cast<float>(mantissa) * 5.9604644775390625e-08f;   // mantissa · 2⁻²⁴
        return sign ? -magnitude : magnitude;
    }
    uint32_t bits = exponent == 0x1f ? sign | 0x7f800000u | (mantissa << 13) : sign | ((exponent + 112) << 23) | (mantissa << 13);
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

float bf16_to_float(uint16_t b)
{
    uint32_t bits = static_cast<uint32_t>(b) << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

BlockScheduler& scheduler() { return *current_region()->scheduler; }
int rt_barrier(int mode, int predicate) { return scheduler().barrier(mode, predicate); }
uint64_t rt_shfl(unsigned mask, int mode, uint64_t value, int arg, int width) { return scheduler().shfl(mask, mode, value, arg, width); }
unsigned rt_vote(unsigned mask, int mode, int predicate) { return scheduler().vote(mask, mode, predicate); }
void rt_syncwarp(unsigned mask) { scheduler().syncwarp(mask); }
void rt_mma(int type, float d[4], const unsigned a[4], const unsigned b[2], const float c[4]) { scheduler().mma(type, d, a, b, c); }
void rt_ldmatrix(int count, int transpose, const void* row, unsigned* fragments) { scheduler().ldmatrix(count, transpose, row, fragments); }
void rt_cp_async(void* destination, const void* source, unsigned bytes) { scheduler().cp_async(destination, source, bytes); }
void rt_cp_async_commit() { scheduler().cp_async_commit(); }
void rt_cp_async_wait(unsigned pending) { scheduler().cp_async_wait(pending); }
void rt_trap(const char* what) { scheduler().trap(what); }

const rasemu_kernel_runtime runtime_table = {
    RASEMU_KERNEL_ABI_VERSION, rt_barrier, rt_shfl, rt_vote, rt_syncwarp, rt_mma, rt_ldmatrix,
    rt_cp_async, rt_cp_async_commit, rt_cp_async_wait, rt_trap,
};
} // namespace

const rasemu_kernel_runtime* kernel_runtime() { return &runtime_table; }

BlockScheduler& BlockScheduler::for_this_thread()
{
    thread_local std::unique_ptr<BlockScheduler> instance;
    if (!instance) instance = std::make_unique<BlockScheduler>();
    return *instance;
}

bool BlockScheduler::run(const KernelLaunch& launch, uint64_t block, std::string& failure)
{
    launch_ = &launch;
    const rasemu_dim3 grid = launch.grid;
    info_.block_idx = {static_cast<unsigned>(block % grid.x), static_cast<unsigned>(block / grid.x % grid.y),
        static_cast<unsigned>(block / grid.x / grid.y)};
    info_.block_dim = launch.block;
    info_.grid_dim = grid;
    if (dynamic_shared_.size() < launch.shared_bytes + 128) dynamic_shared_.resize(launch.shared_bytes + 128);
    // Shared memory is at least 128-byte aligned on the GPU; kernels rely on it for vector accesses.
    auto base = reinterpret_cast<uintptr_t>(dynamic_shared_.data());
    info_.dynamic_shared = reinterpret_cast<void*>((base + 127) & ~static_cast<uintptr_t>(127));
    info_.dynamic_shared_bytes = launch.shared_bytes;

    count_ = launch.threads();
    next_start_ = 0;
    live_ = count_;
    arrived_ = predicates_ = 0;
    barrier_waiters_.clear();
    if (threads_.size() < count_)
    {
        threads_.resize(count_);
        operands_.resize(count_);
        copies_.resize(count_);
        uint32_t capacity = 1;
        while (capacity < count_) capacity *= 2;
        ready_.resize(capacity);
        ready_mask_ = capacity - 1;
    }
    for (uint32_t t = 0; t < count_; t++) threads_[t].started = threads_[t].exited = false;
    uint32_t warps = (count_ + 31) / 32;
    groups_.resize(warps);
    for (auto& list : groups_) list.clear();
    exited_lanes_.assign(warps, 0);
    ready_head_ = ready_count_ = 0;
    start_order_.resize(count_);
    std::iota(start_order_.begin(), start_order_.end(), 0u);
    seeded_ = launch.seed.has_value();
    if (seeded_)
    {
        // Drawn from the seed, the kernel and the block only, so a seed reproduces its schedule in any run.
        uint64_t name = 0xcbf29ce484222325ull;
        for (char c : launch.name) name = (name ^ static_cast<uint8_t>(c)) * 0x100000001b3ull;
        random_ = mix(*launch.seed) ^ mix(name) ^ mix(block + 0x51ed27ull);
        for (uint32_t i = count_; i > 1; i--) std::swap(start_order_[i - 1], start_order_[next_random() % i]);
    }
    failed_ = false;
    failure_.clear();
    regions_.release_all();

    // Fibers switch directly to one another; control comes back here only when none can run: the block is
    // done, failed, or deadlocked.
    current_ = next_fiber();
    rasemu_fiber_switch(&scheduler_sp_, current_->sp);
    if (!failed_ && live_ > 0) describe_deadlock();
    current_ = nullptr;
    launch_ = nullptr;
    if (!failed_) return true;
    failure = failure_;
    return false;
}

Region* BlockScheduler::next_fiber()
{
    if (failed_) return nullptr;
    if (ready_count_ > 0)
    {
        uint32_t thread = ready_[ready_head_];
        ready_head_ = (ready_head_ + 1) & ready_mask_;
        ready_count_--;
        return threads_[thread].region;
    }
    if (next_start_ == count_) return nullptr;
    Region* region = regions_.acquire();
    region->scheduler = this;
    RegionPool::start(region, &fiber_entry);
    return region;
}

__attribute__((always_inline)) inline void BlockScheduler::switch_from(Region* self)
{
    Region* next = next_fiber();
    if (next == self) return;   // it released itself and is first in line
    current_ = next;
    rasemu_fiber_switch(&self->sp, next != nullptr ? next->sp : scheduler_sp_);
}

void BlockScheduler::fiber_entry(void* region)
{
    auto* r = static_cast<Region*>(region);
    r->scheduler->fiber_loop(r);
}

void BlockScheduler::fiber_loop(Region* region)
{
    for (;;)
    {
        if (failed_ || next_start_ == count_)
        {
            // Nothing left to start: this stack goes back to the pool and the fiber is never resumed.
            regions_.give_back(region);
            switch_from(region);
            __builtin_unreachable();
        }
        uint32_t thread = start_order_[next_start_++];
        start_thread(region, thread);
        launch_->kernel->entry(const_cast<void**>(launch_->params.data()));
        finish_thread(thread);
    }
}

BlockScheduler::Thread& BlockScheduler::self() { return threads_[current_->thread]; }

void BlockScheduler::start_thread(Region* region, uint32_t thread)
{
    // Only what a thread's life reads before writing it is reset (this runs once per CUDA thread).
    Thread& t = threads_[thread];
    t.started = true;
    t.wait = Wait::None;
    t.region = region;
    t.committed_groups = 0;
    region->thread = thread;
    const rasemu_dim3 dim = info_.block_dim;
    region->info.thread_idx = dim.y == 1 && dim.z == 1 ? rasemu_dim3{thread, 0, 0} : rasemu_dim3{thread % dim.x, thread / dim.x % dim.y, thread / dim.x / dim.y};
    region->info.linear = thread;
    region->info.lane = thread & 31u;
    region->info.block = &info_;
}

void BlockScheduler::finish_thread(uint32_t thread)
{
    // A thread that exits with cp.async copies in flight still has them land (the hardware completes them).
    if (!copies_[thread].empty()) land_copies(thread, UINT32_MAX);
    Thread& t = threads_[thread];
    t.exited = true;
    t.region = nullptr;
    live_--;
    uint32_t warp = thread >> 5, bit = 1u << (thread & 31);
    exited_lanes_[warp] |= bit;
    if (!groups_[warp].empty())
        for (const WarpGroup& group : groups_[warp])
            if ((group.required & bit) && !(group.arrived & bit))
                fail_here("thread " + where(thread) + " exited while lanes " + hex(group.arrived) + " of its warp wait for it at " +
                    kind_name(group.kind) + " with mask " + hex(group.mask));
    if (arrived_ > 0 && arrived_ == live_) release_barrier(NoThread);
}

__attribute__((always_inline)) inline void BlockScheduler::suspend() { switch_from(current_); }

bool BlockScheduler::release(std::vector<uint32_t>& threads, uint32_t caller)
{
    for (uint32_t thread : threads) threads_[thread].wait = Wait::None;
    if (seeded_)
        for (size_t i = threads.size(); i > 1; i--) std::swap(threads[i - 1], threads[next_random() % i]);
    // In the fixed order the thread that completed the sync point goes on at once (no switch); under a seed
    // its turn is drawn with the others'.
    bool caller_waits = seeded_ || caller == NoThread;
    for (uint32_t thread : threads)
    {
        if (thread == caller && !caller_waits) continue;
        ready_[(ready_head_ + ready_count_) & ready_mask_] = thread;
        ready_count_++;
    }
    return caller_waits && caller != NoThread;
}

int BlockScheduler::barrier(int mode, int predicate)
{
    Thread& t = self();
    t.wait = Wait::Barrier;
    t.mode = mode;
    barrier_waiters_.push_back(current_->thread);
    arrived_++;
    if (predicate) predicates_++;
    if (arrived_ < live_ || release_barrier(current_->thread)) suspend();
    return static_cast<int>(t.result);
}

bool BlockScheduler::release_barrier(uint32_t caller)
{
    // Threads that exited no longer count (sm_70+), so the barrier opens once every live thread arrived.
    scratch_.swap(barrier_waiters_);
    barrier_waiters_.clear();
    for (uint32_t i : scratch_)
    {
        Thread& t = threads_[i];
        t.result = t.mode == RASEMU_BARRIER_COUNT ? predicates_
            : t.mode == RASEMU_BARRIER_AND        ? predicates_ == arrived_
            : t.mode == RASEMU_BARRIER_OR         ? predicates_ > 0
                                                  : 0;
    }
    arrived_ = predicates_ = 0;
    return release(scratch_, caller);
}

uint32_t BlockScheduler::lanes_of(uint32_t warp) const
{
    uint32_t lanes = count_ - warp * 32;
    return lanes >= 32 ? ~0u : (1u << lanes) - 1;
}

void BlockScheduler::arrive(Kind kind, int mode, unsigned mask)
{
    uint32_t thread = current_->thread, warp = thread >> 5, bit = 1u << (thread & 31);
    if (!(mask & bit))
        fail_here(std::string(kind_name(kind)) + " with mask " + hex(mask) + " called by lane " + std::to_string(thread & 31) + ", which the mask leaves out");
    uint32_t required = mask & lanes_of(warp);
    if (uint32_t gone = required & exited_lanes_[warp])
        fail_here(std::string(kind_name(kind)) + " with mask " + hex(mask) + " waits for exited lanes " + hex(gone));
    auto& list = groups_[warp];
    size_t index = 0;
    while (index < list.size() && !(list[index].kind == kind && list[index].mode == mode && list[index].mask == mask && !(list[index].arrived & bit)))
        index++;
    if (index == list.size()) list.push_back({kind, mode, mask, required, 0});
    list[index].arrived |= bit;
    threads_[thread].wait = Wait::Warp;
    if (list[index].arrived == list[index].required)
    {
        WarpGroup done = list[index];
        list.erase(list.begin() + static_cast<ptrdiff_t>(index));
        if (!complete(warp, done, thread)) return;
    }
    suspend();
}

bool BlockScheduler::complete(uint32_t warp, const WarpGroup& group, uint32_t caller)
{
    uint32_t base = warp * 32;
    switch (group.kind)
    {
    case Kind::Shfl:
        for (uint32_t lane = 0; lane < 32; lane++)
        {
            if (!(group.arrived & (1u << lane))) continue;
            Thread& t = threads_[base + lane];
            int width = t.width, segment = static_cast<int>(lane) & ~(width - 1), offset = static_cast<int>(lane) - segment;
            int source = static_cast<int>(lane);
            switch (group.mode)
            {
            case RASEMU_SHFL_IDX: source = segment + (t.arg & (width - 1)); break;
            case RASEMU_SHFL_UP: source = offset >= t.arg ? static_cast<int>(lane) - t.arg : static_cast<int>(lane); break;
            case RASEMU_SHFL_DOWN: source = offset + t.arg < width ? static_cast<int>(lane) + t.arg : static_cast<int>(lane); break;
            default: source = static_cast<int>(lane) ^ t.arg; if (source < 0 || source >= segment + width) source = static_cast<int>(lane); break;
            }
            // A source lane outside the collective gives no defined value; the emulator returns the caller's own.
            bool present = source >= 0 && source < 32 && (group.arrived & (1u << source));
            t.result = present ? threads_[base + static_cast<uint32_t>(source)].value : t.value;
        }
        break;
    case Kind::Vote:
    {
        uint32_t ballot = 0;
        for (uint32_t lane = 0; lane < 32; lane++)
            if ((group.arrived & (1u << lane)) && threads_[base + lane].predicate) ballot |= 1u << lane;
        uint64_t result = group.mode == RASEMU_VOTE_BALLOT ? ballot : group.mode == RASEMU_VOTE_ANY ? ballot != 0 : ballot == group.arrived;
        for (uint32_t lane = 0; lane < 32; lane++)
            if (group.arrived & (1u << lane)) threads_[base + lane].result = result;
        break;
    }
    case Kind::SyncWarp: break;
    case Kind::Mma: complete_mma(warp, group.mode); break;
    case Kind::LdMatrix: complete_ldmatrix(warp, group.mode); break;
    }
    scratch_.clear();
    for (uint32_t lane = 0; lane < 32; lane++)
        if (group.arrived & (1u << lane)) scratch_.push_back(base + lane);
    return release(scratch_, caller);
}

uint64_t BlockScheduler::shfl(unsigned mask, int mode, uint64_t value, int arg, int width)
{
    if (width < 1 || width > 32 || (width & (width - 1)) != 0)
        fail_here("__shfl*_sync width " + std::to_string(width) + " is not a power of two from 1 to 32");
    Thread& t = self();
    t.value = value;
    t.arg = arg;
    t.width = width;
    arrive(Kind::Shfl, mode, mask);
    return t.result;
}

unsigned BlockScheduler::vote(unsigned mask, int mode, int predicate)
{
    Thread& t = self();
    t.predicate = predicate;
    arrive(Kind::Vote, mode, mask);
    return static_cast<unsigned>(t.result);
}

void BlockScheduler::syncwarp(unsigned mask) { arrive(Kind::SyncWarp, 0, mask); }

void BlockScheduler::mma(int type, float d[4], const unsigned a[4], const unsigned b[2], const float c[4])
{
    uint32_t warp = current_->thread >> 5;
    if (lanes_of(warp) != ~0u) fail_here("mma.sync needs a whole warp, but the block's last warp has only " + std::to_string(count_ % 32) + " threads");
    Operands& o = operands_[current_->thread];
    o.in[0] = a;
    o.in[1] = b;
    o.in[2] = c;
    o.out = d;
    arrive(Kind::Mma, type, ~0u);
}

// mma.m16n8k16 with .f16/.bf16 inputs and .f32 accumulators, element placement from the PTX ISA's "Matrix
// Fragments for mma.m16n8k16 with floating point type" (groupID = lane >> 2, threadID_in_group = lane % 4):
//   A: a_i row = groupID (i in {0,1,4,5}) else groupID + 8; col = tig·2 + (i & 1) (+ 8 for i ≥ 4)
//   B: b_i row = tig·2 + (i & 1) (+ 8 for i ≥ 2); col = groupID
//   C/D: c_i row = groupID (+ 8 for i ≥ 2); col = tig·2 + (i & 1)
// Element i of a fragment is the low (even i) or high (odd i) half of register i / 2. Products of 16-bit inputs
// are exact in double; the sum is accumulated in double in k order and rounded to float once (the hardware's
// internal order and rounding are not specified; results agree to a few float ulp).
void BlockScheduler::complete_mma(uint32_t warp, int type)
{
    double a[16][16], b[16][8], c[16][8];
    auto element = [type](uint32_t reg, int i) {
        uint16_t h = static_cast<uint16_t>(reg >> (16 * (i & 1)));
        return static_cast<double>(type == RASEMU_MMA_BF16 ? bf16_to_float(h) : half_to_float(h));
    };
    for (uint32_t lane = 0; lane < 32; lane++)
    {
        const Operands& o = operands_[warp * 32 + lane];
        auto* fa = static_cast<const unsigned*>(o.in[0]);
        auto* fb = static_cast<const unsigned*>(o.in[1]);
        auto* fc = static_cast<const float*>(o.in[2]);
        int group = static_cast<int>(lane >> 2), tig = static_cast<int>(lane & 3);
        for (int i = 0; i < 8; i++)
            a[(i < 2 || (i >= 4 && i < 6)) ? group : group + 8][tig * 2 + (i & 1) + (i >= 4 ? 8 : 0)] = element(fa[i >> 1], i);
        for (int i = 0; i < 4; i++) b[tig * 2 + (i & 1) + (i >= 2 ? 8 : 0)][group] = element(fb[i >> 1], i);
        for (int i = 0; i < 4; i++) c[group + (i >= 2 ? 8 : 0)][tig * 2 + (i & 1)] = fc[i];
    }
    for (uint32_t lane = 0; lane < 32; lane++)
    {
        auto* d = static_cast<float*>(operands_[warp * 32 + lane].out);
        int group = static_cast<int>(lane >> 2), tig = static_cast<int>(lane & 3);
        for (int i = 0; i < 4; i++)
        {
            int row = group + (i >= 2 ? 8 : 0), col = tig * 2 + (i & 1);
            double sum = c[row][col];
            for (int k = 0; k < 16; k++) sum += a[row][k] * b[k][col];
            d[i] = static_cast<float>(sum);
        }
    }
}

void BlockScheduler::ldmatrix(int count, int transpose, const void* row, unsigned* fragments)
{
    if (count != 1 && count != 2 && count != 4) fail_here("ldmatrix loads .x1, .x2 or .x4, not " + std::to_string(count) + " matrices");
    uint32_t warp = current_->thread >> 5;
    if (lanes_of(warp) != ~0u) fail_here("ldmatrix needs a whole warp, but the block's last warp has only " + std::to_string(count_ % 32) + " threads");
    Operands& o = operands_[current_->thread];
    o.in[0] = row;
    o.out = fragments;
    arrive(Kind::LdMatrix, count * 2 + (transpose ? 1 : 0), ~0u);
}

// ldmatrix.m8n8.b16 (PTX ISA, "Warp-level matrix load instruction: ldmatrix"): lanes 8m..8m+7 give the row
// addresses of matrix m; lane l receives in register m the elements (row l >> 2, cols (l % 4)·2 and +1) of
// matrix m, or with .trans the elements (rows (l % 4)·2 and +1, col l >> 2); the lower column/row in the low half.
void BlockScheduler::complete_ldmatrix(uint32_t warp, int mode)
{
    int count = mode >> 1;
    bool transpose = mode & 1;
    const uint16_t* rows[32] = {};
    for (int lane = 0; lane < 8 * count; lane++)
    {
        const void* address = operands_[warp * 32 + static_cast<uint32_t>(lane)].in[0];
        if (reinterpret_cast<uintptr_t>(address) % 16 != 0)
            fail_here("ldmatrix row address " + std::to_string(reinterpret_cast<uintptr_t>(address)) + " of lane " + std::to_string(lane) + " is not 16-byte aligned");
        rows[lane] = static_cast<const uint16_t*>(address);
    }
    uint32_t result[32][4];
    for (int lane = 0; lane < 32; lane++)
        for (int m = 0; m < count; m++)
        {
            const uint16_t** matrix = rows + 8 * m;
            int quad = (lane & 3) * 2, group = lane >> 2;
            uint16_t low = transpose ? matrix[quad][group] : matrix[group][quad];
            uint16_t high = transpose ? matrix[quad + 1][group] : matrix[group][quad + 1];
            result[lane][m] = static_cast<uint32_t>(low) | (static_cast<uint32_t>(high) << 16);
        }
    for (uint32_t lane = 0; lane < 32; lane++)
    {
        auto* out = static_cast<unsigned*>(operands_[warp * 32 + lane].out);
        for (int m = 0; m < count; m++) out[m] = result[lane][m];
    }
}

void BlockScheduler::cp_async(void* destination, const void* source, unsigned bytes)
{
    if (bytes != 4 && bytes != 8 && bytes != 16) fail_here("cp.async copies 4, 8 or 16 bytes, not " + std::to_string(bytes));
    if (reinterpret_cast<uintptr_t>(destination) % bytes != 0 || reinterpret_cast<uintptr_t>(source) % bytes != 0)
        fail_here("cp.async of " + std::to_string(bytes) + " bytes needs " + std::to_string(bytes) + "-byte aligned addresses");
    uint32_t thread = current_->thread;
    PendingCopy copy;
    copy.destination = destination;
    copy.group = threads_[thread].committed_groups;
    copy.bytes = static_cast<uint8_t>(bytes);
    memcpy(copy.data, source, bytes);   // read at issue; written to shared memory only at the wait
    copies_[thread].push_back(copy);
}

void BlockScheduler::cp_async_commit() { self().committed_groups++; }

void BlockScheduler::cp_async_wait(unsigned pending_groups)
{
    Thread& t = self();
    uint32_t bound = t.committed_groups >= pending_groups ? t.committed_groups - pending_groups : 0;
    land_copies(current_->thread, bound);
}

void BlockScheduler::land_copies(uint32_t thread, uint32_t below_group)
{
    auto& list = copies_[thread];
    size_t kept = 0;
    for (PendingCopy& copy : list)
    {
        if (copy.group < below_group) memcpy(copy.destination, copy.data, copy.bytes);
        else list[kept++] = copy;
    }
    list.resize(kept);
}

void BlockScheduler::trap(const char* what) { fail_here(what); }

void BlockScheduler::fail(const std::string& what)
{
    if (failed_) return;
    failed_ = true;
    const rasemu_dim3 b = info_.block_idx;
    failure_ = what + " (block (" + std::to_string(b.x) + "," + std::to_string(b.y) + "," + std::to_string(b.z) + "))" +
        (launch_->seed ? " (schedule seed " + std::to_string(*launch_->seed) + ")" : " (fixed schedule; RASNATIVE_CUDA_EMULATOR_SEED permutes it)");
}

void BlockScheduler::fail_here(const std::string& what)
{
    fail("thread " + where(current_->thread) + ": " + what);
    switch_from(current_);   // failed: straight back to run()
    __builtin_unreachable();
}

void BlockScheduler::describe_deadlock()
{
    uint32_t at_barrier = 0;
    for (uint32_t i = 0; i < count_; i++)
        if (threads_[i].started && !threads_[i].exited && threads_[i].wait == Wait::Barrier) at_barrier++;
    std::string text = "deadlock: every live thread waits and none can proceed: " + std::to_string(at_barrier) + " of " +
        std::to_string(live_) + " live threads wait at __syncthreads";
    int listed = 0;
    for (uint32_t warp = 0; warp < groups_.size(); warp++)
        for (const WarpGroup& group : groups_[warp])
            if (listed++ < 4)
                text += "; warp " + std::to_string(warp) + ": lanes " + hex(group.arrived) + " wait at " + kind_name(group.kind) +
                    " (mask " + hex(group.mask) + ") for lanes " + hex(group.required & ~group.arrived);
    fail(text);
}

std::string BlockScheduler::where(uint32_t thread) const
{
    const rasemu_dim3 dim = info_.block_dim;
    return "(" + std::to_string(thread % dim.x) + "," + std::to_string(thread / dim.x % dim.y) + "," + std::to_string(thread / dim.x / dim.y) + ")";
}

const char* BlockScheduler::kind_name(Kind kind)
{
    switch (kind)
    {
    case Kind::Shfl: return "__shfl*_sync";
    case Kind::Vote: return "a __ballot/__any/__all_sync vote";
    case Kind::SyncWarp: return "__syncwarp";
    case Kind::Mma: return "mma.sync";
    case Kind::LdMatrix: return "ldmatrix";
    }
    return "?";
}

uint64_t BlockScheduler::next_random()
{
    random_ += 0x9e3779b97f4a7c15ull;
    return mix(random_);
}
} // namespace rasemu
