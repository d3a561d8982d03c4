// TEMPORARY, TEST-ONLY stand-in for the emulated driver (librasnative-cuda-emulator.so) until that library lands:
// it implements rasemu_host.h over malloc'd memory so that the BLAS emulators can be built, benchmarked and
// tested on their own. It is never shipped: the test project builds it into its own output folder only.
// Delete this folder when the real emulated driver is merged (the BLAS tests then use the driver API).
//
// Model: "device" memory is host memory handed out by rasemu_testhost_alloc and kept in a registry; queued work
// runs, in queue order, when rasemu_testhost_synchronize is called (one queue for all streams); the first error
// a task reports is kept until that synchronisation returns it.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../include/rasemu_host.h"

#define TESTHOST_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

std::mutex memory_lock;
std::map<uint64_t, uint64_t> allocations; // base -> requested bytes

struct Task {
    void* stream;
    const char* name;
    rasemu_task_fn fn;
    void* arg;
    rasemu_task_fn free_arg;
};

std::mutex queue_lock;
std::deque<Task> queue;

std::mutex error_lock;
int sticky_error = 0;
std::string last_error;

// Workers for rasemu_parallel_for: RASNATIVE_CUDA_EMULATOR_WORKERS, else one per hardware thread; the calling
// thread works too. One loop runs at a time (the BLAS emulators never nest them).
class Pool {
public:
    Pool() {
        int workers = int(std::thread::hardware_concurrency());
        if (const char* text = std::getenv("RASNATIVE_CUDA_EMULATOR_WORKERS")) workers = std::atoi(text);
        for (int i = 1; i < std::max(workers, 1); i++) std::thread([this] { serve(); }).detach();
    }

    void run(int64_t count, rasemu_index_fn fn, void* arg) {
        std::lock_guard<std::mutex> one_at_a_time(run_lock);
        std::unique_lock<std::mutex> guard(lock);
        done.wait(guard, [&] { return inside == 0; }); // a late worker of the previous loop has left it
        job_fn = fn;
        job_arg = arg;
        job_count = count;
        next = 0;
        finished = 0;
        generation++;
        guard.unlock();
        wake.notify_all();
        work();
        guard.lock();
        done.wait(guard, [&] { return finished == job_count && inside == 0; });
    }

private:
    void serve() {
        uint64_t seen = 0;
        for (;;) {
            {
                std::unique_lock<std::mutex> guard(lock);
                wake.wait(guard, [&] { return generation != seen; });
                seen = generation;
                inside++;
            }
            work();
            {
                std::lock_guard<std::mutex> guard(lock);
                inside--;
            }
            done.notify_all();
        }
    }

    void work() {
        for (int64_t i; (i = next.fetch_add(1)) < job_count;) {
            job_fn(job_arg, i);
            if (finished.fetch_add(1) + 1 == job_count) {
                std::lock_guard<std::mutex> guard(lock);
                done.notify_all();
            }
        }
    }

    std::mutex run_lock, lock;
    std::condition_variable wake, done;
    rasemu_index_fn job_fn = nullptr;
    void* job_arg = nullptr;
    int64_t job_count = 0;
    std::atomic<int64_t> next{0}, finished{0};
    uint64_t generation = 0;
    int inside = 0;
};

Pool& pool() {
    static Pool* instance = new Pool(); // never destroyed: detached workers wait on it until the process exits
    return *instance;
}

} // namespace

extern "C" {

int rasemu_device_range(uint64_t address, uint64_t bytes, const char** why) {
    thread_local char reason[256];
    std::lock_guard<std::mutex> guard(memory_lock);
    auto it = allocations.upper_bound(address);
    if (it != allocations.begin()) {
        --it;
        uint64_t offset = address - it->first;
        if (offset <= it->second && bytes <= it->second - offset) return 1;
        if (offset <= it->second) {
            std::snprintf(reason, sizeof reason, "0x%llx + %llu bytes runs %llu bytes past the end of the %llu-byte allocation at 0x%llx",
                          (unsigned long long)address, (unsigned long long)bytes,
                          (unsigned long long)(offset + bytes - it->second), (unsigned long long)it->second,
                          (unsigned long long)it->first);
            if (why) *why = reason;
            return 0;
        }
    }
    std::snprintf(reason, sizeof reason, "0x%llx is not inside any live device allocation", (unsigned long long)address);
    if (why) *why = reason;
    return 0;
}

int rasemu_stream_enqueue(void* stream, const char* name, rasemu_task_fn fn, void* arg, rasemu_task_fn free_arg) {
    std::lock_guard<std::mutex> guard(queue_lock);
    queue.push_back(Task{stream, name, fn, arg, free_arg});
    return 0;
}

void rasemu_parallel_for(int64_t count, rasemu_index_fn fn, void* arg) {
    if (count <= 0) return;
    if (count == 1) {
        fn(arg, 0);
        return;
    }
    pool().run(count, fn, arg);
}

void rasemu_report_error(int cuda_result, const char* message) {
    std::lock_guard<std::mutex> guard(error_lock);
    if (sticky_error == 0) sticky_error = cuda_result;
    last_error = message;
    std::fprintf(stderr, "rasnative cuda emulator: %s\n", message);
}

// --- The test-only API the C# tests and the self-test call. ---------------------------------------------------

TESTHOST_EXPORT uint64_t rasemu_testhost_alloc(uint64_t bytes) {
    void* p = std::aligned_alloc(256, std::max<uint64_t>(256, (bytes + 255) / 256 * 256));
    if (!p) return 0;
    std::lock_guard<std::mutex> guard(memory_lock);
    allocations[uint64_t(p)] = bytes;
    return uint64_t(p);
}

TESTHOST_EXPORT int rasemu_testhost_free(uint64_t address) {
    std::lock_guard<std::mutex> guard(memory_lock);
    auto it = allocations.find(address);
    if (it == allocations.end()) return 1;
    allocations.erase(it);
    std::free(reinterpret_cast<void*>(address));
    return 0;
}

// Runs every queued task; returns (and clears) the first error one of them reported.
TESTHOST_EXPORT int rasemu_testhost_synchronize() {
    for (;;) {
        Task task;
        {
            std::lock_guard<std::mutex> guard(queue_lock);
            if (queue.empty()) break;
            task = queue.front();
            queue.pop_front();
        }
        task.fn(task.arg);
        if (task.free_arg) task.free_arg(task.arg);
    }
    std::lock_guard<std::mutex> guard(error_lock);
    int error = sticky_error;
    sticky_error = 0;
    return error;
}

TESTHOST_EXPORT int64_t rasemu_testhost_pending() {
    std::lock_guard<std::mutex> guard(queue_lock);
    return int64_t(queue.size());
}

// The message of the last reported error ("" if none), valid until the next error.
TESTHOST_EXPORT const char* rasemu_testhost_last_error() {
    std::lock_guard<std::mutex> guard(error_lock);
    return last_error.c_str();
}

} // extern "C"
