/*
** measure/record_file.h — a measurement record (record.h) into a file or
** a stream. libc only (the probe build uses it).
*/
#ifndef ADI_CALIBRATE_RECORD_FILE_H
#define ADI_CALIBRATE_RECORD_FILE_H

#include "measure/record.h"

#include <stdio.h>

/* Writes the record to path through a temporary file and rename(): a
** reader never sees half a record. */
int adi_record_save(const adi_record *r, const char *path);

/* Writes the record to f (the caller's stream). */
int adi_record_print(const adi_record *r, FILE *f);

#endif
