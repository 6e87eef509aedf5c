/*
 * uuid.c — UUID v7 (see uuid.h).  uuid_v7_format() is pure and unit-tested;
 * uuid_new() reads the clock and getrandom(2).
 */
#include "core/uuid.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

void uuid_v7_format(uint64_t ms, const uint8_t rnd[10], char out[UUID_STRLEN])
{
    uint8_t b[16];
    for (int i = 0; i < 6; i++)
        b[i] = (uint8_t)(ms >> (40 - 8 * i));
    memcpy(b + 6, rnd, 10);
    b[6] = (uint8_t)(0x70 | (b[6] & 0x0F)); /* version 7 */
    b[8] = (uint8_t)(0x80 | (b[8] & 0x3F)); /* RFC 9562 variant */
    /* 8-4-4-4-12 lower-case hex digits (a demo makes millions: no printf). */
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 0x0F];
    }
    out[o] = '\0';
}

void uuid_new(char out[UUID_STRLEN])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
    uint8_t rnd[10];
    size_t got = 0;
    while (got < sizeof rnd) {
        ssize_t n = getrandom(rnd + got, sizeof rnd - got, 0);
        if (n > 0)
            got += (size_t)n;
        else {
            /* getrandom only fails before the pool is seeded (or when
             * interrupted); mixing the clock keeps ids unique enough then. */
            for (size_t i = got; i < sizeof rnd; i++)
                rnd[i] = (uint8_t)(ts.tv_nsec >> (i % 4 * 8)) ^ (uint8_t)(i * 37);
            got = sizeof rnd;
        }
    }
    uuid_v7_format(ms, rnd, out);
}

bool uuid_valid(const char *s)
{
    if (!s || strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
            return false;
    }
    return true;
}
