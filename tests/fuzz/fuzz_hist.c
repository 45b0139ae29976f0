/*
** tests/fuzz/fuzz_hist.c — the latency histogram's blob (store/histogram.h)
** on any bytes: the first byte is the row's zero, the next four its total
** (little-endian), the rest its blob. Reading it never crashes, never goes
** past the blob, and either ends cleanly with every count adding up to the
** total or says why it is damaged; the buckets of a blob it accepts, put
** into a new blob, read back the same (the encoding is canonical, so the
** input's own bytes may differ only in over-long varints).
*/
#include "fuzz.h"

#include "store/histogram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    uint64_t zero = data[0], total = data[1] | (uint64_t)data[2] << 8 |
                                      (uint64_t)data[3] << 16 | (uint64_t)data[4] << 24;
    const unsigned char *blob = data + 5;
    size_t n = size - 5;
    store_blob_cursor c;
    if (store_blob_open(&c, blob, n, zero, total) != 0) {
        FUZZ_ASSERT(zero > total, "refused a row with zero %llu <= total %llu",
                    (unsigned long long)zero, (unsigned long long)total);
        return 0;
    }
    store_blob again = {.last = -1};
    FUZZ_ASSERT(store_blob_put(&again, -1, zero) == 0, "no room for the zeros");
    int64_t index, last = 0;
    uint64_t count, sum = zero;
    const char *why = NULL;
    int more;
    while ((more = store_blob_next(&c, &index, &count, &why)) == 1) {
        FUZZ_ASSERT(index > last && count > 0 && c.at <= blob + n, "bucket %lld after %lld",
                    (long long)index, (long long)last);
        FUZZ_ASSERT(store_bucket_lo(index) < store_bucket_lo(index + 1), "edges of %lld",
                    (long long)index);
        last = index;
        sum += count;
        FUZZ_ASSERT(store_blob_put(&again, index, count) == 0, "cannot put %lld", (long long)index);
    }
    FUZZ_ASSERT(more == 0 || (more == -1 && why), "damaged without a reason");
    if (more == 0) {
        FUZZ_ASSERT(sum == total, "read %llu of %llu", (unsigned long long)sum,
                    (unsigned long long)total);
        FUZZ_ASSERT(again.total == total && again.zero == zero && again.size <= n,
                    "the canonical blob is longer (%zu > %zu) or counts otherwise", again.size, n);
        store_blob_cursor back;
        FUZZ_ASSERT(store_blob_open(&back, again.data ? again.data : blob, again.size, zero,
                                    total) == 0, "re-encoded row refused");
        store_blob_cursor orig;
        store_blob_open(&orig, blob, n, zero, total);
        int64_t i1, i2;
        uint64_t c1, c2;
        const char *w1, *w2;
        int m1, m2;
        do {
            m1 = store_blob_next(&orig, &i1, &c1, &w1);
            m2 = store_blob_next(&back, &i2, &c2, &w2);
            FUZZ_ASSERT(m1 == m2 && (m1 != 1 || (i1 == i2 && c1 == c2)),
                        "re-encoded blob reads back otherwise");
        } while (m1 == 1);
    }
    store_blob_free(&again);
    return 0;
}
