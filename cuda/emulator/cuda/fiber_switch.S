// The fiber switch: saves the callee-saved registers, MXCSR and the x87 control word on the current stack,
// stores the stack pointer in *save, loads `load` as the stack pointer and restores the same set from it.
// (%eax is clobbered: a caller-saved register of a void function.)
// Everything else is caller-saved under the System V AMD64 ABI, so this is all a switch has to keep.
//   void rasemu_fiber_switch(void** save, void* load);
// A new fiber's stack is prepared by fiber.cpp so that the final `ret` enters rasemu_fiber_trampoline with
// the entry function in r13 and its argument in r12.

    .text
    .globl  rasemu_fiber_switch
    .hidden rasemu_fiber_switch
    .type   rasemu_fiber_switch, @function
    .p2align 4
rasemu_fiber_switch:
    .cfi_startproc
    pushq   %rbp
    .cfi_adjust_cfa_offset 8
    pushq   %rbx
    .cfi_adjust_cfa_offset 8
    pushq   %r12
    .cfi_adjust_cfa_offset 8
    pushq   %r13
    .cfi_adjust_cfa_offset 8
    pushq   %r14
    .cfi_adjust_cfa_offset 8
    pushq   %r15
    .cfi_adjust_cfa_offset 8
    subq    $8, %rsp
    .cfi_adjust_cfa_offset 8
    stmxcsr (%rsp)
    fnstcw  4(%rsp)
    movq    %rsp, (%rdi)
    movq    %rsi, %rsp
    // Restored only where they differ: ldmxcsr and fldcw cost far more than the compare (fldcw alone was most
    // of a switch), and kernels rarely change them. The red zone below rsp is scratch: this is a leaf.
    stmxcsr -8(%rsp)
    movl    -8(%rsp), %eax
    cmpl    (%rsp), %eax
    je      1f
    ldmxcsr (%rsp)
1:  fnstcw  -8(%rsp)
    movw    -8(%rsp), %ax
    cmpw    4(%rsp), %ax
    je      2f
    fldcw   4(%rsp)
2:  addq    $8, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret
    .cfi_endproc
    .size   rasemu_fiber_switch, .-rasemu_fiber_switch

// First code a new fiber runs: entry(arg), which never returns. The undefined return address ends gdb's
// backtrace here instead of walking into whatever lies above the fiber's stack.
    .globl  rasemu_fiber_trampoline
    .hidden rasemu_fiber_trampoline
    .type   rasemu_fiber_trampoline, @function
    .p2align 4
rasemu_fiber_trampoline:
    .cfi_startproc
    .cfi_undefined rip
    movq    %r12, %rdi
    callq   *%r13
    ud2
    .cfi_endproc
    .size   rasemu_fiber_trampoline, .-rasemu_fiber_trampoline

    .section .note.GNU-stack,"",@progbits
