/*
** core/hash.c — seed derivation and SHA-256 (see hash.h). SHA-256 is
** nettle's; only the small, well-known FNV-1a/splitmix64 pair is ours.
*/
#include "core/hash.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t adi_hash64(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ULL ^ splitmix64(seed);
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return splitmix64(h);
}

unsigned long adi_stream_seed(uint64_t scenario_seed, const char *point_key,
                              uint64_t rep)
{
    uint32_t base = (uint32_t)adi_hash64(point_key, strlen(point_key), scenario_seed);
    uint32_t s = base + (uint32_t)rep * 0x9e3779b9u;
    /* GSL maps seed 0 to its default seed; the one stream in 2^32 that
    ** would get 0 takes 1 instead. */
    return s ? s : 1u;
}

void adi_sha256_hex(const void *data, size_t len, char hex[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, sizeof digest, digest);
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
        sprintf(hex + 2 * i, "%02x", digest[i]);
    hex[64] = '\0';
}
