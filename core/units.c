/*
** core/units.c — strict parsers for the values in scenario and profile
** files (see units.h). strtod/strtoull do the number work; this file only
** adds units, whole-string consumption and messages a user can act on.
*/
#include "core/units.h"
#include "core/error.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *skip_space(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* Parses a finite number at the start of text; *end points past it. */
static int leading_number(const char *text, double *value, const char **end)
{
    char *e;
    const char *s = skip_space(text);
    errno = 0;
    double v = strtod(s, &e);
    if (e == s)
        return 0;
    /* strtod accepts "inf", "nan" and hex floats; we want plain decimals. */
    for (const char *p = s; p < e; p++)
        if (!(isdigit((unsigned char)*p) || strchr("+-.eE", *p)))
            return 0;
    if (errno == ERANGE || !isfinite(v))
        return 0;
    *value = v;
    *end = e;
    return 1;
}

int adi_parse_time(const char *text, double *seconds)
{
    static const struct { const char *unit; double scale; } units[] = {
        {"s", 1.0}, {"ms", 1e-3}, {"us", 1e-6}, {"\xc2\xb5s", 1e-6},
        {"ns", 1e-9}, {"", 1.0},
    };
    double v;
    const char *end;
    if (!leading_number(text, &v, &end))
        return adi_fail(ADI_EINPUT,
                        "expected a time such as 50ms, 1.2s or 0.5, got '%s'", text);
    end = skip_space(end);
    size_t len = strlen(end);
    while (len && isspace((unsigned char)end[len - 1]))
        len--;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].unit) == len && strncmp(end, units[i].unit, len) == 0) {
            if (v < 0)
                return adi_fail(ADI_EINPUT, "expected a time >= 0, got '%s'", text);
            *seconds = v * units[i].scale;
            return ADI_OK;
        }
    }
    return adi_fail(ADI_EINPUT,
                    "unknown time unit in '%s' (expected s, ms, us or ns)", text);
}

int adi_check_time(double seconds, int zero_ok, const char *text)
{
    if ((zero_ok && seconds == 0) || (seconds >= ADI_TIME_MIN && seconds <= ADI_TIME_MAX))
        return ADI_OK;
    return adi_fail(ADI_EINPUT, "expected a time from 1 ps to 1e9 s%s, got '%s'",
                    zero_ok ? " (or 0)" : "", text);
}

int adi_parse_real(const char *text, double *value)
{
    const char *end;
    if (!leading_number(text, value, &end) || *skip_space(end) != '\0')
        return adi_fail(ADI_EINPUT, "expected a number, got '%s'", text);
    return ADI_OK;
}

int adi_parse_uint(const char *text, uint64_t min, uint64_t *value)
{
    const char *s = skip_space(text);
    const char *end;
    double v;
    if (*s == '-' || !leading_number(s, &v, &end) || *skip_space(end) != '\0')
        goto bad;
    if (strpbrk(s, ".eE") == NULL || strpbrk(s, ".eE") >= end) {
        /* Plain digits: use the integer parser so 2^64-1 stays exact. */
        char *e;
        errno = 0;
        unsigned long long u = strtoull(s, &e, 10);
        if (errno == ERANGE)
            goto bad;
        *value = u;
    } else {
        if (v != floor(v) || v >= 18446744073709551616.0)
            goto bad;
        *value = (uint64_t)v;
    }
    if (*value < min)
        return adi_fail(ADI_EINPUT, "expected an integer >= %llu, got '%s'",
                        (unsigned long long)min, text);
    return ADI_OK;
bad:
    return adi_fail(ADI_EINPUT, "expected a whole number >= %llu, got '%s'",
                    (unsigned long long)min, text);
}

int adi_parse_capacity(const char *text, uint64_t *capacity)
{
    const char *s = skip_space(text);
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    static const char *const infinite[] = {"inf", "infinite", "unbounded"};
    for (size_t i = 0; i < 3; i++)
        if (strlen(infinite[i]) == len && strncasecmp(s, infinite[i], len) == 0) {
            *capacity = ADI_CAPACITY_INF;
            return ADI_OK;
        }
    if (adi_parse_uint(text, 1, capacity) != ADI_OK || *capacity == ADI_CAPACITY_INF)
        return adi_fail(ADI_EINPUT,
                        "expected 'inf' or a positive number of waiting tasks, got '%s'",
                        text);
    return ADI_OK;
}

