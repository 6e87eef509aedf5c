/*
 * xlsx_check.c — reading a finished workbook back, to make sure every
 * worksheet holds all the rows that were written to it.
 *
 * libxlsxwriter's constant_memory mode keeps each sheet's rows in a
 * temporary file until the workbook is closed, and does not check those
 * writes: on a full disk, or past a file-size limit, it silently builds a
 * workbook whose sheets stop in the middle of a row, and reports success.
 * Since nothing half-written may ever reach the final name, the workbook is
 * read back before it is renamed: for each worksheet, its XML is inflated
 * (zlib) and must end its sheet data with the last row written to it.  This
 * reads the ZIP central directory itself (with ZIP64 extensions) and costs
 * about a second per 300 MB of sheet XML.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/i18n.h"
#include "core/util.h"
#include "export/export.h"

static uint64_t le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static bool bad(ex_error *e, const char *path, const char *why)
{
    snprintf(e->msg, sizeof e->msg, _("%s: the workbook is incomplete (%s); the disk may be full. Nothing was "
                                      "written"),
             path, why);
    return false;
}

static bool read_at(FILE *f, uint64_t off, void *buf, size_t n)
{
    return fseeko(f, (off_t)off, SEEK_SET) == 0 && fread(buf, 1, n, f) == n;
}

static bool tail_ok(const char *tail, size_t ntail, const char *want, size_t nwant, bool seen, unsigned long last);

/* Inflates the entry at `data` (csize bytes) and checks that its sheet
 * data ends with row `last` (1-based as in the XML). */
static bool sheet_ok(FILE *f, uint64_t data, uint64_t csize, unsigned long last)
{
    if (fseeko(f, (off_t)data, SEEK_SET) != 0)
        return false;
    z_stream z = {0};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        return false;
    enum { CHUNK = 1 << 16, TAIL = 1 << 17 };
    unsigned char *in = xmalloc(CHUNK), *out = xmalloc(CHUNK);
    /* The tail of the XML: enough to hold the last row and the end. */
    char *tail = xmalloc(TAIL);
    size_t ntail = 0;
    char want[48];
    int nwant = snprintf(want, sizeof want, "<row r=\"%lu\"", last);
    bool seen = false; /* the last row's start seen in a previous window */
    int rc = Z_OK;
    uint64_t left = csize;
    while (rc != Z_STREAM_END) {
        if (!z.avail_in) {
            size_t n = left < CHUNK ? (size_t)left : CHUNK;
            if (!n || fread(in, 1, n, f) != n)
                break;
            left -= n;
            z.next_in = in;
            z.avail_in = (uInt)n;
        }
        z.next_out = out;
        z.avail_out = CHUNK;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
        size_t got = CHUNK - z.avail_out; /* at most CHUNK, less than TAIL */
        /* Keep a sliding tail; remember whether the last row started in
         * the part that slides out. */
        if (ntail + got > TAIL) {
            size_t drop = ntail + got - TAIL;
            char *hit = memmem(tail, ntail, want, (size_t)nwant);
            if (hit && (size_t)(hit - tail) < drop)
                seen = true;
            memmove(tail, tail + drop, ntail - drop);
            ntail -= drop;
        }
        memcpy(tail + ntail, out, got);
        ntail += got;
    }
    inflateEnd(&z);
    free(in);
    free(out);
    bool ok = rc == Z_STREAM_END && tail_ok(tail, ntail, want, (size_t)nwant, seen, last);
    free(tail);
    return ok;
}

/* The end of a sheet's XML: its sheet data closes right after the whole
 * last row (want is that row's opening, already passed when seen). */
static bool tail_ok(const char *tail, size_t ntail, const char *want, size_t nwant, bool seen, unsigned long last)
{
    const char *end = memmem(tail, ntail, "</sheetData>", 12);
    if (!end)
        return last == 0 && memmem(tail, ntail, "<sheetData/>", 12);
    if (last == 0)
        return true;
    const char *row = NULL;
    for (const char *p = tail; (p = memmem(p, (size_t)(end - p), want, nwant)); p++)
        row = p;
    if (!row && !seen)
        return false;
    /* The last row must be whole: its end just before </sheetData>. */
    return end - tail >= 6 && !memcmp(end - 6, "</row>", 6);
}

