/*
** measure/mcu/board.c — semihosting or UART, SysTick and DWT on a
** Cortex-M4 (see board.h). The registers are the architecture's (ARMv7-M:
** SysTick, DWT, the System Control Block) except the UART's, which is the
** CMSDK APB UART of ARM's MPS2 boards (QEMU's mps2-an386).
*/
#include "measure/mcu/board.h"

#include <string.h>

#define REG(a) (*(volatile uint32_t *)(a))

/* System Control Block, debug and SysTick (ARMv7-M Architecture Reference Manual) */
#define CPUID       REG(0xE000ED00u)
#define DEMCR       REG(0xE000EDFCu) /* bit 24 TRCENA: enables DWT */
#define DWT_CTRL    REG(0xE0001000u) /* bit 0 CYCCNTENA; bit 25 NOCYCCNT */
#define DWT_CYCCNT  REG(0xE0001004u)
#define SYST_CSR    REG(0xE000E010u) /* bit 0 ENABLE, bit 2 CLKSOURCE = core clock */
#define SYST_RVR    REG(0xE000E014u)
#define SYST_CVR    REG(0xE000E018u)

/* CMSDK APB UART0 of the MPS2 boards */
#define UART_DATA   REG(0x40004000u)
#define UART_STATE  REG(0x40004004u) /* bit 0: transmit buffer full */
#define UART_CTRL   REG(0x40004008u) /* bit 0: transmit enable */
#define UART_BAUD   REG(0x40004010u)

/* ---- semihosting ------------------------------------------------------------- */

#ifndef ADI_MCU_UART
static int semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
#define SYS_WRITE0 0x04
#define SYS_GET_CMDLINE 0x15
#define SYS_EXIT 0x18
#define ADP_Stopped_ApplicationExit 0x20026
#define ADP_Stopped_RunTimeErrorUnknown 0x20023
#endif

/* Output goes out a line at a time: one semihosting call per line, not per
** piece (each call stops the core and asks the debugger). */
static char line[256];
static size_t used;

static void flush(void)
{
    line[used] = '\0';
#ifndef ADI_MCU_UART
    if (used)
        semihost(SYS_WRITE0, line);
#else
    if (!(UART_CTRL & 1)) {
        UART_BAUD = 16;
        UART_CTRL = 1;
    }
    for (size_t i = 0; i < used; i++) {
        while (UART_STATE & 1)
            ;
        UART_DATA = (uint8_t)line[i];
    }
#endif
    used = 0;
}

void adi_board_put(void *ctx, const char *text)
{
    (void)ctx;
    for (; *text; text++) {
        line[used++] = *text;
        if (*text == '\n' || used == sizeof line - 1)
            flush();
    }
}

void adi_board_args(char *buf, size_t size)
{
    buf[0] = '\0';
    (void)size;
#ifndef ADI_MCU_UART
    struct {
        char *buf;
        int len;
    } block = {buf, (int)size - 1};
    if (semihost(SYS_GET_CMDLINE, &block) != 0)
        buf[0] = '\0';
    else
        buf[block.len < (int)size ? block.len : (int)size - 1] = '\0';
#endif
}

_Noreturn void adi_board_exit(int status)
{
    flush();
    (void)status;
#ifndef ADI_MCU_UART
    semihost(SYS_EXIT, (const void *)(uintptr_t)(status == 0 ? ADP_Stopped_ApplicationExit
                                                             : ADP_Stopped_RunTimeErrorUnknown));
#endif
    for (;;)
        __asm__ volatile("wfi");
}

/* ---- timers -------------------------------------------------------------------- */

static enum { T_DWT, T_SYSTICK } timer;
static uint64_t ref_instructions, ref_ticks; /* emulator: instructions per tick, as a ratio */

