/* cmd_export.c — gongkai export: a year's 归档文件目录 and 公开目录. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: gongkai export --year Y [--list filing|disclosure] [--format csv|json] [-o FILE]\n"
    "\n"
    "The year's lists, from the catalogue:\n"
    "  filing      归档文件目录 (DA/T 22): 件号, 档号, 责任者, 文号, 题名, 日期, 页数,\n"
    "              公开属性, 备注, 文件名 — every item; archive --manifest reads it back\n"
    "  disclosure  公开目录: 索引号, 名称, 内容概述, 生成日期, 发布机构, 文号, 类别 —\n"
    "              the items disclosed proactively (主动公开)\n"
    "CSV (UTF-8 with a byte order mark, which spreadsheet programs need) holds one list,\n"
    "filing unless --list says otherwise; JSON holds both unless --list says one.\n";

static const char *const filing_cols[] = {"件号", "档号", "责任者", "文号", "题名",
                                          "日期", "页数", "公开属性", "备注", "文件名"};
static const char *const disclosure_cols[] = {"索引号", "名称", "内容概述", "生成日期", "发布机构", "文号", "类别"};
#define NFILING (sizeof filing_cols / sizeof filing_cols[0])
#define NDISCLOSURE (sizeof disclosure_cols / sizeof disclosure_cols[0])

typedef struct out {
    FILE *f;
    int csv, disclosure;
    json_t *list;
} out_t;

static const char *vis_label(gk_visibility_t v)
{
    return v == GK_VIS_PUBLIC ? "主动公开" : v == GK_VIS_APPLICATION ? "依申请公开" : "不予公开";
}

/* The values of one row of the list, in column order. */
static void row_values(const out_t *o, const gk_export_row_t *row, const char **v, char *buf, size_t buflen)
{
    const gk_item_t *it = row->item;
    if (o->disclosure) {
        const char *vals[NDISCLOSURE] = {it->index_no, it->title, row->summary, it->date,
                                         it->organ,    it->docno, it->category};
        memcpy(v, vals, sizeof vals);
        return;
    }
    /* 件号: the last part of the 档号, else the place in this list. */
    const char *dash = it->archive_code ? strrchr(it->archive_code, '-') : NULL;
    char *number = buf, *date = buf + 32, *pages = buf + 64;
    if (dash)
        snprintf(number, 32, "%s", dash + 1);
    else
        snprintf(number, 32, "%lld", (long long)row->number);
    snprintf(date, 32, "%s", "");
    if (it->date && strlen(it->date) == 10)
        snprintf(date, 32, "%.4s%.2s%.2s", it->date, it->date + 5, it->date + 8);
    snprintf(pages, buflen - 64, "%s", "");
    if (it->pages > 0)
        snprintf(pages, buflen - 64, "%d", it->pages);
    const char *vals[NFILING] = {number, it->archive_code, it->organ, it->docno, it->title, date,
                                 pages,  vis_label(it->visibility), "", it->filename};
    memcpy(v, vals, sizeof vals);
}

static void on_row(void *ctx, const gk_export_row_t *row)
{
    out_t *o = ctx;
    const char *v[NFILING > NDISCLOSURE ? NFILING : NDISCLOSURE];
    char buf[128];
    row_values(o, row, v, buf, sizeof buf);
    size_t n = o->disclosure ? NDISCLOSURE : NFILING;
    const char *const *cols = o->disclosure ? disclosure_cols : filing_cols;
    if (o->csv) {
        for (size_t i = 0; i < n; i++)
            cli_csv_field(o->f, v[i], i + 1 == n);
        return;
    }
    json_t *j = json_object();
    for (size_t i = 0; i < n; i++)
        json_object_set_new(j, cols[i], v[i] && *v[i] ? json_string(v[i]) : json_null());
    json_object_set_new(j, "id", json_integer(row->item->id));
    json_array_append_new(o->list, j);
}

static gk_status_t export_list(gk_data_t *d, int year, out_t *o)
{
    if (o->csv) {
        fputs("\xEF\xBB\xBF", o->f);
        size_t n = o->disclosure ? NDISCLOSURE : NFILING;
        for (size_t i = 0; i < n; i++)
            cli_csv_field(o->f, o->disclosure ? disclosure_cols[i] : filing_cols[i], i + 1 == n);
    } else {
        o->list = json_array();
    }
    return gk_export_items(d, year, o->disclosure, on_row, o);
}

int cmd_export(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    static const struct option opts[] = {{"year", required_argument, 0, 'y'},
                                         {"list", required_argument, 0, 'l'},
                                         {"format", required_argument, 0, 'f'},
                                         {"output", required_argument, 0, 'o'},
                                         {0, 0, 0, 0}};
    int year = 0, c, csv = 1, lists = 0; /* lists: 0 default, 1 filing, 2 disclosure */
    const char *path = NULL;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        if (c == 'y') {
            char *end;
            long y = strtol(optarg, &end, 10);
            year = *end || y < 1900 || y > 2999 ? -1 : (int)y;
        } else if (c == 'l' && (strcmp(optarg, "filing") == 0 || strcmp(optarg, "disclosure") == 0)) {
            lists = strcmp(optarg, "filing") == 0 ? 1 : 2;
        } else if (c == 'f' && (strcmp(optarg, "csv") == 0 || strcmp(optarg, "json") == 0)) {
            csv = strcmp(optarg, "csv") == 0;
        } else if (c == 'o') {
            path = optarg;
        } else {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (year <= 0 || optind != argc) {
        cli_error("export", "--year wants a year such as 2024");
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    gk_data_t *d;
    int rc = cli_open(cli, GK_OPEN_READ, &d);
    if (rc)
        return rc;
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (!f) {
        cli_error("export", "cannot write %s", path);
        gk_data_close(d);
        return EXIT_DATA;
    }
    gk_status_t st = GK_OK;
    if (csv) {
        out_t o = {f, 1, lists == 2, NULL};
        st = export_list(d, year, &o);
    } else {
        json_t *doc = json_pack("{s:i}", "year", year);
        for (int k = 1; k <= 2 && st == GK_OK; k++) {
            if (lists && lists != k)
                continue;
            out_t o = {f, 0, k == 2, NULL};
            st = export_list(d, year, &o);
            json_object_set_new(doc, k == 1 ? "filing" : "disclosure", o.list);
        }
        if (st == GK_OK) {
            json_dumpf(doc, f, JSON_COMPACT);
            fputc('\n', f);
        }
        json_decref(doc);
    }
    if (path && fclose(f) != 0 && st == GK_OK) {
        cli_error("export", "cannot write %s", path);
        gk_data_close(d);
        return EXIT_DATA;
    }
    if (st != GK_OK)
        cli_error("export", "%s", gk_data_error(d));
    gk_data_close(d);
    return st == GK_OK ? EXIT_OK : cli_exit_code(st);
}
