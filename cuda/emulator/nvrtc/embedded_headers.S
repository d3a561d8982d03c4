// The CUDA emulation headers, embedded so the emulated NVRTC writes exactly the text it was built with (and
// hashes it into every cache key) wherever it compiles a kernel.
    .section .rodata
    .globl  rasemu_emulation_header_text
    .hidden rasemu_emulation_header_text
rasemu_emulation_header_text:
    .incbin "cuda_emulation.h"
    .byte   0
    .globl  rasemu_kernel_abi_header_text
    .hidden rasemu_kernel_abi_header_text
rasemu_kernel_abi_header_text:
    .incbin "rasemu_kernel_abi.h"
    .byte   0

    .section .note.GNU-stack,"",@progbits
