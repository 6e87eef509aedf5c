/*
 * fuzz_text.c — UTF-8 helpers: utf8_valid (core/util.h), u8_decode,
 * u8_width and u8_fit (core/text.h).
 *
 * FUZZ_ARGS: -max_len=4096
 *
 * The first byte chooses the width (-4..251), padding and the locale (C or
 * C.UTF-8: wcwidth differs); the rest is the text.  Invariants: decoding
 * always advances within the buffer; valid UTF-8 decodes and re-encodes to
 * the same bytes; u8_fit's result is valid UTF-8 that holds no control
 * character (C0, DEL or C1: a terminal must never receive one from data),
 * is at most width columns, exactly width when padded, and keeps a short
 * clean text whole.
 */
#include <locale.h>

#include "fuzz.h"

#include "core/text.h"
#include "core/util.h"

static size_t encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    int width = (int)data[0] - 4;
    int pad = data[0] & 1;
    setlocale(LC_CTYPE, data[0] & 2 ? "C.UTF-8" : "C");
    const char *raw = (const char *)data + 1;
    size_t n = size - 1;

    /* Decoding the raw bytes (no terminating NUL: reads stay within n). */
    bool valid = utf8_valid(raw, n);
    char *re = malloc(4 * n + 1);
    size_t relen = 0, off = 0;
    while (off < n) {
        uint32_t cp;
        size_t k = u8_decode(raw + off, n - off, &cp);
        FUZZ_ASSERT(k >= 1 && k <= 4 && k <= n - off);
        FUZZ_ASSERT(cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
        relen += encode(cp, re + relen);
        off += k;
    }
    if (valid)
        FUZZ_ASSERT(relen == n && memcmp(re, raw, n) == 0);
    free(re);

    char *s = fuzz_cstr(data + 1, n);
    size_t w = u8_width(s);
    char *f = u8_fit(s, width, pad);
    size_t flen = strlen(f);
    FUZZ_ASSERT(utf8_valid(f, flen));
    for (off = 0; off < flen;) {
        uint32_t cp;
        off += u8_decode(f + off, flen - off, &cp);
        FUZZ_ASSERT(!is_control(cp));
    }
    size_t fw = u8_width(f);
    FUZZ_ASSERT(fw <= (size_t)(width > 0 ? width : 0));
    if (pad && width > 0)
        FUZZ_ASSERT(fw == (size_t)width);
    bool clean = utf8_valid(s, strlen(s));
    for (off = 0; clean && s[off];) {
        uint32_t cp;
        off += u8_decode(s + off, strlen(s + off), &cp);
        clean = !is_control(cp);
    }
    if (clean && width > 0 && w <= (size_t)width)
        FUZZ_ASSERT(strncmp(f, s, strlen(s)) == 0);
    free(f);
    free(s);
    return 0;
}
