using System.Runtime.CompilerServices;

// The kernel tests force each SimdKind (the Vector512 path runs emulated on AVX2 machines), which needs the
// internal width-selecting overloads.
[assembly: InternalsVisibleTo("RasNative.Runtime.Tests")]