/* 2 instructions per iteration (subs, bne), whatever the compiler does
** around it. */
static void reference_loop(uint32_t n)
{
    __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

uint32_t adi_board_timer_now(void) { return timer == T_DWT ? DWT_CYCCNT : SYST_CVR; }

uint32_t adi_board_timer_since(uint32_t start)
{
    uint32_t now = adi_board_timer_now();
    /* CYCCNT counts up through 32 bits, SysTick down through 24 */
    return timer == T_DWT ? now - start : (start - now) & 0xFFFFFFu;
}

uint64_t adi_board_timer_units(uint64_t ticks)
{
    return ref_ticks ? (ticks * ref_instructions + ref_ticks / 2) / ref_ticks : ticks;
}

static void put_u(char *buf, size_t size, const char *text, uint64_t v)
{
    char num[21];
    size_t n = strlen(buf);
    if (n + strlen(text) + 21 < size) {
        strcat(buf, text);
        strcat(buf, adi_format_u64(v, num));
    }
}

int adi_board_timer_init(adi_unit *unit, char *emulator, size_t size)
{
    emulator[0] = '\0';
    SYST_RVR = 0xFFFFFFu;
    SYST_CVR = 0;
    SYST_CSR = 5; /* the core clock, no interrupt */
    DEMCR |= 1u << 24;
    DWT_CYCCNT = 0;
    DWT_CTRL |= 1;
    uint32_t c0 = DWT_CYCCNT;
    reference_loop(1000);
    if (DWT_CYCCNT != c0) {
        timer = T_DWT;
        *unit = ADI_UNIT_CYCLES;
        return 0;
    }
    timer = T_SYSTICK;
    *unit = ADI_UNIT_CYCLES;
    if (DWT_CTRL & (1u << 25))
        return 0; /* a real core without a cycle counter: SysTick counts cycles */
    /* DWT claims a cycle counter that does not count: an emulator */
    const uint32_t n = 200000;
    uint32_t t[3];
    for (int i = 0; i < 3; i++) {
        uint32_t s = SYST_CVR;
        reference_loop(n);
        t[i] = (s - SYST_CVR) & 0xFFFFFFu;
    }
    emulator[0] = '\0';
    for (int i = 1; i < 3; i++)
        if (t[i] + 1 < t[0] || t[i] > t[0] + 1 || t[0] == 0) {
            put_u(emulator, size, "DWT does not count (an emulator?) and SysTick is not "
                  "instruction-exact: a reference loop of 2 x n instructions took ticks ", t[0]);
            put_u(emulator, size, ", ", t[1]);
            put_u(emulator, size, ", ", t[2]);
            strncat(emulator, " (run QEMU with -icount shift=0)", size - strlen(emulator) - 1);
            return -1;
        }
    ref_instructions = 2ull * n;
    ref_ticks = t[0];
    *unit = ADI_UNIT_INSTRUCTIONS;
    put_u(emulator, size, "qemu-system-arm -icount or a like emulator (no DWT; instructions = "
          "SysTick ticks x ", ref_instructions);
    put_u(emulator, size, " / ", ref_ticks);
    strncat(emulator, ")", size - strlen(emulator) - 1);
    return 0;
}

void adi_board_cpu(char *buf, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    uint32_t id = CPUID;
    const char *part = (id >> 4 & 0xFFF) == 0xC24 ? "Cortex-M4" : "ARMv7-M core";
    char text[64];
    size_t n = 0;
    for (const char *p = part; *p; p++)
        text[n++] = *p;
    const char *mid = " r?p? (CPUID 0x";
    for (const char *p = mid; *p; p++)
        text[n++] = *p;
    text[n - 13] = (char)('0' + (id >> 20 & 0xF));
    text[n - 11] = (char)('0' + (id & 0xF));
    for (int s = 28; s >= 0; s -= 4)
        text[n++] = hex[id >> s & 0xF];
    text[n++] = ')';
    text[n] = '\0';
    size_t len = n < size ? n : size - 1;
    memcpy(buf, text, len);
    buf[len] = '\0';
}
