using System.CommandLine;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu;

namespace RasNative.Cli.Infrastructure;

/// <summary>--backend cpu|cuda and --dtype fp32|bf16|fp16 (the CPU backend computes in fp32 only).</summary>
public sealed class BackendOptions
{
    public Option<string> Backend { get; } = WithDefault(CliOptions.Choice<string>("--backend", "cpu = float32 reference; cuda", "cpu", "cuda"), "cpu");

    public Option<string?> DType { get; } = CliOptions.Choice<string?>("--dtype", "compute dtype (default: fp32 on cpu, bf16 on cuda)", "fp32", "bf16", "fp16");

    /// <summary>The dtype the run computes in, as it will be recorded.</summary>
    public string DTypeName(ParseResult parsed) => parsed.GetValue(DType) ?? (parsed.GetValue(Backend) == "cpu" ? "fp32" : "bf16");

    static Option<string> WithDefault(Option<string> option, string value)
    {
        option.DefaultValueFactory = _ => value;
        return option;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Backend);
        command.Options.Add(DType);
    }

    /// <summary>Bytes per activation value in the run's compute dtype (float32 on the CPU).</summary>
    public int ComputeBytes(ParseResult parsed) => DTypeName(parsed) == "fp32" ? 4 : 2;

    /// <summary>The memory the run's weights and activations live in: host memory for cpu, the GPU's free memory for cuda.</summary>
    public (long Bytes, string Where) Available(ParseResult parsed) => parsed.GetValue(Backend) == "cpu"
        ? (MemoryBudget.AvailableHostBytes(), "host memory")
        : (CudaBackendFactory.FreeDeviceBytes(), "free GPU memory");

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
