/*
** core/error.c — the thread-local error message behind adi_errmsg().
*/
#include "core/error.h"

#ifndef ADI_PROBE /* the probe build of calibrate links libc only */
#include <gsl/gsl_errno.h>
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char message[1024];

int adi_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return code;
}

int adi_fail_prefix(int code, const char *fmt, ...)
{
    char prefix[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    size_t pl = strlen(prefix), ml = strlen(message);
    if (pl + 2 + ml >= sizeof message)
        ml = sizeof message - pl - 3;
    memmove(message + pl + 2, message, ml);
    memcpy(message, prefix, pl);
    message[pl] = ':';
    message[pl + 1] = ' ';
    message[pl + 2 + ml] = '\0';
    return code;
}

const char *adi_errmsg(void)
{
    return message[0] ? message : "no error";
}

#ifndef ADI_PROBE
static void quiet_once(void) { gsl_set_error_handler_off(); }

void adi_gsl_quiet(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, quiet_once);
}
#endif
