#include "settings.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace rasemu
{
namespace
{
constexpr uint64_t DefaultMemory = 24ull << 30;

std::string problem;   // the first invalid variable, reported by cuInit

std::optional<uint64_t> invalid(const char* name, const char* value, const char* expected)
{
    if (problem.empty()) problem = std::string(name) + "=" + value + " is not " + expected;
    return std::nullopt;
}

std::optional<uint64_t> parse_unsigned(const char* name, const char* expected, bool suffixes)
{
    const char* text = getenv(name);
    if (text == nullptr || *text == '\0') return std::nullopt;
    errno = 0;
    char* end = nullptr;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || end == text || text[0] == '-') return invalid(name, text, expected);
    if (suffixes && *end != '\0')
    {
        int shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20 : *end == 'G' || *end == 'g' ? 30 : -1;
        if (shift < 0 || end[1] != '\0' || value > (~0ull >> shift)) return invalid(name, text, expected);
        value <<= shift;
        end++;
    }
    if (*end != '\0') return invalid(name, text, expected);
    return value;
}

Settings read()
{
    Settings s{};
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    auto workers = parse_unsigned("RASNATIVE_CUDA_EMULATOR_WORKERS", "a worker count from 1 to 1024", false);
    if (workers && (*workers < 1 || *workers > 1024))
        workers = invalid("RASNATIVE_CUDA_EMULATOR_WORKERS", getenv("RASNATIVE_CUDA_EMULATOR_WORKERS"), "a worker count from 1 to 1024");
    s.workers = workers ? static_cast<int>(*workers) : static_cast<int>(cores > 0 ? cores : 1);
    // Never promise more than the host can hold: 24 GiB, or 3/4 of physical memory if that is less.
    uint64_t physical = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    uint64_t fallback = physical > 0 && physical / 4 * 3 < DefaultMemory ? physical / 4 * 3 : DefaultMemory;
    auto memory = parse_unsigned("RASNATIVE_CUDA_EMULATOR_MEMORY", "a byte count (suffix K, M or G allowed)", true);
    if (memory && *memory == 0) memory = invalid("RASNATIVE_CUDA_EMULATOR_MEMORY", getenv("RASNATIVE_CUDA_EMULATOR_MEMORY"), "a positive byte count");
    s.memory_limit = memory ? *memory : fallback;
    s.seed = parse_unsigned("RASNATIVE_CUDA_EMULATOR_SEED", "an unsigned integer", false);
    s.problem = problem;
    return s;
}

std::mutex seed_mutex;
bool seed_overridden = false;
std::optional<uint64_t> seed_override;
} // namespace

const Settings& settings()
{
    static const Settings value = read();
    return value;
}

std::optional<uint64_t> schedule_seed()
{
    std::lock_guard lock(seed_mutex);
    return seed_overridden ? seed_override : settings().seed;
}

void set_schedule_seed(std::optional<uint64_t> seed)
{
    std::lock_guard lock(seed_mutex);
    seed_overridden = true;
    seed_override = seed;
}
} // namespace rasemu
