// SHA-256 (FIPS 180-4) for the emulated NVRTC's cache keys and the emulator's identity.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace rasemu
{
class Sha256
{
public:
    Sha256();
    void add(const void* data, size_t bytes);
    // Length-prefixed, so that adding ("ab", "c") and ("a", "bc") differ.
    void add_part(const std::string& part);
    std::string hex();   // finishes the hash

private:
    void block(const uint8_t* data);
    uint32_t state_[8];
    uint8_t buffer_[64];
    size_t buffered_ = 0;
    uint64_t total_ = 0;
};
} // namespace rasemu
