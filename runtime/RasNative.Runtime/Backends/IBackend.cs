using RasNative.Loaders;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Backends;

/// <summary>
/// The op set every model is written against. Ops are ordered, not immediate: a backend may queue them
/// (CUDA streams) and the host only waits in <see cref="Download"/> / <see cref="Synchronize"/>.
/// Shapes follow PyTorch: latents [B, C, H, W], token sequences [B, T, D]; "rows" means all dims but the last.
/// Each op is one CPU function and one CUDA kernel or cuBLAS call, tested against each other.
/// </summary>
public interface IBackend : ITensorAllocator, IDisposable
{
    string Name { get; }

    // ---- memory (Allocate: see ITensorAllocator) -------------------------------------------------------
    Tensor Upload(ReadOnlySpan<float> data, params int[] shape);

    void Download(Tensor source, Span<float> destination);

    /// <summary>Overwrites an existing tensor with host values (per-step latents into the planned input buffer).</summary>
    void Write(ReadOnlySpan<float> source, Tensor destination);

    IndexList UploadIndices(ReadOnlySpan<int> indices);

    /// <summary>An index buffer for up to <paramref name="capacity"/> ids, planned once and refilled by <see cref="WriteIndices"/>.</summary>
    IndexList AllocateIndices(int capacity);

    /// <summary>Copies <paramref name="indices"/> into <paramref name="buffer"/>; returns the list of those ids over the same storage.</summary>
    IndexList WriteIndices(ReadOnlySpan<int> indices, IndexList buffer);

    /// <summary>
    /// An nn.Linear: <paramref name="weight"/> is [outFeatures, inFeatures] row-major (any shape of that many elements)
    /// as stored: F32, F16, BF16, F8_E4M3 or F8_E5M2 (with its per-tensor scale). The backend keeps the stored width
    /// wherever it is narrower than its compute dtype and widens exactly inside <see cref="Linear"/>, so results equal
    /// those of the same weights widened to float32 on the host. bias is [outFeatures] float32, or empty.
    /// </summary>
    LinearWeight UploadLinear(StoredTensor weight, ReadOnlySpan<float> bias, int outFeatures, int inFeatures);

    /// <summary>The <see cref="LinearWeight.Bytes"/> <see cref="UploadLinear"/> would hold for such a weight (memory estimates before loading).</summary>
    long LinearWeightBytes(DType storage, int outFeatures, int inFeatures, bool hasBias);

    /// <summary>
    /// An nn.Embedding table [rows, width] as stored (F32, F16, BF16, F8_E4M3 or F8_E5M2 with its scale), kept in the
    /// stored width wherever that is narrower than the compute dtype (see <see cref="EmbeddingTable"/>).
    /// </summary>
    EmbeddingTable UploadEmbedding(StoredTensor table, int rows, int width);

    /// <summary>The <see cref="EmbeddingTable.Bytes"/> <see cref="UploadEmbedding"/> would hold for such a table.</summary>
    long EmbeddingBytes(DType storage, int rows, int width);

    void Synchronize();

    /// <summary>Opens a named profiler range (NVTX on CUDA), closed by disposing the result; the CPU backend ignores it.</summary>
    IDisposable Range(string name);

    // ---- dense math ---------------------------------------------------------------------------------
    /// <summary>y[r, :] = act(x[r, :]·Wᵀ + b) for every row r of x [.., in] into y [.., out].</summary>
    void Linear(Tensor x, LinearWeight weight, Tensor y, Activation activation = Activation.None);

    /// <summary>Attention of a query set against a key/value set (see <see cref="AttentionArgs"/>).</summary>
    void Attention(AttentionArgs args);

    // ---- elementwise and normalisation --------------------------------------------------------------
    void Silu(Tensor x, Tensor y);

    void Add(Tensor a, Tensor b, Tensor y);

    void Copy(Tensor source, Tensor destination);

    void Fill(Tensor tensor, float value);

    /// <summary>
    /// y = LN(x)·(1 + scale) + shift over the last dim (no affine, biased variance); modulation rows are
    /// per batch: x is [B, T, D] and each chunk holds D values per batch row. <paramref name="shift"/> may be null.
    /// </summary>
    void LayerNormModulate(Tensor x, Modulation scale, Modulation? shift, Tensor y, float eps);

    /// <summary>x += gate ⊙ y, gate one chunk per batch row broadcast over tokens (x, y [B, T, D]).</summary>
    void GatedResidual(Tensor x, Tensor y, Modulation gate);

    /// <summary>In place, per head of <paramref name="headDim"/> channels: x / √(mean(x²) + eps) · weight[headDim].</summary>
    void RmsNormHeads(Tensor x, Tensor weight, int headDim, float eps);

    // ---- embeddings ---------------------------------------------------------------------------------
    /// <summary>Sinusoidal timestep features [B, dim] = [cos(t·f) | sin(t·f)], f_k = exp(−ln(10000)·k/(dim/2)), in float32.</summary>
    void TimestepEmbedding(ReadOnlySpan<float> timesteps, Tensor y);

    /// <summary>
    /// Patchify latent [B, C, H, W] into rows [B, n, C·p·p] in (c, py, px) order. With
    /// <paramref name="patches"/> only those patch ids (row-major over the H/p × W/p grid) in list order.
    /// </summary>
    void Patchify(Tensor latent, int patchSize, IndexList? patches, Tensor y);

    /// <summary>x[b, i, :] += table[rows[i], :] (positional rows for the tokens present).</summary>
    void AddRows(Tensor x, Tensor table, IndexList rows);

