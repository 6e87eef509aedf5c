/*
 * cli.c — helpers shared by the subcommands (see cli.h).
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/util.h"

#ifndef CARNET_DATADIR
#define CARNET_DATADIR "/usr/local/share/carnet"
#endif

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    /* Messages quote names, keys and file names from the data: a control
     * character among them must not reach the terminal. */
    char *clean = u8_clean(msg);
    fprintf(stderr, "carnet: %s\n", clean);
    free(clean);
    free(msg);
}

int cli_usage(const char *cmd, const char *args)
{
    fprintf(stderr, _("usage: carnet %s %s\n"), cmd, args ? args : "");
    fprintf(stderr, _("Try 'carnet --help' for more information.\n"));
    return EXIT_USAGE;
}

int cli_bad_usage(const char *name)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (!strcmp(c->name, name))
            return cli_usage(c->name, c->args);
    return cli_usage(name, "");
}

st_db *cli_open_study(cli_ctx *ctx, st_open_flags flags)
{
    st_db *db;
    st_error e = {0};
    if (st_open(ctx->db_path, flags, &db, &e) != ST_OK) {
        cli_error("%s", e.msg);
        return NULL;
    }
    return db;
}

void cli_print_diags_to(FILE *out, const diag_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        char *s = diag_format(&l->items[i]);
        char *clean = u8_clean(s);
        fprintf(out, "%s\n", clean);
        free(clean);
        free(s);
    }
}

void cli_print_diags(const diag_list *l)
{
    cli_print_diags_to(stderr, l);
}

char *cli_exe_dir(void)
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return xstrdup(".");
    buf[n] = '\0';
    return xstrdup(dirname(buf));
}

char *cli_data_file(const char *rel)
{
    const char *env = getenv("CARNET_DATADIR");
    char *dir = cli_exe_dir();
    /* Installed as PREFIX/bin/carnet, the data is at PREFIX/share/carnet:
     * looking there first makes an installed tree relocatable. */
    char *rel_share = xasprintf("%s/../share/carnet", dir);
    const char *bases[] = {env, dir, rel_share, CARNET_DATADIR};
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        if (str_empty(bases[i]))
            continue;
        char *p = xasprintf("%s/%s", bases[i], rel);
        if (access(p, R_OK) == 0) {
            free(dir);
            free(rel_share);
            return p;
        }
        free(p);
    }
    free(dir);
    free(rel_share);
    return NULL;
}

bool cli_write_file(const char *path, const char *data, size_t len, bool force, int mode)
{
    char *tmp = cli_temp_beside(path, force);
    if (!tmp)
        return false;
    int fd = open(tmp, O_WRONLY | O_CLOEXEC);
    bool ok = fd >= 0;
    size_t off = 0;
    while (ok && off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno != EINTR)
            ok = false;
        else if (w > 0)
            off += (size_t)w;
    }
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    if (!ok) {
        cli_error(_("%s: cannot write: %s; nothing was written"), path, strerror(errno));
        unlink(tmp);
    } else {
        ok = cli_replace_file(tmp, path, mode);
    }
    free(tmp);
    return ok;
}

char *cli_temp_beside(const char *path, bool force)
{
    struct stat sb;
    if (!force && stat(path, &sb) == 0) {
        cli_error(_("%s already exists; use --force to replace it"), path);
        return NULL;
    }
    char *tmp = xasprintf("%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        cli_error(_("%s: cannot write: %s"), path, strerror(errno));
        free(tmp);
        return NULL;
    }
    fchmod(fd, 0600);
    close(fd);
    return tmp;
}

bool cli_replace_file(const char *tmp, const char *path, int mode)
{
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    /* The writer may have created the file anew with the umask's mode. */
    ok = ok && chmod(tmp, (mode_t)mode) == 0 && rename(tmp, path) == 0;
    if (!ok) {
        cli_error(_("%s: cannot write: %s; nothing was written"), path, strerror(errno));
        unlink(tmp);
    }
    return ok;
}
