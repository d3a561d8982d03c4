// The contract between the emulated driver (librasnative-cuda-emulator.so) and one kernel module: the shared
// object the emulated NVRTC builds from a .cu file with g++ (cuda_emulation.h force-included). Plain C ABI, so a
// module built by one compiler runs under a driver built by another; RASEMU_KERNEL_ABI_VERSION changes with it.
//
// Every CUDA thread runs on a fiber whose stack lies in a region of RASEMU_STACK_REGION_BYTES aligned to its
// own size, with the thread's rasemu_thread_info just above the stack, in the region's last 4 KiB: a kernel
// finds "its" thread from the stack pointer in a few instructions and no thread-local lookup. The record's
// slot there depends on the region's address ("cache colouring"): at one fixed offset, the records and stack
// tops of a block's 256 fibers would all fall into the same cache sets and evict each other on every switch.
#pragma once
#include <stdint.h>

#define RASEMU_KERNEL_ABI_VERSION 3u
#define RASEMU_STACK_REGION_SHIFT 18u
#define RASEMU_STACK_REGION_BYTES (1u << RASEMU_STACK_REGION_SHIFT)
#define RASEMU_THREAD_INFO_BYTES 64u
#define RASEMU_THREAD_INFO_COLOURS 64u

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rasemu_dim3 { unsigned x, y, z; } rasemu_dim3;

// One block of one launch, as its threads see it.
typedef struct rasemu_block_info {
    rasemu_dim3 block_idx, block_dim, grid_dim;
    void* dynamic_shared;              // the launch's sharedBytes, per block
    unsigned dynamic_shared_bytes;
} rasemu_block_info;

// Above the running thread's stack (see rasemu_thread_info_address).
typedef struct rasemu_thread_info {
    rasemu_dim3 thread_idx;
    unsigned linear;                   // x + y·bx + z·bx·by
    unsigned lane;                     // linear % 32
    const rasemu_block_info* block;
} rasemu_thread_info;

// Where the thread record of the fiber whose stack holds `sp` lies: slot (1 + colour) from the region's end,
// colour = the region's index modulo RASEMU_THREAD_INFO_COLOURS.
static inline uintptr_t rasemu_thread_info_address(uintptr_t sp)
{
    const uintptr_t base = sp & ~(uintptr_t)(RASEMU_STACK_REGION_BYTES - 1);
    return base + RASEMU_STACK_REGION_BYTES -
        RASEMU_THREAD_INFO_BYTES * (1 + ((base >> RASEMU_STACK_REGION_SHIFT) & (RASEMU_THREAD_INFO_COLOURS - 1)));
}

// shfl modes (the __shfl*_sync family) and vote modes.
enum { RASEMU_SHFL_IDX = 0, RASEMU_SHFL_UP = 1, RASEMU_SHFL_DOWN = 2, RASEMU_SHFL_XOR = 3 };
enum { RASEMU_VOTE_BALLOT = 0, RASEMU_VOTE_ANY = 1, RASEMU_VOTE_ALL = 2 };
enum { RASEMU_BARRIER_PLAIN = 0, RASEMU_BARRIER_COUNT = 1, RASEMU_BARRIER_AND = 2, RASEMU_BARRIER_OR = 3 };
enum { RASEMU_MMA_F16 = 0, RASEMU_MMA_BF16 = 1 };

// What the driver offers the kernels. Every collective blocks the calling fiber until its peers arrive.
typedef struct rasemu_kernel_runtime {
    unsigned abi_version;
    // __syncthreads and its _count/_and/_or forms (the result is only meaningful for those).
    int (*barrier)(int mode, int predicate);
    // __shfl*_sync on up to 8 bytes; returns the source lane's bits.
    uint64_t (*shfl)(unsigned mask, int mode, uint64_t value, int lane_or_delta, int width);
    // __ballot_sync / __any_sync / __all_sync.
    unsigned (*vote)(unsigned mask, int mode, int predicate);
    void (*syncwarp)(unsigned mask);
    // mma.sync.aligned.m16n8k16.row.col.f32.{f16,bf16}.{f16,bf16}.f32: d = a·b + c for the warp.
    void (*mma_m16n8k16)(int type, float d[4], const unsigned a[4], const unsigned b[2], const float c[4]);
    // ldmatrix.sync.aligned.m8n8.{x1,x2,x4}{,.trans}.shared.b16: `row` is this lane's row address.
    void (*ldmatrix)(int count, int transpose, const void* row, unsigned* fragments);
    // cp.async.{ca,cg}.shared.global + commit_group + wait_group N (the data lands at the wait).
    void (*cp_async)(void* shared_destination, const void* global_source, unsigned bytes);
    void (*cp_async_commit)(void);
    void (*cp_async_wait)(unsigned pending_groups);
    // __trap(), assert(): fails the launch with `what`.
    void (*trap)(const char* what);
} rasemu_kernel_runtime;

// One extern "C" __global__ function: `entry` runs one thread, reading its arguments from the launch's
// parameter array (one pointer per parameter, as cuLaunchKernel's kernelParams).
typedef struct rasemu_kernel_desc {
    const char* name;
    void (*entry)(void** params);
    unsigned param_count;
    const unsigned* param_sizes;
} rasemu_kernel_desc;

typedef struct rasemu_module_desc {
    unsigned abi_version;
    unsigned kernel_count;
    const rasemu_kernel_desc* kernels;
    const rasemu_kernel_runtime** runtime;   // the driver stores its table here before any launch
} rasemu_module_desc;

// Exported by every module under this name.
typedef const rasemu_module_desc* (*rasemu_module_fn)(void);
#define RASEMU_MODULE_SYMBOL "rasemu_module"

#ifdef __cplusplus
}
#endif
