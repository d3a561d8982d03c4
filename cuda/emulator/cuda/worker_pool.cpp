#include "worker_pool.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "settings.h"

namespace rasemu
{
namespace
{
thread_local bool inside_job = false;

class WorkerPool
{
public:
    explicit WorkerPool(int workers)
    {
        for (int i = 1; i < workers; i++) std::thread([this] { serve(); }).detach();
        helpers_ = workers - 1;
    }

    void run(int64_t count, IndexFunction fn, void* arg)
    {
        std::lock_guard job(job_mutex_);
        {
            std::lock_guard lock(mutex_);
            fn_ = fn;
            arg_ = arg;
            count_ = count;
            next_.store(0, std::memory_order_relaxed);
            busy_ = helpers_;
            generation_++;
        }
        wake_.notify_all();
        work();
        std::unique_lock lock(mutex_);
        done_.wait(lock, [this] { return busy_ == 0; });
    }

private:
    void serve()
    {
        uint64_t seen = 0;
        for (;;)
        {
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [&] { return generation_ != seen; });
                seen = generation_;
            }
            work();
            std::lock_guard lock(mutex_);
            if (--busy_ == 0) done_.notify_one();
        }
    }

    void work()
    {
        inside_job = true;
        for (int64_t i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < count_;) fn_(arg_, i);
        inside_job = false;
    }

    int helpers_ = 0;
    std::mutex job_mutex_, mutex_;
    std::condition_variable wake_, done_;
    uint64_t generation_ = 0;
    int busy_ = 0;
    IndexFunction fn_ = nullptr;
    void* arg_ = nullptr;
    int64_t count_ = 0;
    std::atomic<int64_t> next_{0};
};

// Never destroyed: helpers sleep on its condition variable until the process ends, and destroying it under
// them at exit could block.
WorkerPool& pool()
{
    static WorkerPool* instance = new WorkerPool(settings().workers);
    return *instance;
}
} // namespace

int worker_count() { return settings().workers; }

void parallel_for(int64_t count, IndexFunction fn, void* arg)
{
    if (count <= 0) return;
    if (count == 1 || inside_job || worker_count() == 1)
    {
        bool outer = inside_job;
        inside_job = true;
        for (int64_t i = 0; i < count; i++) fn(arg, i);
        inside_job = outer;
        return;
    }
    pool().run(count, fn, arg);
}
} // namespace rasemu
