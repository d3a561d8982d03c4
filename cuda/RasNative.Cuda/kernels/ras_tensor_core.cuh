// Tensor-core building blocks (sm_80+): warp-level MMA, ldmatrix and cp.async, each a small device function
// with its inline PTX and, for the CUDA emulator (docs/cuda.md), an emulated twin. The fragment layouts are
// the PTX ISA's ("Matrix Fragments for mma.m16n8k16 with floating point type", "ldmatrix"); the emulator
// implements them from those tables and tests/RasNative.Cuda.Tests checks both against the tables.
#pragma once

#include "ras.cuh"

#ifndef RASNATIVE_CUDA_EMULATOR
// The 32-bit .shared address of a generic pointer into shared memory, as PTX operands take it.
__device__ __forceinline__ unsigned ras_shared_address(const void* p)
{
    unsigned address;
    asm("{ .reg .u64 a; cvta.to.shared.u64 a, %1; cvt.u32.u64 %0, a; }" : "=r"(address) : "l"(p));
    return address;
}
#endif

// d = a·b + c over one warp (mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32): a holds 8 bf16 of A
// (16×16, row-major fragments), b 4 bf16 of B (16×8, column-major fragments), c and d 4 floats of C/D (16×8).
// d may be c.
__device__ __forceinline__ void ras_mma_m16n8k16_bf16(float d[4], const unsigned a[4], const unsigned b[2], const float c[4])
{
#ifdef RASNATIVE_CUDA_EMULATOR
    rasemu_mma_m16n8k16(RASEMU_MMA_BF16, d, a, b, c);
#else
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
                 : "=f"(d[0]), "=f"(d[1]), "=f"(d[2]), "=f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]), "f"(c[0]), "f"(c[1]), "f"(c[2]), "f"(c[3]));
#endif
}

// The same with f16 inputs (mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32).
__device__ __forceinline__ void ras_mma_m16n8k16_f16(float d[4], const unsigned a[4], const unsigned b[2], const float c[4])
{
#ifdef RASNATIVE_CUDA_EMULATOR
    rasemu_mma_m16n8k16(RASEMU_MMA_F16, d, a, b, c);
#else
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
                 : "=f"(d[0]), "=f"(d[1]), "=f"(d[2]), "=f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]), "f"(c[0]), "f"(c[1]), "f"(c[2]), "f"(c[3]));
#endif
}

// ldmatrix.sync.aligned.m8n8.{x1,x2,x4}{,.trans}.shared.b16 over one warp: lanes 8m..8m+7 pass the (16-byte
// aligned) addresses of rows 0..7 of matrix m in shared memory; register m of each lane receives two b16 of
// matrix m (row lane/4, columns 2·(lane%4) and +1; with .trans, rows 2·(lane%4) and +1 of column lane/4).
#ifdef RASNATIVE_CUDA_EMULATOR
#define RAS_LDMATRIX(name, count, transpose, ...) \
    __device__ __forceinline__ void name(unsigned r[count], const void* row) { rasemu_ldmatrix(count, transpose, row, r); }
#else
#define RAS_LDMATRIX(name, count, transpose, instruction, ...) \
    __device__ __forceinline__ void name(unsigned r[count], const void* row) \
    { \
        asm volatile(instruction : __VA_ARGS__ : "r"(ras_shared_address(row))); \
    }
