/*
** core/error.h — status codes and the per-thread error message.
**
** Every adisim library function that can fail returns an int status: ADI_OK
** (zero) on success, or one of the codes below. The library never prints,
** exits or aborts; instead the failing function records one human-readable
** sentence (with file, line and key where they apply) that the caller fetches
** with adi_errmsg(). The message lives in thread-local storage, so worker
** threads do not overwrite each other's messages (like errno + strerror).
*/
#ifndef ADI_CORE_ERROR_H
#define ADI_CORE_ERROR_H

enum {
    ADI_OK = 0,
    ADI_EINPUT,    /* bad input: scenario, profile, option or value */
    ADI_EIO,       /* a file or database could not be read or written */
    ADI_ENOMEM,    /* out of memory */
    ADI_EINTERNAL  /* a GSL or SQLite call failed where it should not */
};

/* Records the message (printf format) for this thread and returns code, so
** that `return adi_fail(ADI_EINPUT, "...")` reads naturally. */
int adi_fail(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefixes the current message with "prefix: " (used to add a file name or a
** sweep point to an error raised deeper down). Returns code. */
int adi_fail_prefix(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The calling thread's last message; valid until its next adi_fail call. */
const char *adi_errmsg(void);

/* Turns GSL's aborting error handler off, once per process. Every entry
** point that calls GSL calls this first (it is cheap and idempotent). */
void adi_gsl_quiet(void);

#endif
