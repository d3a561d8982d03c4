using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>
/// What only the emulator does: an operand that reaches past its allocation (through a leading dimension, a batch
/// stride or a short bias) is not detected by NVIDIA's library at the call, and on a GPU it may read garbage or
/// fault later; the emulator returns success at the call like the real library, then fails the work with
/// CUDA_ERROR_ILLEGAL_ADDRESS at the next synchronisation, naming the call and the operand.
/// </summary>
[Collection(nameof(BlasCollection))]
public sealed unsafe class BlasFaultTests : BlasTestBase
{
    const int IllegalAddress = 700;

    [Fact]
    public void MatrixPastItsAllocationFailsTheNextSynchronisation() => Faulting("cublasGemmEx", "matrix B", () =>
    {
        var a = Matrix(DataType.R32F, 8, 8);
        var b = Matrix(DataType.R32F, 8, 8);
        var c = Matrix(DataType.R32F, 8, 8);
        var blas = Host.CreateBlas();
        float alpha = 1, beta = 0;
        // ldb 16 makes B span (8 − 1)·16 + 8 = 120 floats of a 64-float allocation.
        int status = Cublas.cublasGemmEx(blas, Cublas.OpN, Cublas.OpN, 8, 8, 8, &alpha, a.Address, 0, 8, b.Address, 0, 16,
            &beta, c.Address, 0, 8, Cublas.Compute32F, Cublas.GemmDefault);
        return (status, () => Cublas.cublasDestroy(blas));
    });

    [Fact]
    public void StridedBatchPastItsAllocationFails() => Faulting("cublasGemmStridedBatchedEx", "matrix C", () =>
    {
        var a = Matrix(DataType.R16BF, 4, 4);
        var c = Matrix(DataType.R16BF, 4, 4, batch: 2);
        var blas = Host.CreateBlas();
        float alpha = 1, beta = 1;
        // Two batches of C 32 elements apart: the second lies past the end.
        int status = Cublas.cublasGemmStridedBatchedEx(blas, Cublas.OpN, Cublas.OpN, 4, 4, 4, &alpha, a.Address, 14, 4, 0,
            a.Address, 14, 4, 0, &beta, c.Address, 14, 4, 32, 2, Cublas.Compute32F, Cublas.GemmDefault);
        return (status, () => Cublas.cublasDestroy(blas));
    });

    [Fact]
    public void ShortBiasFailsTheNextSynchronisation() => Faulting("cublasLtMatmul", "bias", () =>
    {
        var a = Matrix(DataType.R16BF, 16, 16);
        var d = Matrix(DataType.R16BF, 16, 16);
        var bias = Vector(DataType.R16BF, 1, 2, 3, 4); // D has 16 rows
        var lt = Host.CreateLt();
        var op = new LtMatmul(Cublas.Compute32F, DataType.R32F);
        CublasLt.Check(op.Set(CublasLt.DescEpilogue, CublasLt.EpilogueBias));
        CublasLt.Check(op.SetPointer(CublasLt.DescBiasPointer, bias.Address));
        int status = op.Run(lt, a, a, d, d, 1, 0);
        return (status, () =>
        {
            op.Dispose();
            CublasLt.cublasLtDestroy(lt);
        });
    });

    /// <summary>Runs <paramref name="call"/> in a context of its own: it must return success, and the next
    /// synchronisation CUDA_ERROR_ILLEGAL_ADDRESS with a message naming the call and the operand.</summary>
    void Faulting(string call, string operand, Func<(int Status, Action Release)> enqueue)
    {
        if (!Host.IsEmulator) Assert.Skip("NVIDIA's cuBLAS does not check operand ranges: " + Host.Description);
        Host.Isolated(() =>
        {
            var (status, release) = enqueue();
            Assert.Equal(Cublas.StatusSuccess, status);
            Assert.Equal(IllegalAddress, Host.Synchronize());
            if (Host.LastErrorMessage is { } message)
            {
                Assert.Contains(call + ": " + operand, message);
                Assert.Contains("no single device allocation holds", message);
            }
            release();
            ForgetBuffers();
        });
    }

    protected override void ReleaseHandles()
    {
    }
}
