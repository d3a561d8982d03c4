// Emulated device memory: host memory handed out as device addresses, each allocation between two guard
// zones of a known byte pattern (checked at free, at every synchronisation and after every kernel), with a
// registry that answers "which allocation owns this range" and a limit that cuMemGetInfo reports and
// cuMemAlloc enforces. New allocations are filled with 0xff bytes (NaN in every float format), so a kernel
// that reads memory nobody wrote produces NaN instead of plausible zeros. Pinned host memory
// (cuMemAllocHost) has its own registry: copies involving it are asynchronous.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rasemu
{
enum class AllocationKind { Device, Async, Graph };

// 256-byte aligned like cuMemAlloc; `owner` is the context (or graph memory) whose destruction frees it,
// `context` the context whose synchronisations check its guards.
int device_allocate(size_t bytes, AllocationKind kind, const void* owner, const void* context, uint64_t* address);
// Frees an allocation by its start address; a damaged guard fails with CUDA_ERROR_ILLEGAL_ADDRESS.
int device_free(uint64_t address, const char* call);
// Frees everything `owner` still holds (context or graph destruction).
void device_free_owned(const void* owner);

// True when [address, address + bytes) lies inside one live allocation; otherwise `why` names the problem.
bool device_range(uint64_t address, uint64_t bytes, std::string* why);

// "" when every guard zone is intact, else "<writer> wrote past allocation 0x… (N bytes): byte +K after its
// end was overwritten" (or "before allocation …") for the first damaged allocation of `context`.
std::string damaged_guards(const std::string& writer, const void* context);

// The owner of the allocation starting at `address`, or null.
const void* device_owner(uint64_t address);

uint64_t device_used();
uint64_t device_limit();

int host_allocate_pinned(size_t bytes, void** pointer);
int host_free_pinned(void* pointer);
bool host_is_pinned(const void* pointer, size_t bytes);
} // namespace rasemu
