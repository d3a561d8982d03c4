// Finds the kernels of a CUDA source: every `extern "C" __global__ void NAME(` (optionally with
// __launch_bounds__(…) before the name), outside comments and preprocessor lines. Kernels declared inside an
// `extern "C" { … }` block or produced by macros are not found; the emulated NVRTC documents that.
#pragma once
#include <string>
#include <vector>

namespace rasemu
{
std::vector<std::string> find_kernels(const std::string& source);
} // namespace rasemu
