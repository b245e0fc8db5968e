/*
 * identifiers.h — the two numbers an archived item is known by besides its
 * id:
 *
 *   档号 (archive code, DA/T 22-2015) for items filed into a fonds:
 *       全宗号-门类代码·年度-保管期限-机构代码-件号, e.g. Z109-WS·2024-D30-BGS-0001,
 *       the 件号 gap-free and unique within (全宗, 门类, 年度, 保管期限, 机构);
 *   索引号 (disclosure index number) for every item, from a pattern set
 *       per data directory: {org}/{year}-{seq:5} by default, e.g.
 *       11330100002490357X/2024-00123, the sequence per org and year.
 *
 * Numbers are taken inside the catalogue transaction that adds the item
 * (gk_catalogue_next_number), so they stay unique and gap-free with
 * several workers or several archive runs.
 */
#ifndef GK_IDENTIFIERS_H
#define GK_IDENTIFIERS_H

#include <stddef.h>

#include "gongkai.h"

/* Settings (gk_setting_get) read by gk_assign_index_no. */
#define GK_SETTING_INDEX_ORG "index_no.org"         /* 统一社会信用代码 or 组织机构代码 */
#define GK_SETTING_INDEX_PATTERN "index_no.pattern" /* {org} {year} {seq} {seq:N} */
#define GK_DEFAULT_INDEX_PATTERN "{org}/{year}-{seq:5}"

typedef struct gk_filing {
    const char *fonds;     /* 全宗号; NULL: the item gets no 档号 */
    const char *klass;     /* 门类代码, default "WS" (文书) */
    const char *retention; /* 保管期限: Y (永久), D30, D10 */
    const char *org;       /* 机构（问题）代码 */
    int year;              /* 年度 */
} gk_filing_t;

/* Is F complete and well formed (ASCII letters and digits, a known
 * retention, a four-digit year)? Else a message in ERR. A filing without
 * a fonds is valid: nothing is filed. */
int gk_filing_valid(const gk_filing_t *f, char *err, size_t errlen);

/* Is CODE a 统一社会信用代码 (18 characters) or 组织机构代码 (9), digits and
 * upper-case letters? */
int gk_org_code_valid(const char *code);

/* The next 档号 of F (inside a transaction); *out malloc'd, NULL when F has
 * no fonds. */
gk_status_t gk_assign_archive_code(gk_data_t *d, const gk_filing_t *f, char **out);

/* Expand PATTERN for ORG and YEAR with sequence number SEQ; NULL when the
 * pattern is malformed (an unknown {name}). Exposed for tests. */
char *gk_index_no_format(const char *pattern, const char *org, int year, int64_t seq);

/* The next 索引号 for an item of YEAR (inside a transaction), from the data
 * directory's settings; *out malloc'd. */
gk_status_t gk_assign_index_no(gk_data_t *d, int year, char **out);

#endif
