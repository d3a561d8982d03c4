using System.CommandLine;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu;

namespace RasNative.Cli.Infrastructure;

/// <summary>--backend cpu|cuda and --dtype fp32|bf16|fp16 (the CPU backend computes in fp32 only).</summary>
public sealed class BackendOptions
{
    public Option<string> Backend { get; } = new("--backend")
    {
        Description = "cpu (float32 reference) or cuda",
        DefaultValueFactory = _ => "cpu",
    };

    public Option<string?> DType { get; } = new("--dtype")
    {
        Description = "compute dtype: fp32 | bf16 | fp16 (default: fp32 on cpu, bf16 on cuda)",
    };

    public void AddTo(Command command)
    {
        Backend.AcceptOnlyFromAmong("cpu", "cuda");
        DType.AcceptOnlyFromAmong("fp32", "bf16", "fp16");
        command.Options.Add(Backend);
        command.Options.Add(DType);
    }

    public IBackend Create(ParseResult parsed)
    {
        string backend = parsed.GetValue(Backend)!;
        string? dtype = parsed.GetValue(DType);
        if (backend == "cpu")
        {
            if (dtype is not null and not "fp32")
                throw new UsageException($"--dtype {dtype}: the cpu backend computes in fp32 only");
            return new CpuBackend();
        }
        return CudaBackendFactory.Create(dtype ?? "bf16");
    }
}
