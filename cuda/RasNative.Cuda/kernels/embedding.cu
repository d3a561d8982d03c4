#include "ras.cuh"

// y [B, dim] = [cos(t·f) | sin(t·f)], f_k = exp(−ln(10000)·k/(dim/2)), every step in float32 like the CPU
// (diffusers' Timesteps). The exponential is evaluated in double and rounded once: that is the correctly
// rounded float32 exp the CPU's MathF.Exp returns, where expf may be 1 ulp off, and t up to 1000 would
// amplify that ulp in the sin/cos arguments. An odd dim's last column is 0 (as diffusers pads).
extern "C" __global__ void timestep_embedding(const float* timesteps, T* y, int batch, int dim)
{
    const int half = dim / 2;
    GRID_STRIDE(i, (long long)batch * dim)
    {
        const int b = (int)(i / dim), j = (int)(i % dim);
        float v = 0.0f;
        if (j < 2 * half)
        {
            const int k = j < half ? j : j - half;
            const float exponent = (-9.210340371976184f * (float)k) / (float)half;
            const float arg = timesteps[b] * (float)exp((double)exponent);
            v = j < half ? cosf(arg) : sinf(arg);
        }
        store(y, i, v);
    }
}

// latent [B, C, H, W] → y [B, n, C·p·p] in (c, py, px) order; token i is patch patches[i] (or i when
// patches is null), patch ids row-major over the (H/p) × (W/p) grid.
extern "C" __global__ void patchify(const T* latent, T* y, const int* patches, int batch, int channels, int height, int width, int p, int n)
{
    const int width_out = channels * p * p, grid_w = width / p;
    GRID_STRIDE(i, (long long)batch * n * width_out)
    {
        const int col = (int)(i % width_out);
        const long long r = i / width_out;
        const int token = (int)(r % n), b = (int)(r / n);
        const int c = col / (p * p), py = (col / p) % p, px = col % p;
        const int patch = patches ? patches[token] : token;
        const int yy = (patch / grid_w) * p + py, xx = (patch % grid_w) * p + px;
        y[i] = latent[(((long long)b * channels + c) * height + yy) * width + xx];
    }
}

// tokens [B, n, p·p·C] in (py, px, c) order → their patches of y [B, C, H, W]; unlisted patches untouched.
extern "C" __global__ void unpatchify(const T* tokens, T* y, const int* patches, int batch, int channels, int height, int width, int p, int n)
{
    const int width_in = channels * p * p, grid_w = width / p;
    GRID_STRIDE(i, (long long)batch * n * width_in)
    {
        const int col = (int)(i % width_in);
        const long long r = i / width_in;
        const int token = (int)(r % n), b = (int)(r / n);
        const int c = col % channels, px = (col / channels) % p, py = col / (channels * p);
        const int patch = patches ? patches[token] : token;
        const int yy = (patch / grid_w) * p + py, xx = (patch % grid_w) * p + px;
        y[(((long long)b * channels + c) * height + yy) * width + xx] = tokens[i];
    }
}

// x [B, n, dim] += table[rows[i], :] for every batch row.
extern "C" __global__ void add_rows(T* x, const T* table, const int* rows, int batch, int n, int dim)
{
    GRID_STRIDE(i, (long long)batch * n * dim)
    {
        const int c = (int)(i % dim), token = (int)((i / dim) % n);
        store(x, i, load(x, i) + load(table, (long long)rows[token] * dim + c));
    }
}

// Rotary embedding in place on x [rows, width] (rows = B·tokens, width = heads·headDim), thread per channel
// pair: (a, b) ← (a·cos − b·sin, a·sin + b·cos) with (cos, sin) = table[row % tokens, k..k+1] for the pair's
// even channel k within its head. Products are rounded before the add/sub (no FMA) to match the CPU.
extern "C" __global__ void apply_rope(T* x, const T* table, long long pairs, int width, int tokens, int headDim)
{
    GRID_STRIDE(i, pairs)
    {
        const long long e = 2 * i;
        const long long row = e / width;
        const int k = (int)(e % width) % headDim;
        const T* rotation = table + (row % tokens) * headDim + k;
        const float a = load(x, e), b = load(x, e + 1), cosine = load(rotation, 0), sine = load(rotation, 1);
        store(x, e, __fsub_rn(__fmul_rn(a, cosine), __fmul_rn(b, sine)));
        store(x, e + 1, __fadd_rn(__fmul_rn(a, sine), __fmul_rn(b, cosine)));
    }
}
