// Contexts, streams, events and graphs. Work submitted to a stream (kernels, copies, memsets, frees, event
// records, the cuBLAS emulators' tasks) is queued and runs, in stream order, when something waits for it:
// cuStreamSynchronize, cuCtxSynchronize, cuEventSynchronize, a copy into pageable host memory or a
// synchronous free. After each task the guard zones are checked, so an overrun names the task that made it.
// A failed task leaves a sticky error on its context: every later call in that context returns it, as on a
// GPU after an illegal address. A capturing stream records its tasks into the graph being built instead.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rasemu
{
struct Context;
struct Graph;

struct Task
{
    explicit Task(std::string task_name, bool writes_device_memory) : name(std::move(task_name)), writes(writes_device_memory) {}
    virtual ~Task() = default;
    // Runs the work; a non-zero CUresult with `failure` explaining it fails the stream.
    virtual int run(std::string& failure) = 0;

    std::string name;    // "kernel silu", "cuMemcpyHtoDAsync", "cublasGemmEx", …
    bool writes;         // check the guard zones afterwards
};

enum class CaptureMode { Global = 0, ThreadLocal = 1, Relaxed = 2 };

struct Stream
{
    Context* context = nullptr;
    unsigned flags = 0;
    bool legacy = false;                         // the context's NULL stream
    std::mutex queue_mutex, run_mutex;
    std::deque<std::shared_ptr<Task>> queue;
    // Capture state (guarded by the global state lock).
    Graph* capture = nullptr;
    CaptureMode capture_mode = CaptureMode::Global;
    std::thread::id capture_thread;
    bool capture_invalidated = false;
};

struct Context
{
    bool primary = false;
    int primary_references = 0;
    std::atomic<int> sticky{0};                  // CUresult of the failure that ended this context's usefulness
    std::string sticky_detail;                   // and its explanation (guarded by the state lock)
    std::shared_ptr<Stream> legacy_stream;
    // Shared: a synchronisation that runs another thread's stream keeps it alive while that thread destroys it.
    std::vector<std::shared_ptr<Stream>> streams;
};

struct Event
{
    Context* context = nullptr;
    Stream* stream = nullptr;                    // of the last record
    bool recorded = false, completed = false;
    std::chrono::steady_clock::time_point time;
};

// Graph allocations (cuMemAllocAsync during capture) live as long as the graph or any of its instances:
// replays reuse the same addresses, as the driver's graph memory nodes do.
struct GraphMemory
{
    GraphMemory() = default;
    GraphMemory(const GraphMemory&) = delete;
    GraphMemory& operator=(const GraphMemory&) = delete;
    ~GraphMemory();
};

struct Graph
{
    Context* context = nullptr;
    std::vector<std::shared_ptr<Task>> nodes;
    std::shared_ptr<GraphMemory> memory;
};

struct GraphExec
{
    Context* context = nullptr;
    std::vector<std::shared_ptr<Task>> nodes;
    std::shared_ptr<GraphMemory> memory;
};

// The global lock for the handle registries and capture state (never held while tasks run).
std::recursive_mutex& state_lock();

bool is_context(const Context* context);
bool is_stream(const Stream* stream);
bool is_event(const Event* event);
bool is_graph(const Graph* graph);
bool is_graph_exec(const GraphExec* exec);

Context* current_context();
void set_current_context(Context* context);
Context* create_context(bool primary);
void destroy_context(Context* context);

// The stream a call names: `handle` itself, or the current context's legacy stream for NULL. Null (with
// `result` set) when the handle is invalid or there is no current context.
Stream* resolve_stream(void* handle, int* result);
Stream* create_stream(Context* context, unsigned flags);
int destroy_stream(Stream* stream);

// The context's sticky error (0 if none), with its explanation made the calling thread's last detail.
int sticky_result(const Context* context);

// Makes `result` the context's sticky error (the first failure wins) and reports `detail` once.
void fail_context(Context* context, int result, const std::string& detail);

// Queues `task` on `stream`, or records it into the stream's capture. Returns the context's sticky error, if any.
int submit(Stream* stream, std::shared_ptr<Task> task);

// Runs everything queued on `stream` (for the legacy or a blocking stream, first the context's other blocking
// streams' work, as the legacy stream orders with them). Returns the context's sticky error, if any.
int synchronize_stream(Stream* stream);
int synchronize_context(Context* context);

// Fails with CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED (and invalidates the capture) when `call` is not permitted
// now: it would synchronise `stream` while it captures, or it is an unsafe call (allocation, synchronisation)
// while the calling thread captures in global or thread-local mode. `stream` may be null.
int capture_check(const char* call, Stream* stream);
// The graph `stream` is capturing into, or null.
Graph* capturing_graph(Stream* stream);

Event* create_event(Context* context);
void destroy_event(Event* event);   // freed once no queued record refers to it
int record_event(Event* event, Stream* stream);
int synchronize_event(Event* event);

int begin_capture(Stream* stream, CaptureMode mode);
int end_capture(Stream* stream, Graph** graph);
void destroy_graph(Graph* graph);
GraphExec* instantiate(Graph* graph);
void destroy_graph_exec(GraphExec* exec);
int launch_graph(GraphExec* exec, Stream* stream);
} // namespace rasemu