bool ex_xlsx_verify(const char *path, const unsigned long *last_rows, size_t nsheets, ex_error *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(e->msg, sizeof e->msg, _("%s: cannot read the workbook back: %s"), path, strerror(errno));
        return false;
    }
    bool ok = false;
    unsigned char buf[66000];
    if (fseeko(f, 0, SEEK_END) != 0)
        goto out;
    off_t size = ftello(f);
    size_t n = size < (off_t)sizeof buf ? (size_t)size : sizeof buf;
    if (n < 22 || !read_at(f, (uint64_t)size - n, buf, n)) {
        ok = bad(e, path, "no ZIP directory");
        goto out;
    }
    /* End of central directory, then the ZIP64 one when the sizes
     * overflow 32 bits. */
    long eocd = -1;
    for (long i = (long)n - 22; i >= 0; i--)
        if (le(buf + i, 4) == 0x06054b50) {
            eocd = i;
            break;
        }
    if (eocd < 0) {
        ok = bad(e, path, "no ZIP directory");
        goto out;
    }
    uint64_t entries = le(buf + eocd + 10, 2), cd = le(buf + eocd + 16, 4);
    if ((entries == 0xFFFF || cd == 0xFFFFFFFFu) && eocd >= 20 && le(buf + eocd - 20, 4) == 0x07064b50) {
        unsigned char z64[56];
        if (!read_at(f, le(buf + eocd - 20 + 8, 8), z64, sizeof z64) || le(z64, 4) != 0x06064b50) {
            ok = bad(e, path, "bad ZIP64 directory");
            goto out;
        }
        entries = le(z64 + 32, 8);
        cd = le(z64 + 48, 8);
    }
    size_t checked = 0;
    uint64_t at = cd;
    for (uint64_t k = 0; k < entries; k++) {
        unsigned char h[46];
        char name[256];
        if (!read_at(f, at, h, sizeof h) || le(h, 4) != 0x02014b50) {
            ok = bad(e, path, "bad ZIP directory");
            goto out;
        }
        uint64_t csize = le(h + 20, 4), usize = le(h + 24, 4), local = le(h + 42, 4);
        size_t nl = (size_t)le(h + 28, 2), xl = (size_t)le(h + 30, 2), cl = (size_t)le(h + 32, 2);
        unsigned method = (unsigned)le(h + 10, 2);
        unsigned char extra[1024];
        size_t nn = nl < sizeof name - 1 ? nl : sizeof name - 1;
        if (!read_at(f, at + 46, name, nn) || (xl && (xl > sizeof extra || !read_at(f, at + 46 + nl, extra, xl)))) {
            ok = bad(e, path, "bad ZIP directory");
            goto out;
        }
        name[nn] = '\0';
        /* ZIP64 extra field: the 8-byte values of the fields that
         * overflowed, in this order. */
        for (size_t x = 0; x + 4 <= xl;) {
            size_t id = (size_t)le(extra + x, 2), len = (size_t)le(extra + x + 2, 2), p = x + 4;
            if (id == 1) {
                if (usize == 0xFFFFFFFFu && p + 8 <= x + 4 + len)
                    usize = le(extra + p, 8), p += 8;
                if (csize == 0xFFFFFFFFu && p + 8 <= x + 4 + len)
                    csize = le(extra + p, 8), p += 8;
                if (local == 0xFFFFFFFFu && p + 8 <= x + 4 + len)
                    local = le(extra + p, 8);
            }
            x += 4 + len;
        }
        (void)usize;
        at += 46 + nl + xl + cl;
        unsigned idx;
        char tailc;
        if (sscanf(name, "xl/worksheets/sheet%u.xml%c", &idx, &tailc) != 1 || idx < 1 || idx > nsheets)
            continue;
        unsigned char lh[30];
        if (method != 8 || !read_at(f, local, lh, sizeof lh) || le(lh, 4) != 0x04034b50) {
            ok = bad(e, path, "bad ZIP entry");
            goto out;
        }
        uint64_t data = local + 30 + le(lh + 26, 2) + le(lh + 28, 2);
        if (!sheet_ok(f, data, csize, last_rows[idx - 1])) {
            char why[300];
            snprintf(why, sizeof why, "%s stops before its last row", name);
            ok = bad(e, path, why);
            goto out;
        }
        checked++;
    }
    ok = checked == nsheets || bad(e, path, "a worksheet is missing");
out:
    fclose(f);
    return ok;
}
