// Test-only kernels (tests/RasNative.Cuda.Tests/Emulator): compiled through the same NVRTC and driver path as
// the backend's kernels, to observe what the device (or the CUDA emulator) does.
#include "ras.cuh"
#include "ras_tensor_core.cuh"

// y[i] = value for i < n + overrun: an overrun > 0 writes past the end of y.
extern "C" __global__ void store_past_end(float* y, float value, int n, int overrun)
{
    GRID_STRIDE(i, n + overrun) y[i] = value;
}

// Every thread's (x, y, z, linear block) in launch order, one int4 per thread.
extern "C" __global__ void coordinates(int4* out)
{
    const unsigned block = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
    const unsigned thread = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
    out[block * blockDim.x * blockDim.y * blockDim.z + thread] = make_int4((int)threadIdx.x, (int)threadIdx.y, (int)threadIdx.z, (int)block);
}

// The order in which a block's threads ran, before and after a barrier: each takes a ticket from its block's
// counters (zeroed by the caller).
extern "C" __global__ void run_order(int* counters, int* before, int* after)
{
    const int t = blockIdx.x * blockDim.x + threadIdx.x;
    before[t] = atomicAdd(&counters[2 * blockIdx.x], 1);
    __syncthreads();
    after[t] = atomicAdd(&counters[2 * blockIdx.x + 1], 1);
}

// Lanes 0-15 shuffle with a full mask while lanes 16-31 wait at the block barrier: nobody can proceed (a GPU hangs).
extern "C" __global__ void divergent_collectives(float* y)
{
    if ((threadIdx.x & 31) < 16)
        y[threadIdx.x] = __shfl_xor_sync(0xffffffffu, 1.0f, 1);
    else
        __syncthreads();
}

__device__ __forceinline__ unsigned pack(unsigned short low, unsigned short high) { return low | ((unsigned)high << 16); }

// One mma.m16n8k16 with A [16][16], B [16][8] (16-bit bits, row-major) and C [16][8]: each lane gathers its
// fragments by the PTX ISA's tables (groupID = lane >> 2, threadID_in_group = lane % 4; element i of a
// fragment is the low or high half of register i / 2) and writes its 4 d elements to d[lane][0..3].
extern "C" __global__ void mma_tables(const unsigned short* a, const unsigned short* b, const float* c, float* d, int bf16)
{
    const int lane = threadIdx.x & 31, group = lane >> 2, tig = lane & 3;
    unsigned fa[4], fb[2];
    float fc[4], fd[4];
    for (int i = 0; i < 8; i += 2) // a_i: row groupID (i in 0,1,4,5) else +8; col tig·2 + (i & 1), +8 for i ≥ 4
    {
        const int row = (i < 2 || (i >= 4 && i < 6)) ? group : group + 8, col = tig * 2 + (i >= 4 ? 8 : 0);
        fa[i / 2] = pack(a[row * 16 + col], a[row * 16 + col + 1]);
    }
    for (int i = 0; i < 4; i += 2) // b_i: row tig·2 + (i & 1), +8 for i ≥ 2; col groupID
    {
        const int row = tig * 2 + (i >= 2 ? 8 : 0);
        fb[i / 2] = pack(b[row * 8 + group], b[(row + 1) * 8 + group]);
    }
    for (int i = 0; i < 4; i++) // c_i: row groupID, +8 for i ≥ 2; col tig·2 + (i & 1)
        fc[i] = c[(group + (i >= 2 ? 8 : 0)) * 8 + tig * 2 + (i & 1)];
    if (bf16)
        ras_mma_m16n8k16_bf16(fd, fa, fb, fc);
    else
        ras_mma_m16n8k16_f16(fd, fa, fb, fc);
    for (int i = 0; i < 4; i++) d[lane * 4 + i] = fd[i];
}

// Four 8×8 b16 matrices in shared memory, element (m, row, col) = 64·m + 8·row + col; lane 8m + r passes the
// address of row r of matrix m. Each lane writes the registers it received to out[lane][0..3].
extern "C" __global__ void ldmatrix_tables(unsigned* out, int count, int transpose)
{
    __shared__ __align__(16) unsigned short tiles[4][8][8];
    const int lane = threadIdx.x & 31;
    for (int e = lane; e < 256; e += 32) tiles[e / 64][(e / 8) % 8][e % 8] = (unsigned short)e;
    __syncwarp();
    const unsigned short* row = &tiles[lane / 8][lane % 8][0];
    unsigned r[4] = {0u, 0u, 0u, 0u};
    if (count == 1) { if (transpose) ras_ldmatrix_x1_trans(r, row); else ras_ldmatrix_x1(r, row); }
    if (count == 2) { if (transpose) ras_ldmatrix_x2_trans(r, row); else ras_ldmatrix_x2(r, row); }
    if (count == 4) { if (transpose) ras_ldmatrix_x4_trans(r, row); else ras_ldmatrix_x4(r, row); }
    for (int m = 0; m < 4; m++) out[lane * 4 + m] = r[m];
}

