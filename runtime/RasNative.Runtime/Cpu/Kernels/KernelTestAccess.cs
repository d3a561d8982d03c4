using System.Runtime.CompilerServices;

// The kernel tests force each SimdKind (the Vector512 path runs emulated on AVX2 machines), which needs the
// internal width-selecting overloads; bench's FMA-peak probe (the CLI and the BenchmarkDotNet project) runs at
// the kernels' own width through the same SIMD abstraction.
[assembly: InternalsVisibleTo("RasNative.Runtime.Tests")]
[assembly: InternalsVisibleTo("rasnative")]
[assembly: InternalsVisibleTo("RasNative.Benchmarks")]
