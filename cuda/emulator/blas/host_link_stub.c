/* Link-time stand-in for librasnative-cuda-emulator.so: lets the BLAS emulators be linked (with a DT_NEEDED on
 * that name and an $ORIGIN run path) before, or without, the emulated driver being built. Never loaded: at run
 * time the real library next to the BLAS emulators provides these symbols. */
#include <stdlib.h>

#include "../include/rasemu_host.h"

int rasemu_device_range(uint64_t address, uint64_t bytes, const char** why) { (void)address, (void)bytes, (void)why; abort(); }
int rasemu_stream_enqueue(void* stream, const char* name, rasemu_task_fn fn, void* arg, rasemu_task_fn free_arg) {
    (void)stream, (void)name, (void)fn, (void)arg, (void)free_arg;
    abort();
}
void rasemu_parallel_for(int64_t count, rasemu_index_fn fn, void* arg) { (void)count, (void)fn, (void)arg; abort(); }
void rasemu_report_error(int cuda_result, const char* message) { (void)cuda_result, (void)message; abort(); }
