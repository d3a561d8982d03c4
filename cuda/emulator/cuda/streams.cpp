#include "streams.h"

#include <algorithm>
#include <map>
#include <set>

#include "device_memory.h"
#include "errors.h"

namespace rasemu
{
namespace
{
std::set<const void*> contexts, streams, graphs, graph_execs;
std::map<const Event*, std::shared_ptr<Event>> events;
thread_local Context* current = nullptr;

struct EventRecord final : Task
{
    explicit EventRecord(std::shared_ptr<Event> e) : Task("cuEventRecord", false), event(std::move(e)) {}
    int run(std::string&) override
    {
        event->time = std::chrono::steady_clock::now();
        event->completed = true;
        return Success;
    }
    std::shared_ptr<Event> event;
};

void drain(Stream* stream)
{
    std::lock_guard run(stream->run_mutex);
    Context* context = stream->context;
    for (;;)
    {
        std::shared_ptr<Task> task;
        {
            std::lock_guard lock(stream->queue_mutex);
            if (stream->queue.empty()) return;
            task = std::move(stream->queue.front());
            stream->queue.pop_front();
        }
        if (context->sticky != 0) continue;   // a dead context runs nothing more
        std::string failure;
        int result = task->run(failure);
        if (result == Success && task->writes)
        {
            failure = damaged_guards(task->name, context);
            if (!failure.empty()) result = IllegalAddress;
        }
        if (result != Success) fail_context(context, result, failure);
    }
}

bool blocking(const Stream* stream) { return stream->legacy || (stream->flags & 1u) == 0; }
} // namespace

GraphMemory::~GraphMemory() { device_free_owned(this); }

std::recursive_mutex& state_lock()
{
    static std::recursive_mutex mutex;
    return mutex;
}

bool is_context(const Context* context) { return contexts.count(context) != 0; }
bool is_stream(const Stream* stream) { return streams.count(stream) != 0; }
bool is_event(const Event* event) { return events.count(event) != 0; }
bool is_graph(const Graph* graph) { return graphs.count(graph) != 0; }
bool is_graph_exec(const GraphExec* exec) { return graph_execs.count(exec) != 0; }

Context* current_context() { return current; }
void set_current_context(Context* context) { current = context; }

Context* create_context(bool primary)
{
    std::lock_guard lock(state_lock());
    auto* context = new Context();
    context->primary = primary;
    context->legacy_stream = std::make_shared<Stream>();
    context->legacy_stream->context = context;
    context->legacy_stream->legacy = true;
    contexts.insert(context);
    return context;
}

void destroy_context(Context* context)
{
    synchronize_context(context);
    std::lock_guard lock(state_lock());
    for (const auto& stream : context->streams) streams.erase(stream.get());
    context->streams.clear();
    device_free_owned(context);
    contexts.erase(context);
    if (current == context) current = nullptr;
    delete context;
}

Stream* resolve_stream(void* handle, int* result)
{
    std::lock_guard lock(state_lock());
    if (handle == nullptr)
    {
        if (current == nullptr)
        {
            *result = report(InvalidContext, "no current context (cuCtxSetCurrent or cuDevicePrimaryCtxRetain first)");
            return nullptr;
        }
        return current->legacy_stream.get();
    }
    auto* stream = static_cast<Stream*>(handle);
    if (!is_stream(stream))
    {
        *result = report(InvalidHandle, "not a live stream handle");
        return nullptr;
    }
    return stream;
}

Stream* create_stream(Context* context, unsigned flags)
{
    std::lock_guard lock(state_lock());
    auto stream = std::make_shared<Stream>();
    stream->context = context;
    stream->flags = flags;
    context->streams.push_back(stream);
    streams.insert(stream.get());
    return stream.get();
}

int destroy_stream(Stream* stream)
{
    // Work already queued still runs (the driver completes it before releasing the stream).
    drain(stream);
    std::lock_guard lock(state_lock());
    delete stream->capture;
    stream->capture = nullptr;
    streams.erase(stream);
    auto& list = stream->context->streams;
    list.erase(std::remove_if(list.begin(), list.end(), [stream](const auto& s) { return s.get() == stream; }), list.end());
    return Success;
}

int sticky_result(const Context* context)
{
    int sticky = context->sticky;
    if (sticky == 0) return Success;
    std::string detail;
    {
        std::lock_guard lock(state_lock());
        detail = context->sticky_detail;
    }
    return note(sticky, "an earlier failure ended this context: " + detail);
}

void fail_context(Context* context, int result, const std::string& detail)
{
    {
        std::lock_guard lock(state_lock());
        if (context->sticky != 0) return;
        context->sticky_detail = detail;
        context->sticky = result;
    }
    report(result, detail);
}

int submit(Stream* stream, std::shared_ptr<Task> task)
{
    {
        std::lock_guard lock(state_lock());
        if (stream->context->sticky != 0) return sticky_result(stream->context);
        if (stream->capture != nullptr)
        {
            stream->capture->nodes.push_back(std::move(task));
            return Success;
        }
    }
    std::lock_guard lock(stream->queue_mutex);
    stream->queue.push_back(std::move(task));
    return Success;
}

int synchronize_stream(Stream* stream)
{
    Context* context = stream->context;
    std::vector<std::shared_ptr<Stream>> order;
    {
        std::lock_guard lock(state_lock());
        if (blocking(stream))
        {
            // The legacy stream waits for the blocking streams and they wait for it: run them all.
            order.push_back(context->legacy_stream);
            for (const auto& other : context->streams)
                if (blocking(other.get())) order.push_back(other);
        }
        else
        {
            for (const auto& other : context->streams)
                if (other.get() == stream) order.push_back(other);
            if (order.empty()) order.push_back(context->legacy_stream);   // the legacy stream is not in the list
        }
    }
    for (const auto& s : order) drain(s.get());
    if (context->sticky == 0)
    {
        // The host may have written past an allocation too (device addresses are host addresses here).
        std::string damage = damaged_guards("the host or an earlier task", context);
        if (!damage.empty()) fail_context(context, IllegalAddress, damage + " (detected at synchronisation)");
    }
    return sticky_result(context);
}

int synchronize_context(Context* context)
{
    std::vector<std::shared_ptr<Stream>> all;
    {
        std::lock_guard lock(state_lock());
        all.push_back(context->legacy_stream);
        all.insert(all.end(), context->streams.begin(), context->streams.end());
    }
    for (const auto& stream : all) drain(stream.get());
    return synchronize_stream(context->legacy_stream.get());
}

int capture_check(const char* call, Stream* stream)
{
    std::lock_guard lock(state_lock());
    if (stream != nullptr && stream->capture != nullptr)
    {
        stream->capture_invalidated = true;
        return report(StreamCaptureUnsupported, std::string(call) + " would wait for a stream that is capturing; the capture is invalidated");
    }
    auto me = std::this_thread::get_id();
    for (const void* handle : streams)
    {
        auto* other = const_cast<Stream*>(static_cast<const Stream*>(handle));
        if (other->capture == nullptr) continue;
        bool mine = other->capture_thread == me && other->capture_mode != CaptureMode::Relaxed;
        bool global = other->capture_thread != me && other->capture_mode == CaptureMode::Global;
        if (!mine && !global) continue;
        other->capture_invalidated = true;
        return report(StreamCaptureUnsupported, std::string(call) + " is not permitted while " +
            (mine ? "this thread captures a stream" : "another thread captures a stream in global mode") + "; the capture is invalidated");
    }
    return Success;
}

Graph* capturing_graph(Stream* stream)
{
    std::lock_guard lock(state_lock());
    return stream->capture;
}

Event* create_event(Context* context)
{
    std::lock_guard lock(state_lock());
    auto event = std::make_shared<Event>();
    event->context = context;
    events[event.get()] = event;
    return event.get();
}

void destroy_event(Event* event)
{
    std::lock_guard lock(state_lock());
    events.erase(event);
}

int record_event(Event* event, Stream* stream)
{
    std::shared_ptr<Event> shared;
    {
        std::lock_guard lock(state_lock());
        shared = events.at(event);
        event->stream = stream;
        event->recorded = true;
        event->completed = false;
    }
    return submit(stream, std::make_shared<EventRecord>(std::move(shared)));
}

int synchronize_event(Event* event)
{
    if (!event->recorded) return Success;   // as the driver: waiting for a never-recorded event returns at once
    {
        std::lock_guard lock(state_lock());
        if (!event->stream->legacy && !is_stream(event->stream)) return sticky_result(event->context);   // its stream is gone: done
    }
    return synchronize_stream(event->stream);
}

int begin_capture(Stream* stream, CaptureMode mode)
{
    std::lock_guard lock(state_lock());
    if (stream->legacy) return report(StreamCaptureUnsupported, "cuStreamBeginCapture: the legacy NULL stream cannot be captured");
    if (stream->capture != nullptr) return report(IllegalState, "cuStreamBeginCapture: the stream is already capturing");
    stream->capture = new Graph();
    stream->capture->context = stream->context;
    stream->capture->memory = std::make_shared<GraphMemory>();
    stream->capture_mode = mode;
    stream->capture_thread = std::this_thread::get_id();
    stream->capture_invalidated = false;
    return Success;
}

int end_capture(Stream* stream, Graph** graph)
{
    std::lock_guard lock(state_lock());
    *graph = nullptr;
    if (stream->capture == nullptr) return report(IllegalState, "cuStreamEndCapture: the stream is not capturing");
    if (stream->capture_mode != CaptureMode::Relaxed && stream->capture_thread != std::this_thread::get_id())
        return report(StreamCaptureWrongThread, "cuStreamEndCapture: the capture was begun on another thread");
    Graph* captured = stream->capture;
    stream->capture = nullptr;
    if (stream->capture_invalidated)
    {
        delete captured;
        return report(StreamCaptureInvalidated, "cuStreamEndCapture: a call that is not permitted during capture invalidated it");
    }
    graphs.insert(captured);
    *graph = captured;
    return Success;
}

void destroy_graph(Graph* graph)
{
    std::lock_guard lock(state_lock());
    graphs.erase(graph);
    delete graph;
}

GraphExec* instantiate(Graph* graph)
{
    std::lock_guard lock(state_lock());
    auto* exec = new GraphExec();
    exec->context = graph->context;
    exec->nodes = graph->nodes;
    exec->memory = graph->memory;
    graph_execs.insert(exec);
    return exec;
}

void destroy_graph_exec(GraphExec* exec)
{
    std::lock_guard lock(state_lock());
    graph_execs.erase(exec);
    delete exec;
}

int launch_graph(GraphExec* exec, Stream* stream)
{
    for (const auto& node : exec->nodes)
        if (int result = submit(stream, node); result != Success) return result;
    return Success;
}
} // namespace rasemu
