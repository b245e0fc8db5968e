/* identifiers.c — 档号 and 索引号 (identifiers.h). */
#include "identifiers.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"

static int code_valid(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]))
            return 0;
    return 1;
}

int gk_org_code_valid(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (n != 9 && n != 18)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)code[i]) && !isupper((unsigned char)code[i]))
            return 0;
    return 1;
}

int gk_filing_valid(const gk_filing_t *f, char *err, size_t errlen)
{
    if (!f->fonds)
        return 1;
    if (!code_valid(f->fonds, 16)) {
        snprintf(err, errlen, "--fonds wants a 全宗号 of letters and digits, not '%s'", f->fonds);
        return 0;
    }
    if (f->klass && !code_valid(f->klass, 8)) {
        snprintf(err, errlen, "the 门类代码 is letters and digits, not '%s'", f->klass);
        return 0;
    }
    if (!f->retention ||
        (strcmp(f->retention, "Y") != 0 && strcmp(f->retention, "D30") != 0 && strcmp(f->retention, "D10") != 0)) {
        snprintf(err, errlen, "--retention is Y (永久), D30 or D10 when --fonds is given");
        return 0;
    }
    if (!code_valid(f->org, 16)) {
        snprintf(err, errlen, "--org wants the 机构（问题）代码 (letters and digits) when --fonds is given");
        return 0;
    }
    if (f->year < 1900 || f->year > 2999) {
        snprintf(err, errlen, "--year (a four-digit 年度) is needed when --fonds is given");
        return 0;
    }
    return 1;
}

gk_status_t gk_assign_archive_code(gk_data_t *d, const gk_filing_t *f, char **out)
{
    *out = NULL;
    if (!f->fonds)
        return GK_OK;
    /* The class the 件号 counts in is the 档号 without its 件号. */
    char klass[128];
    snprintf(klass, sizeof klass, "%s-%s·%d-%s-%s", f->fonds, f->klass ? f->klass : "WS", f->year, f->retention,
             f->org);
    char series[160];
    snprintf(series, sizeof series, "件号 %s", klass);
    int64_t n;
    gk_status_t rc = gk_catalogue_next_number(d, series, &n);
    if (rc != GK_OK)
        return rc;
    char code[160];
    snprintf(code, sizeof code, "%s-%04lld", klass, (long long)n);
    return (*out = strdup(code)) ? GK_OK : GK_ERR_NOMEM;
}

char *gk_index_no_format(const char *pattern, const char *org, int year, int64_t seq)
{
    gk_buf_t b = GK_BUF_INIT;
    for (const char *p = pattern; *p;) {
        if (*p != '{') {
            gk_buf_putc(&b, *p++);
            continue;
        }
        const char *end = strchr(p, '}');
        if (!end) {
            gk_buf_free(&b);
            return NULL;
        }
        size_t n = (size_t)(end - p - 1);
        if (n == 3 && memcmp(p + 1, "org", 3) == 0) {
            gk_buf_puts(&b, org ? org : "");
        } else if (n == 4 && memcmp(p + 1, "year", 4) == 0) {
            gk_buf_printf(&b, "%04d", year);
        } else if (n == 3 && memcmp(p + 1, "seq", 3) == 0) {
            gk_buf_printf(&b, "%lld", (long long)seq);
        } else if (n == 5 && memcmp(p + 1, "seq:", 4) == 0 && p[5] >= '1' && p[5] <= '9') {
            gk_buf_printf(&b, "%0*lld", p[5] - '0', (long long)seq);
        } else {
            gk_buf_free(&b);
            return NULL;
        }
        p = end + 1;
    }
    return gk_buf_steal(&b);
}

gk_status_t gk_assign_index_no(gk_data_t *d, int year, char **out)
{
    *out = NULL;
    char *org = NULL, *pattern = NULL;
    gk_status_t rc = gk_setting_get(d, GK_SETTING_INDEX_ORG, &org);
    if (rc == GK_OK || rc == GK_ERR_NOT_FOUND)
        rc = gk_setting_get(d, GK_SETTING_INDEX_PATTERN, &pattern);
    if (rc != GK_OK && rc != GK_ERR_NOT_FOUND) {
        free(org);
        return rc;
    }
    if (!year) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        year = tm.tm_year + 1900;
    }
    /* Without an organisation code the number is the year and sequence. */
    const char *pat = pattern ? pattern : org ? GK_DEFAULT_INDEX_PATTERN : "{year}-{seq:5}";
    char series[160];
    snprintf(series, sizeof series, "索引号 %s %d", org ? org : "", year);
    int64_t n;
    rc = gk_catalogue_next_number(d, series, &n);
    if (rc == GK_OK && !(*out = gk_index_no_format(pat, org, year, n)))
        rc = GK_ERR_INVALID;
    free(org);
    free(pattern);
    return rc;
}
