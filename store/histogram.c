/*
** store/histogram.c — a point's latency histogram as one blob, and back
** (histogram.h has the encoding), and schema 9's conversion of the old
** rows, one per bucket.
**
** Costs: encoding walks the merged histogram's buckets once and writes two
** or three bytes for each stored bucket that holds latencies (about 570 a
** point of the ablation); decoding reads them once. Both are small beside
** the inserts of the rows they replace.
*/
#include "store/histogram.h"
#include "core/error.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

/* The first stored index whose lower edge is not finite: +inf's bits >> 46
** (every index below has a finite lower edge). */
#define INDEX_END                                                                                  \
    ((int64_t)(0x7ff0000000000000ULL >> (52 - ADI_HIST_SUB_BITS + ADI_HIST_STORE_SHIFT)))

static int put_varint(store_blob *b, uint64_t v)
{
    if (b->cap - b->size < 10) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        unsigned char *grown = realloc(b->data, cap);
        if (!grown)
            return -1;
        b->data = grown;
        b->cap = cap;
    }
    do {
        unsigned char byte = v & 0x7f;
        v >>= 7;
        b->data[b->size++] = byte | (v ? 0x80 : 0);
    } while (v);
    return 0;
}

int store_blob_put(store_blob *b, int64_t index, uint64_t count)
{
    if (!count)
        return 0;
    b->total += count;
    if (index < 0) {
        b->zero += count;
        return 0;
    }
    if (index <= b->last)
        return -1;
    uint64_t gap = (uint64_t)(index - (b->last < 0 ? 0 : b->last));
    b->last = index;
    return put_varint(b, gap) || put_varint(b, count) ? -1 : 0;
}

int store_blob_of_hist(const adi_hist *h, store_blob *out)
{
    memset(out, 0, sizeof *out);
    out->last = -1;
    int rc = store_blob_put(out, -1, h->zero);
    uint64_t count = 0;
    for (int64_t b = h->lo; b < h->hi && rc == 0; b++) {
        count += h->counts[b - h->lo];
        int64_t coarse = b >> ADI_HIST_STORE_SHIFT;
        if (b + 1 == h->hi || (b + 1) >> ADI_HIST_STORE_SHIFT != coarse) {
            rc = store_blob_put(out, coarse, count);
            count = 0;
        }
    }
    if (rc != 0)
        store_blob_free(out);
    return rc;
}

void store_blob_free(store_blob *b)
{
    if (!b)
        return;
    free(b->data);
    memset(b, 0, sizeof *b);
    b->last = -1;
}

/* The next varint of [*at, end) into *v; 0, or -1 when it runs past the end
** or past 64 bits. */
static int get_varint(const unsigned char **at, const unsigned char *end, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; *at < end; shift += 7) {
        unsigned char byte = *(*at)++;
        if (shift == 63 && byte > 1)
            return -1;
        *v |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return 0;
        if (shift == 63)
            return -1;
    }
    return -1;
}

int store_blob_open(store_blob_cursor *c, const unsigned char *data, size_t size, uint64_t zero,
                    uint64_t total)
{
    *c = (store_blob_cursor){data, data + size, 0, total - zero};
    return zero > total ? -1 : 0;
}

int store_blob_next(store_blob_cursor *c, int64_t *index, uint64_t *count, const char **why)
{
    uint64_t gap;
    if (c->at == c->end) {
        *why = c->left ? "fewer latencies than its total" : NULL;
        return c->left ? -1 : 0;
    }
    if (get_varint(&c->at, c->end, &gap) || get_varint(&c->at, c->end, count))
        *why = "a number runs past its end";
    else if (gap == 0 || *count == 0)
        *why = "a bucket out of order or empty";
    else if (gap >= (uint64_t)(INDEX_END - c->index))
        *why = "a bucket beyond the largest latency";
    else if (*count > c->left)
        *why = "more latencies than its total";
    else {
        c->index += (int64_t)gap;
        c->left -= *count;
        *index = c->index;
        return 1;
    }
    return -1;
}

double store_bucket_lo(int64_t index)
{
    return adi_hist_bucket_lo(index << ADI_HIST_STORE_SHIFT);
}

/* ---- schema 9: the rows of one bucket each into blobs ---------------------- */

static int write_row(adi_store *st, sqlite3_stmt *ins, int64_t point, const char *kind,
                     store_blob *b)
{
    sqlite3_bind_int64(ins, 1, point);
    sqlite3_bind_text(ins, 2, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins, 3, (sqlite3_int64)b->zero);
    sqlite3_bind_int64(ins, 4, (sqlite3_int64)b->total);
    sqlite3_bind_blob(ins, 5, b->data ? (const void *)b->data : "", (int)b->size,
                      SQLITE_STATIC);
    int rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    return rc == SQLITE_DONE ? ADI_OK : store_db_error(st, "cannot update the schema");
}

int store_hist_convert(adi_store *st)
{
    sqlite3_stmt *sel = NULL, *ins = NULL;
    int rc = ADI_OK;
    if (sqlite3_prepare_v2(st->db, "SELECT point_id, kind, bucket, lo, hi, count FROM"
                           " latency_hist ORDER BY point_id, kind, bucket", -1, &sel,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, "INSERT INTO latency_hist_9 (point_id, kind, zero, total,"
                           " buckets) VALUES (?,?,?,?,?)", -1, &ins, NULL) != SQLITE_OK)
        rc = store_db_error(st, "cannot update the schema");
    store_blob b = {.last = -1};
    int64_t point = 0;
    char kind[16] = "";
    int step = SQLITE_DONE, open = 0; /* open: a (point, kind) is being gathered */
    while (rc == ADI_OK && (step = sqlite3_step(sel)) == SQLITE_ROW) {
        int64_t p = sqlite3_column_int64(sel, 0), index = sqlite3_column_int64(sel, 2);
        const char *k = (const char *)sqlite3_column_text(sel, 1);
        double lo = sqlite3_column_double(sel, 3), hi = sqlite3_column_double(sel, 4);
        sqlite3_int64 count = sqlite3_column_int64(sel, 5);
        if (open && (p != point || strcmp(k, kind) != 0)) {
            rc = write_row(st, ins, point, kind, &b);
            store_blob_free(&b);
        }
        open = 1;
        point = p;
        snprintf(kind, sizeof kind, "%s", k);
        int edges = index < 0 ? lo == 0 && hi == 0
                              : index < INDEX_END && lo == store_bucket_lo(index) &&
                                    hi == store_bucket_lo(index + 1);
        if (rc == ADI_OK && (!edges || index < -1 || count < 0))
            rc = adi_fail(ADI_EINPUT, "%s: cannot update the schema: latency_hist (point %lld, "
                          "%s, bucket %lld): its edges %.17g, %.17g or count %lld are not those "
                          "of its bucket", st->path, (long long)p, kind, (long long)index, lo, hi,
                          (long long)count);
        else if (rc == ADI_OK && store_blob_put(&b, index, (uint64_t)count) != 0)
            rc = adi_fail(ADI_ENOMEM, "out of memory");
    }
    if (rc == ADI_OK && step != SQLITE_DONE)
        rc = store_db_error(st, "cannot update the schema");
    if (rc == ADI_OK && open)
        rc = write_row(st, ins, point, kind, &b);
    store_blob_free(&b);
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    return rc;
}