int adi_parse_rate(const char *text, double *per_second)
{
    double v;
    const char *end;
    if (!leading_number(text, &v, &end))
        goto bad;
    end = skip_space(end);
    double scale = 1.0;
    if (*end == '/') {
        double unit;
        /* "/s" or "/ms": reuse the time parser on "1<unit>". */
        char buf[16];
        if (snprintf(buf, sizeof buf, "1%s", end + 1) >= (int)sizeof buf ||
            adi_parse_time(buf, &unit) != ADI_OK || unit <= 0)
            goto bad;
        scale = 1.0 / unit;
    } else if (*end != '\0') {
        goto bad;
    }
    if (v <= 0 || !isfinite(v * scale))
        goto bad;
    *per_second = v * scale;
    return ADI_OK;
bad:
    return adi_fail(ADI_EINPUT,
                    "expected a positive rate such as 200, 200/s or 0.2/ms, got '%s'",
                    text);
}

/* The factor of `unit` in table[0..n) (exact text), or 0. */
typedef struct unit_factor {
    const char *unit;
    double factor;
} unit_factor;

static double factor_of(const char *unit, const unit_factor *table, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(unit, table[i].unit) == 0)
            return table[i].factor;
    return 0;
}

static const unit_factor byte_units[] = {
    {"B", 1}, {"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
    {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
};

/* A hint for units people write that adisim does not take, so the message
** says what to write instead ("" when there is none). */
static const char *unit_hint(const char *unit)
{
    static const struct { const char *unit, *hint; } hints[] = {
        {"KB", "; KB is ambiguous: write kB (1000 bytes) or KiB (1024 bytes)"},
        {"Kb", "; Kb is ambiguous: write kB (1000 bytes) or KiB (1024 bytes)"},
        {"kb", "; kb is ambiguous: write kB (1000 bytes) or KiB (1024 bytes)"},
        {"KB/s", "; KB/s is ambiguous: write kB/s (1000 bytes) or KiB/s (1024 bytes)"},
        {"Kbit/s", "; write kbit/s (1000 bits per second)"},
        {"kbps", "; write kbit/s"}, {"Kbps", "; write kbit/s"}, {"Mbps", "; write Mbit/s"},
        {"Gbps", "; write Gbit/s"}, {"bps", "; write bit/s"}, {"baud", "; write bit/s (a "
         "UART's baud rate is bits per second on the wire)"},
    };
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strcmp(unit, hints[i].unit) == 0)
            return hints[i].hint;
    return "";
}

int adi_parse_bandwidth(const char *text, int inf_ok, double *bytes_per_s)
{
    static const unit_factor units[] = {
        {"bit/s", 1 / 8.0}, {"kbit/s", 1e3 / 8}, {"Mbit/s", 1e6 / 8}, {"Gbit/s", 1e9 / 8},
        {"Tbit/s", 1e12 / 8}, {"B/s", 1}, {"kB/s", 1e3}, {"MB/s", 1e6}, {"GB/s", 1e9},
        {"TB/s", 1e12}, {"KiB/s", 1024.0}, {"MiB/s", 1048576.0}, {"GiB/s", 1073741824.0},
    };
    double v;
    const char *end = text;
    if (inf_ok && strcmp(text, "inf") == 0) {
        *bytes_per_s = INFINITY;
        return ADI_OK;
    }
    if (!leading_number(text, &v, &end))
        goto bad;
    double f = factor_of(skip_space(end), units, sizeof units / sizeof units[0]);
    if (!(f > 0) || !(v > 0) || !isfinite(v * f))
        goto bad;
    *bytes_per_s = v * f;
    return ADI_OK;
bad:
    return adi_fail(ADI_EINPUT, "expected a positive bandwidth with its unit such as 1Gbit/s, "
                    "50Mbit/s, 921600bit/s or 12.5MB/s%s, got '%s'%s",
                    inf_ok ? " (or inf)" : "", text, unit_hint(skip_space(end)));
}

int adi_parse_bytes(const char *text, double *bytes)
{
    double v;
    const char *end = text;
    if (!leading_number(text, &v, &end))
        goto bad;
    double f = factor_of(skip_space(end), byte_units, sizeof byte_units / sizeof byte_units[0]);
    if (!(f > 0) || !(v >= 0))
        goto bad;
    double b = v * f;
    if (!(b <= 0x1p53))
        return adi_fail(ADI_EINPUT, "'%s' is more than 2^53 bytes (9 PB, what is counted "
                        "exactly)", text);
    if (b != floor(b))
        return adi_fail(ADI_EINPUT, "'%s' is %.17g bytes: a task moves whole bytes", text, b);
    *bytes = b;
    return ADI_OK;
bad:
    return adi_fail(ADI_EINPUT, "expected a size with its unit such as 393216B, 384KiB or "
                    "1.5MB, got '%s'%s", text, unit_hint(skip_space(end)));
}

int adi_split_list(const char *text, char ***items, size_t *count)
{
    size_t n = 1, len = strlen(text);
    for (const char *p = text; *p; p++)
        n += (*p == ',');
    char **out = malloc(n * sizeof *out + len + 1);
    if (!out)
        return adi_fail(ADI_ENOMEM, "out of memory");
    char *buf = (char *)(out + n);
    memcpy(buf, text, len + 1);
    size_t i = 0;
    for (char *tok = buf;; i++) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        while (isspace((unsigned char)*tok))
            tok++;
        size_t tl = strlen(tok);
        while (tl && isspace((unsigned char)tok[tl - 1]))
            tok[--tl] = '\0';
        if (tl == 0) {
            free(out);
            return adi_fail(ADI_EINPUT,
                            "expected a comma-separated list without empty items, got '%s'",
                            text);
        }
        out[i] = tok;
        if (!comma)
            break;
        tok = comma + 1;
    }
    *items = out;
    *count = i + 1;
    return ADI_OK;
}

