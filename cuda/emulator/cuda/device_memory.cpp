#include "device_memory.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include "errors.h"
#include "settings.h"

namespace rasemu
{
namespace
{
constexpr size_t GuardBytes = 256;
constexpr size_t Alignment = 256;

struct Allocation
{
    size_t bytes;        // requested
    size_t tail;         // guard bytes after the requested end (GuardBytes + rounding to the alignment)
    uint8_t* base;       // start of the front guard
    AllocationKind kind;
    const void* owner;
    const void* context;
};

struct PinnedBlock
{
    size_t bytes;
};

std::mutex mutex;
std::map<uint64_t, Allocation> allocations;   // by device address (= the first requested byte)
std::map<uintptr_t, PinnedBlock> pinned;
uint64_t used = 0;

uint8_t guard_byte(size_t offset) { return static_cast<uint8_t>(0xa5u ^ (offset * 31u)); }

std::string hex(uint64_t value)
{
    char text[32];
    snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
    return text;
}

std::string describe(uint64_t address, const Allocation& a)
{
    return "allocation " + hex(address) + " (" + std::to_string(a.bytes) + " bytes)";
}

// "" if intact, else "<writer> wrote past/before allocation …".
std::string check(uint64_t address, const Allocation& a, const std::string& writer)
{
    for (size_t i = 0; i < GuardBytes; i++)
        if (a.base[i] != guard_byte(i))
            return writer + " wrote before " + describe(address, a) + ": byte " + std::to_string(GuardBytes - i) + " before its start was overwritten";
    const uint8_t* tail = a.base + GuardBytes + a.bytes;
    for (size_t i = 0; i < a.tail; i++)
        if (tail[i] != guard_byte(i))
            return writer + " wrote past " + describe(address, a) + ": byte " + std::to_string(i) + " after its end was overwritten";
    return "";
}

std::map<uint64_t, Allocation>::iterator owning(uint64_t address)
{
    auto it = allocations.upper_bound(address);
    if (it == allocations.begin()) return allocations.end();
    --it;
    return address <= it->first + it->second.bytes ? it : allocations.end();
}
} // namespace

int device_allocate(size_t bytes, AllocationKind kind, const void* owner, const void* context, uint64_t* address)
{
    size_t rounded = (bytes + Alignment - 1) / Alignment * Alignment;
    size_t tail = rounded - bytes + GuardBytes;
    {
        std::lock_guard lock(mutex);
        if (bytes > device_limit() - used)
            return report(OutOfMemory, "out of emulated device memory: " + std::to_string(bytes) + " bytes requested, " +
                std::to_string(device_limit() - used) + " of " + std::to_string(device_limit()) + " free (RASNATIVE_CUDA_EMULATOR_MEMORY)");
        used += bytes;
    }
    auto* base = static_cast<uint8_t*>(aligned_alloc(Alignment, GuardBytes + rounded + GuardBytes));
    if (base == nullptr)
    {
        std::lock_guard lock(mutex);
        used -= bytes;
        return report(OutOfMemory, "the host could not provide " + std::to_string(bytes) + " bytes of emulated device memory");
    }
    for (size_t i = 0; i < GuardBytes; i++) base[i] = guard_byte(i);
    memset(base + GuardBytes, 0xff, bytes);
    for (size_t i = 0; i < tail; i++) base[GuardBytes + bytes + i] = guard_byte(i);
    *address = reinterpret_cast<uint64_t>(base + GuardBytes);
    std::lock_guard lock(mutex);
    allocations[*address] = Allocation{bytes, tail, base, kind, owner, context};
    return Success;
}

int device_free(uint64_t address, const char* call)
{
    Allocation a;
    {
        std::lock_guard lock(mutex);
        auto it = allocations.find(address);
        if (it == allocations.end())
            return report(InvalidValue, std::string(call) + ": " + hex(address) + " is not the start of a live device allocation");
        a = it->second;
        allocations.erase(it);
        used -= a.bytes;
    }
    std::string damage = check(address, a, "a kernel, copy or the host");
    free(a.base);
    if (!damage.empty()) return report(IllegalAddress, std::string(call) + ": " + damage + " (detected when it was freed)");
    return Success;
}

void device_free_owned(const void* owner)
{
    std::lock_guard lock(mutex);
    for (auto it = allocations.begin(); it != allocations.end();)
    {
        if (it->second.owner != owner)
        {
            ++it;
            continue;
        }
        used -= it->second.bytes;
        free(it->second.base);
        it = allocations.erase(it);
    }
}

bool device_range(uint64_t address, uint64_t bytes, std::string* why)
{
    std::lock_guard lock(mutex);
    auto it = owning(address);
    if (it == allocations.end())
    {
        if (why) *why = hex(address) + " is not inside any live device allocation";
        return false;
    }
    uint64_t end = it->first + it->second.bytes;
    if (bytes > end - address)
    {
        if (why) *why = "[" + hex(address) + ", +" + std::to_string(bytes) + ") runs " + std::to_string(bytes - (end - address)) +
            " bytes past the end of " + describe(it->first, it->second);
        return false;
    }
    return true;
}

std::string damaged_guards(const std::string& writer, const void* context)
{
    std::lock_guard lock(mutex);
    for (const auto& [address, a] : allocations)
    {
        if (a.context != context) continue;
        std::string damage = check(address, a, writer);
        if (!damage.empty()) return damage;
    }
    return "";
}

const void* device_owner(uint64_t address)
{
    std::lock_guard lock(mutex);
    auto it = allocations.find(address);
    return it == allocations.end() ? nullptr : it->second.owner;
}

uint64_t device_used()
{
    std::lock_guard lock(mutex);
    return used;
}

uint64_t device_limit() { return settings().memory_limit; }

int host_allocate_pinned(size_t bytes, void** pointer)
{
    void* p = aligned_alloc(4096, (bytes + 4095) / 4096 * 4096 + (bytes == 0 ? 4096 : 0));
    if (p == nullptr) return report(OutOfMemory, "the host could not provide " + std::to_string(bytes) + " bytes of pinned memory");
    std::lock_guard lock(mutex);
    pinned[reinterpret_cast<uintptr_t>(p)] = PinnedBlock{bytes};
    *pointer = p;
    return Success;
}

int host_free_pinned(void* pointer)
{
    {
        std::lock_guard lock(mutex);
        auto it = pinned.find(reinterpret_cast<uintptr_t>(pointer));
        if (it == pinned.end()) return report(InvalidValue, "cuMemFreeHost: " + hex(reinterpret_cast<uintptr_t>(pointer)) + " was not allocated by cuMemAllocHost");
        pinned.erase(it);
    }
    free(pointer);
    return Success;
}

bool host_is_pinned(const void* pointer, size_t bytes)
{
    std::lock_guard lock(mutex);
    auto address = reinterpret_cast<uintptr_t>(pointer);
    auto it = pinned.upper_bound(address);
    if (it == pinned.begin()) return false;
    --it;
    return address >= it->first && bytes <= it->second.bytes && address - it->first <= it->second.bytes - bytes;
}
} // namespace rasemu
