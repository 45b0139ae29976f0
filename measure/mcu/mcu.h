/*
** measure/mcu/mcu.h — what startup.c tells the harness (main.c).
*/
#ifndef ADI_MCU_MCU_H
#define ADI_MCU_MCU_H

#include <stddef.h>

/* Bytes of the stack region (mcu.ld's STACK_SIZE), and the most of it used
** so far (the painted words that were overwritten). */
size_t adi_mcu_stack_size(void);
size_t adi_mcu_stack_used(void);

#endif