#endif
RAS_LDMATRIX(ras_ldmatrix_x1, 1, 0, "ldmatrix.sync.aligned.m8n8.x1.shared.b16 {%0}, [%1];", "=r"(r[0]))
RAS_LDMATRIX(ras_ldmatrix_x2, 2, 0, "ldmatrix.sync.aligned.m8n8.x2.shared.b16 {%0,%1}, [%2];", "=r"(r[0]), "=r"(r[1]))
RAS_LDMATRIX(ras_ldmatrix_x4, 4, 0, "ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];", "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]))
RAS_LDMATRIX(ras_ldmatrix_x1_trans, 1, 1, "ldmatrix.sync.aligned.m8n8.x1.trans.shared.b16 {%0}, [%1];", "=r"(r[0]))
RAS_LDMATRIX(ras_ldmatrix_x2_trans, 2, 1, "ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0,%1}, [%2];", "=r"(r[0]), "=r"(r[1]))
RAS_LDMATRIX(ras_ldmatrix_x4_trans, 4, 1, "ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];", "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]))
#undef RAS_LDMATRIX

// cp.async: Bytes (4, 8 or 16) from global to shared memory, asynchronously. The data is only guaranteed in
// shared memory after a ras_cp_async_wait covering its group (the emulator writes it exactly then), and other
// threads see it only after a barrier that follows that wait.
template <int Bytes> __device__ __forceinline__ void ras_cp_async_ca(void* shared, const void* global)
{
    static_assert(Bytes == 4 || Bytes == 8 || Bytes == 16, "cp.async.ca copies 4, 8 or 16 bytes");
#ifdef RASNATIVE_CUDA_EMULATOR
    rasemu_cp_async(shared, global, Bytes);
#else
    asm volatile("cp.async.ca.shared.global [%0], [%1], %2;" ::"r"(ras_shared_address(shared)), "l"(global), "n"(Bytes) : "memory");
#endif
}

// cp.async.cg (L2 only): 16 bytes.
__device__ __forceinline__ void ras_cp_async_cg16(void* shared, const void* global)
{
#ifdef RASNATIVE_CUDA_EMULATOR
    rasemu_cp_async(shared, global, 16);
#else
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16;" ::"r"(ras_shared_address(shared)), "l"(global) : "memory");
#endif
}

// Closes the group of this thread's cp.async operations issued since the last commit.
__device__ __forceinline__ void ras_cp_async_commit()
{
#ifdef RASNATIVE_CUDA_EMULATOR
    rasemu_cp_async_commit();
#else
    asm volatile("cp.async.commit_group;" ::: "memory");
#endif
}

// Waits until at most Pending of this thread's committed groups are still in flight.
template <int Pending> __device__ __forceinline__ void ras_cp_async_wait()
{
#ifdef RASNATIVE_CUDA_EMULATOR
    rasemu_cp_async_wait(Pending);
#else
    asm volatile("cp.async.wait_group %0;" ::"n"(Pending) : "memory");
#endif
}

// Commits what is pending and waits for every group (cp.async.wait_all).
__device__ __forceinline__ void ras_cp_async_wait_all()
{
#ifdef RASNATIVE_CUDA_EMULATOR
    rasemu_cp_async_commit();
    rasemu_cp_async_wait(0);
#else
    asm volatile("cp.async.wait_all;" ::: "memory");
#endif
}

// Two floats rounded to nearest even and packed as an mma operand register: low in bits 0–15, high in 16–31
// (cvt.rn.{bf16x2,f16x2}.f32, sm_80+: the first source goes to the upper half). Overflow gives ±Inf, NaN the
// canonical NaN 0x7fff. The emulated twin computes the same bits.
__device__ __forceinline__ unsigned ras_pack_bf16x2(float low, float high)
{
#ifdef RASNATIVE_CUDA_EMULATOR
    const auto bits = [](float f) -> unsigned {
        const unsigned u = __float_as_uint(f);
        return (u & 0x7fffffffu) > 0x7f800000u ? 0x7fffu : (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
    };
    return bits(low) | (bits(high) << 16);
#else
    unsigned packed;
    asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(packed) : "f"(high), "f"(low));
    return packed;
#endif
}

__device__ __forceinline__ unsigned ras_pack_f16x2(float low, float high)
{
#ifdef RASNATIVE_CUDA_EMULATOR
    return (unsigned)from_float<__half>(low).x | ((unsigned)from_float<__half>(high).x << 16);
#else
    unsigned packed;
    asm("cvt.rn.f16x2.f32 %0, %1, %2;" : "=r"(packed) : "f"(high), "f"(low));
    return packed;
#endif
}
