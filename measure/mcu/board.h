/*
** measure/mcu/board.h — what the Cortex-M4 firmware needs from the chip
** and the board: text out (semihosting or a UART), the command line
** (semihosting), the end of the program, and a timer.
**
** The timer, chosen at start-up (adi_board_timer_init):
**
**   DWT CYCCNT counts         cycles of the core (real hardware): unit cycles
**   DWT has no CYCCNT         SysTick at the core clock: unit cycles
**   (DWT_CTRL.NOCYCCNT = 1)
**   CYCCNT should count but   an emulator: QEMU models no DWT (its registers
**   does not                  read 0). SysTick then counts emulated time, which
**                             under -icount shift=N advances 2^N ns per
**                             instruction: ticks are converted to instructions
**                             with a reference loop of known length, timed
**                             three times (the three must agree: otherwise
**                             QEMU ran without -icount and SysTick follows the
**                             host's clock). unit instructions.
**
** SysTick is 24 bits wide, so one interval must stay below 2^24 ticks: the
** harness times one image (x2) or one band of rows (conv) at a time, a few
** million cycles at most. Board ports (another UART, another memory map)
** change this file, board.c and mcu.ld, nothing else.
*/
#ifndef ADI_MCU_BOARD_H
#define ADI_MCU_BOARD_H

#include "measure/record.h"

#include <stddef.h>
#include <stdint.h>

/* Text to the host (semihosting SYS_WRITE0, or UART0 with ADI_MCU_UART). */
void adi_board_put(void *ctx, const char *text);

/* The command line the emulator or debugger passes (semihosting
** SYS_GET_CMDLINE) into buf; "" when there is none (UART build). */
void adi_board_args(char *buf, size_t size);

/* Ends the program: semihosting exit (status 0 or 1) or, without a
** debugger, a wait for interrupts forever. */
_Noreturn void adi_board_exit(int status);

/* Chooses the timer (see above); fills unit and, for an emulator, a
** description in emulator[size]. Returns 0, or -1 with the reason in
** emulator when no timer can be trusted. */
int adi_board_timer_init(adi_unit *unit, char *emulator, size_t size);

/* The timer's count now; the ticks from start to now (one interval, below
** 2^24 ticks); a sum of such ticks in the unit of adi_board_timer_init
** (cycles as they are; instructions through the reference loop's ratio,
** applied once to the sum so that rounding does not add up). */
uint32_t adi_board_timer_now(void);
uint32_t adi_board_timer_since(uint32_t start);
uint64_t adi_board_timer_units(uint64_t ticks);

/* "Cortex-M4 r0p1 (CPUID 0x410fc241)" into buf. */
void adi_board_cpu(char *buf, size_t size);

#endif
