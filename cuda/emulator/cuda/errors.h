// CUresult values the emulator returns, with the real driver's names and texts (cuGetErrorName/String), and
// the "last error detail": the emulator's own explanation of the calling thread's most recent failure, which
// the C# bindings append to the driver's text (every failure is also printed once to stderr).
#pragma once
#include <string>

namespace rasemu
{
enum Result : int
{
    Success = 0,
    InvalidValue = 1,
    OutOfMemory = 2,
    NotInitialized = 3,
    NoDevice = 100,
    InvalidDevice = 101,
    InvalidImage = 200,
    InvalidContext = 201,
    InvalidHandle = 400,
    IllegalState = 401,
    NotFound = 500,
    NotReady = 600,
    IllegalAddress = 700,
    LaunchOutOfResources = 701,
    LaunchFailed = 719,
    NotSupported = 801,
    StreamCaptureUnsupported = 900,
    StreamCaptureInvalidated = 901,
    StreamCaptureWrongThread = 908,
};

const char* error_name(int result);     // nullptr for an unknown value
const char* error_string(int result);

// Records `detail` as the last error's explanation, prints it to stderr and returns `result`.
int report(int result, const std::string& detail);
// The same without printing, for failures callers expect (a name lookup that may miss).
int note(int result, const std::string& detail);
std::string last_detail();
} // namespace rasemu
