using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Backends;

/// <summary>
/// One chunk of an adaptive-norm embedding: <see cref="Embedding"/> is [B, k·D] (e.g. AdaLayerNormZero's
/// six chunks), and this names chunk <see cref="Chunk"/>, the D values per batch row starting at Chunk·D.
/// </summary>
public readonly record struct Modulation(Tensor Embedding, int Chunk);