    /// <summary>
    /// Inverse of <see cref="Patchify"/> for the output head: tokens [B, n, p·p·C] in (py, px, c) order
    /// written to their patches of y [B, C, H, W] (token i → patch patches[i], or i when null).
    /// Patches not listed are left untouched.
    /// </summary>
    void Unpatchify(Tensor tokens, int patchSize, IndexList? patches, Tensor y);

    // ---- token rows ---------------------------------------------------------------------------------
    /// <summary>dst[b, i, :] = src[b, idx[i], :] for src [B, P, D], dst [B, n, D].</summary>
    void GatherRows(Tensor source, IndexList indices, Tensor destination);

    /// <summary>dst[b, idx[i], :] = src[b, i, :] for src [B, n, D], dst [B, P, D] (K/V cache row update).</summary>
    void ScatterRows(Tensor source, IndexList indices, Tensor destination);

    // ---- sampler ------------------------------------------------------------------------------------
    /// <summary>Classifier-free guidance: y = uncond + scale·(cond − uncond), evaluated in that order as diffusers does.</summary>
    void Guidance(Tensor uncond, Tensor cond, float scale, Tensor y);

    // ---- images (the VAE decoder): channels-last [B, H, W, C] ------------------------------------------
    /// <summary>
    /// nn.Conv2d with stride 1 and padding kernelSize / 2 on channels-last images, x [B, H, W, Cin] → y [B, H', W', Cout]
    /// (see <see cref="Conv2dGeometry"/>); with <paramref name="upsample"/> x is first enlarged by nearest ×2
    /// (diffusers' Upsample2D: H' = 2H, W' = 2W), never materialised. <paramref name="weight"/> is a Linear
    /// [Cout, kernelSize²·Cin] holding PyTorch's [out, in, kh, kw] weight permuted to [out, kh, kw, in]
    /// (<see cref="Models.WeightBinder.Conv2d"/>), kept in its stored width like every Linear, with the bias.
    /// y must not overlap x.
    /// </summary>
    void Conv2d(Tensor x, LinearWeight weight, int kernelSize, bool upsample, Tensor y);

    /// <summary>
    /// nn.GroupNorm on channels-last x [B, …, C]: per batch row and group of C / groups consecutive channels, mean
    /// and biased variance over every position and channel of the group (accumulated beyond float32: a group can
    /// hold millions of values), then y = ((x − mean)·(1/√(var + eps)))·weight[c] + bias[c], then SiLU when
    /// <paramref name="silu"/>. y may be x.
    /// </summary>
    void GroupNorm(Tensor x, Tensor weight, Tensor bias, int groups, float eps, bool silu, Tensor y);

    // ---- text encoders ------------------------------------------------------------------------------
    /// <summary>
    /// Token embedding lookup: row r of y [.., width] (as many rows as ids) = table[ids[r], :], widened exactly from
    /// the table's storage. Ids must lie in [0, table.Rows): the models check them on the host before uploading;
    /// the CPU backend throws on one outside, the CUDA kernel writes NaN rows for it.
    /// </summary>
    void Embedding(EmbeddingTable table, IndexList ids, Tensor y);

    // ---- Lumina-Next --------------------------------------------------------------------------------
    /// <summary>
    /// y = x / √(mean(x²) + eps) · weight · (1 + scale) over the last dim (diffusers RMSNorm, mean in float32,
    /// evaluated in that order), x and y [.., D], weight [D]. <paramref name="scale"/> is one chunk per batch
    /// row (as in <see cref="LayerNormModulate"/>, x [B, T, D]); null means no modulation. y may be x.
    /// </summary>
    void RmsNormModulate(Tensor x, Tensor weight, Modulation? scale, Tensor y, float eps);

    /// <summary>
    /// nn.LayerNorm with affine parameters over the last dim: y = (x − mean) / √(var + eps) · weight + bias
    /// (biased variance), x and y [.., D], weight and bias [D]. y may be x.
    /// </summary>
    void LayerNorm(Tensor x, Tensor weight, Tensor bias, Tensor y, float eps);

    /// <summary>
    /// Rotary embedding in place on x [B, T, heads·headDim] (any number of heads): each adjacent channel pair
    /// (2k, 2k+1) of a head is the complex number a + i·b and is multiplied by table[t, k] = cos + i·sin, i.e.
    /// (a, b) ← (a·cos − b·sin, a·sin + b·cos) in float32. table is [T, headDim] holding headDim/2 (cos, sin)
    /// pairs per token, the same for every batch row and head (gather rows first for a token subset).
    /// </summary>
    void ApplyRope(Tensor x, Tensor table, int headDim);

    /// <summary>y = a ⊙ b elementwise (SwiGLU's silu(linear_1)·linear_3 with the SiLU in the GEMM epilogue).</summary>
    void Multiply(Tensor a, Tensor b, Tensor y);

    /// <summary>y = tanh(x) elementwise, float32. y may be x.</summary>
    void Tanh(Tensor x, Tensor y);

    /// <summary>
    /// x += tanh(gate[h]) · y per head: x, y [.., heads·headDim], gate [heads]; channel c belongs to head
    /// c / headDim. Evaluated as x + (y·tanh(gate)), unfused, as diffusers does.
    /// </summary>
    void AddTanhGatedHeads(Tensor x, Tensor y, Tensor gate, int headDim);

    /// <summary>
    /// Masked mean over tokens: y[b, :] = Σ_l mask[b, l]·x[b, l, :] / Σ_l mask[b, l], summed in token order,
    /// for x [B, L, D], mask [B, L] (1 = token, 0 = padding), y [B, D].
    /// </summary>
    void MaskedMeanRows(Tensor x, Tensor mask, Tensor y);
}
