/*
** tests/test_hash.c — SHA-256 against the FIPS 180-2 examples, and the
** properties the stream seeds promise.
*/
#include "helpers.h"

#include "core/hash.h"

static void sha256_known_values(void **state)
{
    (void)state;
    char hex[65];
    /* FIPS 180-2, appendix B.1 and B.2. */
    adi_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    adi_sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    adi_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void stream_seeds(void **state)
{
    (void)state;
    const char *key = "v1 policy=pull n=4";
    /* Reproducible. */
    assert_true(adi_stream_seed(42, key, 3) == adi_stream_seed(42, key, 3));
    /* Replications of one point never share a seed (distinct by construction). */
    unsigned long *seen = malloc(100000 * sizeof *seen);
    for (uint64_t r = 0; r < 100000; r++) {
        seen[r] = adi_stream_seed(42, key, r);
        assert_true(seen[r] != 0 && seen[r] <= 0xffffffffUL);
    }
    for (uint64_t r = 1; r < 100000; r++)
        assert_true(seen[r] != seen[r - 1]);
    free(seen);
    /* The seed and the key both matter. */
    assert_true(adi_stream_seed(42, key, 0) != adi_stream_seed(43, key, 0));
    assert_true(adi_stream_seed(42, key, 0) != adi_stream_seed(42, "v1 policy=pull n=8", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_known_values),
        cmocka_unit_test(stream_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
