/*
** measure/mcu/startup.c — what runs before main on a bare Cortex-M4: the
** vector table, the reset handler (copy .data from flash, zero .bss, paint
** the stack so that its deepest use can be measured, turn the FPU on), and
** fault handlers that say what happened instead of hanging.
**
** The symbols come from mcu.ld. The FPU must be on before the first
** floating-point instruction: nothing before adi_fpu_on uses floats.
*/
#include "measure/mcu/board.h"
#include "measure/mcu/mcu.h"

#include <stdint.h>

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _sstack[], _estack[];

int main(void);
void adi_reset(void);
void adi_fault(void);
void adi_ignore(void);

#define STACK_PAINT 0x5AC5A5C5u

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)_estack, /* initial stack pointer */
    adi_reset,                          /* reset */
    adi_fault,                          /* NMI */
    adi_fault,                          /* HardFault */
    adi_fault,                          /* MemManage */
    adi_fault,                          /* BusFault */
    adi_fault,                          /* UsageFault */
    0, 0, 0, 0,                         /* reserved */
    adi_ignore,                         /* SVCall */
    adi_ignore,                         /* DebugMonitor */
    0,                                  /* reserved */
    adi_ignore,                         /* PendSV */
    adi_ignore,                         /* SysTick (its interrupt is never enabled) */
};

size_t adi_mcu_stack_used(void)
{
    const uint32_t *p = _sstack;
    while (p < _estack && *p == STACK_PAINT)
        p++;
    return (size_t)((const char *)_estack - (const char *)p);
}

size_t adi_mcu_stack_size(void) { return (size_t)((const char *)_estack - (const char *)_sstack); }

void adi_reset(void)
{
    for (uint32_t *s = _sidata, *d = _sdata; d < _edata;)
        *d++ = *s++;
    for (uint32_t *d = _sbss; d < _ebss;)
        *d++ = 0;
    /* paint the stack below this frame (256 bytes of margin) */
    uint32_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (uint32_t *d = _sstack; d < sp - 64;)
        *d++ = STACK_PAINT;
    /* CPACR: full access to coprocessors 10 and 11, the FPU */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    adi_board_exit(main());
}

void adi_fault(void)
{
    adi_board_put(0, "\n; calibrate-m4: a fault (hard, memory, bus or usage): stopped\n");
    adi_board_exit(1);
}

void adi_ignore(void) {}