// 64 threads, each: two cp.async groups of 16 bytes into pre-filled shared slots (group 0: .cg from source[t],
// group 1: .ca from source[64 + t]), its slot 0 read before any wait, both slots after wait_group 1 and after
// wait_group 0; then a .ca of 4 and one of 8 bytes completed by wait_all.
extern "C" __global__ void cp_async_groups(const float4* source, float4* before, float4* between, float4* after, float* after4, float2* after8)
{
    __shared__ __align__(16) float4 slots[2][64];
    __shared__ float small4[64];
    __shared__ __align__(8) float2 small8[64];
    const int t = threadIdx.x;
    slots[0][t] = make_float4(-1.0f, -1.0f, -1.0f, -1.0f);
    slots[1][t] = make_float4(-2.0f, -2.0f, -2.0f, -2.0f);
    ras_cp_async_cg16(&slots[0][t], &source[t]);
    ras_cp_async_commit();
    ras_cp_async_ca<16>(&slots[1][t], &source[64 + t]);
    ras_cp_async_commit();
    before[t] = slots[0][t];
    ras_cp_async_wait<1>();
    between[2 * t] = slots[0][t];
    between[2 * t + 1] = slots[1][t];
    ras_cp_async_wait<0>();
    after[2 * t] = slots[0][t];
    after[2 * t + 1] = slots[1][t];
    ras_cp_async_ca<4>(&small4[t], (const float*)source + t);
    ras_cp_async_ca<8>(&small8[t], (const float2*)source + t);
    ras_cp_async_wait_all();
    after4[t] = small4[t];
    after8[t] = small8[t];
}

// Every binary16 bit pattern through to_float, and floats through from_float to binary16 and bfloat16.
extern "C" __global__ void conversions(float* from_half, const float* floats, unsigned short* to_half, unsigned short* to_bf16, int n)
{
    GRID_STRIDE(i, 65536)
    {
        __half h;
        h.x = (unsigned short)i;
        from_half[i] = to_float(h);
    }
    GRID_STRIDE(i, n)
    {
        to_half[i] = from_float<__half>(floats[i]).x;
        to_bf16[i] = from_float<__nv_bfloat16>(floats[i]).x;
    }
}

// Float pairs (floats[2i], floats[2i + 1]) packed into one mma operand register each by ras_pack_{bf16,f16}x2.
extern "C" __global__ void pack_pairs(const float* floats, unsigned* bf16, unsigned* f16, int pairs)
{
    GRID_STRIDE(i, pairs)
    {
        bf16[i] = ras_pack_bf16x2(floats[2 * i], floats[2 * i + 1]);
        f16[i] = ras_pack_f16x2(floats[2 * i], floats[2 * i + 1]);
    }
}

// a·b + c with the product rounded first (never contracted), and fused.
extern "C" __global__ void rounding(const float* a, const float* b, const float* c, float* twice, float* fused, int n)
{
    GRID_STRIDE(i, n)
    {
        twice[i] = __fadd_rn(__fmul_rn(a[i], b[i]), c[i]);
        fused[i] = fmaf(a[i], b[i], c[i]);
    }
}

// Integer and float atomics from every thread of every block (blocks run concurrently on the workers).
extern "C" __global__ void atomics(int* ints, float* floats)
{
    const int id = blockIdx.x * blockDim.x + threadIdx.x;
    atomicAdd(&ints[0], 1);
    atomicMax(&ints[1], id);
    atomicAdd(&floats[0], 1.0f);
    atomicExch(&floats[1], 2.5f);
    int old;
    do old = ints[2];
    while (atomicCAS(&ints[2], old, old + 1) != old);
}

// Each block reverses its slice of x through dynamic shared memory (the launch's sharedBytes).
extern "C" __global__ void reverse_through_shared(const float* x, float* y)
{
    RAS_DYNAMIC_SHARED(float, buffer);
    const int base = blockIdx.x * blockDim.x;
    buffer[threadIdx.x] = x[base + threadIdx.x];
    __syncthreads();
    y[base + threadIdx.x] = buffer[blockDim.x - 1 - threadIdx.x];
}

// expf, __expf, tanhf, rsqrtf, sqrtf of every x: out[5i + k].
extern "C" __global__ void math_functions(const float* x, float* out, int n)
{
    GRID_STRIDE(i, n)
    {
        const float v = x[i];
        out[5 * i] = expf(v);
        out[5 * i + 1] = __expf(v);
        out[5 * i + 2] = tanhf(v);
        out[5 * i + 3] = rsqrtf(fabsf(v) + 1e-3f);
        out[5 * i + 4] = sqrtf(fabsf(v));
    }
}
