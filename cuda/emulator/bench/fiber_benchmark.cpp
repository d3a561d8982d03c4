// Measures the fiber switch of the emulated driver (make bench): two fibers resume each other N times.
// Prints nanoseconds per switch (one resume) in CPU time, so a loaded machine does not inflate it.
#include <time.h>

#include <cstdio>

#include "../cuda/fiber.h"

namespace
{
constexpr long Switches = 20'000'000;
void* main_sp = nullptr;
rasemu::Region* fibers[2];

double cpu_seconds()
{
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Fiber 0 and fiber 1 resume each other; after the last switch fiber 0 returns to main.
void ping(void* region)
{
    auto* self = static_cast<rasemu::Region*>(region);
    int me = self == fibers[0] ? 0 : 1;
    for (long i = me; i < Switches; i += 2) rasemu_fiber_switch(&self->sp, fibers[1 - me]->sp);
    rasemu_fiber_switch(&self->sp, main_sp);
}
} // namespace

int main()
{
    rasemu::RegionPool pool;
    for (auto*& fiber : fibers)
    {
        fiber = pool.acquire();
        rasemu::RegionPool::start(fiber, ping);
    }
    double start = cpu_seconds();
    rasemu_fiber_switch(&main_sp, fibers[0]->sp);
    double seconds = cpu_seconds() - start;
    printf("fiber switch: %.1f ns per resume (%ld switches, CPU time)\n", seconds * 1e9 / Switches, Switches);
    return 0;
}