char *adi_format_exact(double x, char *buf, size_t size)
{
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

char *adi_format_time(double seconds, char *buf, size_t size)
{
    double a = fabs(seconds);
    if (a == 0)
        snprintf(buf, size, "0 s");
    else if (a < 1e-6)
        snprintf(buf, size, "%.4g ns", seconds * 1e9);
    else if (a < 1e-3)
        snprintf(buf, size, "%.4g us", seconds * 1e6);
    else if (a < 1)
        snprintf(buf, size, "%.4g ms", seconds * 1e3);
    else
        snprintf(buf, size, "%.4g s", seconds);
    return buf;
}

char *adi_format_choices(const char *(*name_at)(size_t i), const char *(*help_at)(size_t i),
                         size_t n, char *buf, size_t size)
{
    size_t len = 0;
    if (size)
        buf[0] = 0;
    for (size_t i = 0; i < n && len < size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int k = help_at ? snprintf(buf + len, size - len, "%s%s (%s)", sep, name_at(i), help_at(i))
                        : snprintf(buf + len, size - len, "%s%s", sep, name_at(i));
        if (k < 0)
            break;
        len += (size_t)k;
    }
    return buf;
}

int adi_parse_choice(const char *name, const char *(*name_at)(size_t i), size_t n,
                     size_t *index)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, name_at(i)) == 0) {
            *index = i;
            return ADI_OK;
        }
    char names[512];
    return adi_fail(ADI_EINPUT, "expected %s, got '%s'",
                    adi_format_choices(name_at, NULL, n, names, sizeof names), name);
}

int adi_check_choices(const char *what, size_t n, const char *(*name_at)(size_t i),
                      const char *(*lacks_at)(size_t i))
{
    for (size_t i = 0; i < n; i++) {
        const char *lacks = lacks_at(i);
        if (lacks)
            return adi_fail(ADI_EINTERNAL, "%s table entry %zu has no %s", what, i, lacks);
        for (size_t j = 0; j < i; j++)
            if (strcmp(name_at(j), name_at(i)) == 0)
                return adi_fail(ADI_EINTERNAL, "%s table entries %zu and %zu are both "
                                "called %s", what, j, i, name_at(i));
    }
    return ADI_OK;
}

/* value in decimal steps of 1000 over unit[0..4]; "inf" for INFINITY. */
static char *format_decimal(double value, const char *const unit[5], char *buf, size_t size)
{
    int u = 0;
    if (isinf(value)) {
        snprintf(buf, size, "inf");
        return buf;
    }
    while (u < 4 && value >= 1000) {
        value /= 1000;
        u++;
    }
    snprintf(buf, size, "%.4g %s", value, unit[u]);
    return buf;
}

char *adi_format_bandwidth(double bytes_per_s, char *buf, size_t size)
{
    static const char *const unit[5] = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s"};
    return format_decimal(bytes_per_s, unit, buf, size);
}

char *adi_format_bitrate(double bytes_per_s, char *buf, size_t size)
{
    static const char *const unit[5] = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"};
    return format_decimal(bytes_per_s * 8, unit, buf, size);
}
