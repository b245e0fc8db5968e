/* cmd_archive.c — gongkai archive PATH... */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "cli.h"
#include "taxonomy.h"
#include "walk.h"

static const char usage[] =
    "usage: gongkai archive PATH... [--year Y] [--category C] [--type T]\n"
    "                               [--visibility public|application|internal]\n"
    "                               [--fonds F --retention Y|D30|D10 --org CODE [--class WS]]\n"
    "                               [--org-code CODE] [--manifest FILE.csv] [--jobs N]\n"
    "                               [--report FILE] [--retry-failed]\n"
    "                               [--limit NAME=VALUE]... [--json]\n"
    "\n"
    "Archive files and directories (recursively). Each file is stored once by its\n"
    "SHA-256; a file whose bytes are already archived is reported as a duplicate of\n"
    "the existing item. Files that cannot be read are reported and skipped; the\n"
    "batch goes on. Ctrl-C finishes the current batch, brings the index up to it\n"
    "and stops (a second Ctrl-C stops at once: the index catches up at the next\n"
    "command); run the same command again to go on.\n"
    "\n"
    "  --year Y          archive year (年度) of these items; default: the year of each\n"
    "                    item's 成文日期\n"
    "  --category C      catalogue category (公开目录 class); default: the rules of\n"
    "                    DATA/category-rules.tsv (see gongkai categories)\n"
    "  --type T          record type (文种); default: read from the title\n"
    "  --visibility V    public (主动公开), application (依申请公开), internal; default:\n"
    "                    the printed 公开方式, else public\n"
    "  --fonds F         file the items with a 档号 (DA/T 22): 全宗号 F, with --year,\n"
    "                    --retention (保管期限), --org (机构代码) and --class (门类, WS);\n"
    "                    件号 run on without gaps within each class\n"
    "  --report FILE     write the files that failed, with why: CSV (path, status,\n"
    "                    error), or JSON when FILE ends in .json\n"
    "  --retry-failed    archive again the files earlier runs could not take (they\n"
    "                    are kept in the catalogue until a run takes them)\n"
    "  --jobs N          threads working at once: N files prepared (read, extracted,\n"
    "                    tagged) and the index writers share N cores; default: the\n"
    "                    number of cores\n"
    "  --manifest FILE   a 归档文件目录 (CSV, UTF-8 or GB18030; columns 件号, 责任者, 文号,\n"
    "                    题名, 日期, 页数, 密级/公开属性, 备注, 文件名) whose values win over\n"
    "                    what the documents print; refused whole if malformed; rows\n"
    "                    without a file and files without a row are reported\n"
    "  --org-code CODE   the 统一社会信用代码 (or 组织机构代码) that starts every 索引号,\n"
    "                    kept for later runs; 索引号 are CODE/YEAR-NNNNN\n"
    "  --limit NAME=VALUE  change an extraction limit: file-size, text-size,\n"
    "                    inflated-size, memory (bytes; K, M, G suffixes), inflate-ratio,\n"
    "                    zip-entries, xml-depth, pages, seconds (per file). Defaults:\n"
    "                    file-size=256M text-size=64M inflated-size=256M memory=2G\n"
    "                    inflate-ratio=200 zip-entries=10000 xml-depth=256\n"
    "                    pages=10000 seconds=60\n"
    "  --json            print the summary as JSON\n"
    "\n"
    "Exit status: 0 all archived or duplicate, 1 some failed, 2 usage, 4 data\n"
    "directory unusable, 130 interrupted.\n";

/* A run adding at least this many items, and a quarter of the archive,
 * compacts the index: below that the index is small enough to stay in the
 * page cache either way, and the compaction would cost more than it saves. */
#define COMPACT_AFTER 5000

static volatile sig_atomic_t stop_flag;

/* SIGINT and SIGTERM counted: the first stops taking files, and the index
 * is brought up to what was committed; one during that stops it too. */
static void on_signal(int sig)
{
    (void)sig;
    if (stop_flag < 100)
        stop_flag++;
}

typedef struct tally {
    int json, tty;
    int64_t added, duplicate, failed, files, bytes;
    int64_t total;             /* files in the run, counted first for the progress line */
    int64_t taken, taken_bytes; /* files the writer has taken so far, and their size */
    int signals;               /* signals already seen when the index began to catch up */
    json_t *items;
    json_t *failures;          /* [{path, status, error}] for --report */
    int manifest;              /* a manifest was given */
    json_t *without_row;       /* files the manifest has no row for */
    struct timespec t0;
} tally_t;

static double elapsed(const tally_t *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->t0.tv_sec) + (double)(now.tv_nsec - t->t0.tv_nsec) / 1e9;
}

/* Columns a UTF-8 string takes on a terminal: CJK characters (three-byte
 * sequences, nearly all of them in file names here) take two. */
static size_t columns(const char *s)
{
    size_t c = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            c += *p >= 0xE0 ? 2 : 1;
    return c;
}

/* One line, redrawn: done/total, MB/s, ETA, failures, the file at hand.
 * Done counts the files taken so far; they are reported as added only when
 * their batch commits. The line never wraps: a wrapped line could not be
 * redrawn in place. */
static void show_progress(const tally_t *t, const char *path)
{
    double s = elapsed(t);
    char eta[32] = "", head[160];
    if (t->total > t->taken && t->taken > 0 && s > 1) {
        long left = (long)(s / (double)t->taken * (double)(t->total - t->taken));
        snprintf(eta, sizeof eta, "  ETA %ld:%02ld", left / 60, left % 60);
    }
    snprintf(head, sizeof head, "%lld/%lld files  %.1f MB/s%s  %lld failed  ", (long long)t->taken,
             (long long)(t->total > t->taken ? t->total : t->taken), s > 0 ? (double)t->taken_bytes / 1e6 / s : 0.0,
             eta, (long long)t->failed);
    struct winsize ws;
    size_t width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
    /* Up to the last column but one, which some terminals wrap at. */
    size_t room = width > strlen(head) + 1 ? width - strlen(head) - 1 : 0;
    /* The end of a long path says more than its start. */
    const char *tail = path;
    if (columns(path) > room) {
        while (*tail && columns(tail) + 1 > room) { /* 1 for "…" */
            tail++;
            while (((unsigned char)*tail & 0xC0) == 0x80)
                tail++;
        }
    }
    fprintf(stderr, "\r\033[K%.*s%s%s", (int)(width > 1 ? width - 1 : 0), head, tail != path && room ? "…" : "",
            tail);
}

static int count_file(void *ctx, const char *path, gk_status_t status, const char *error)
{
    (void)path, (void)status, (void)error;
    ((tally_t *)ctx)->total++;
    return 0;
}

static void on_event(void *ctx, const char *path, const gk_archive_event_t *ev)
{
    tally_t *t = ctx;
    if (!ev) {
        t->taken++;
        if (t->tty) {
            struct stat sb;
            if (stat(path, &sb) == 0)
                t->taken_bytes += sb.st_size;
            show_progress(t, path);
        }
        return;
    }
    t->files++;
    t->bytes += ev->bytes;
    const char *status = "added";
    switch (ev->outcome) {
    case GK_ARCHIVE_ADDED: t->added++; break;
    case GK_ARCHIVE_DUPLICATE: t->duplicate++; status = "duplicate"; break;
    case GK_ARCHIVE_FAILED:
        t->failed++;
        status = "failed";
        json_array_append_new(t->failures, json_pack("{s:s, s:s, s:s}", "path", ev->path, "status",
                                                     gk_status_to_string(ev->status), "error",
                                                     ev->error ? ev->error : ""));
        if (!t->json) {
            if (t->tty)
                fprintf(stderr, "\r\033[K");
            fprintf(stderr, "gongkai: archive: %s: %s\n", ev->path, ev->error ? ev->error : "failed");
        }
        break;
    }
    if (t->manifest && ev->manifest_line == 0 && ev->outcome != GK_ARCHIVE_FAILED)
        json_array_append_new(t->without_row, json_string(ev->path));
    if (t->items) {
        json_t *o = json_pack("{s:s, s:s}", "path", ev->path, "status", status);
        if (t->manifest)
            json_object_set_new(o, "manifest_line", ev->manifest_line ? json_integer(ev->manifest_line) : json_null());
        json_object_set_new(o, "id", ev->outcome == GK_ARCHIVE_FAILED ? json_null() : json_integer(ev->id));
        json_object_set_new(o, "error", ev->error ? json_string(ev->error) : json_null());
        json_array_append_new(t->items, o);
    }
}

/* What the manifest and the files did not agree on: {"file", "rows",
 * "rows_without_file": [{"line", "file"}], "files_without_row": [path]};
 * NULL without a manifest. */
static json_t *manifest_report(tally_t *t, gk_manifest_t *m, const char *path)
{
    if (!m)
        return NULL;
    json_t *rows = json_array();
    for (size_t i = 0; i < gk_manifest_count(m); i++) {
        const gk_manifest_row_t *row = gk_manifest_row(m, i);
        if (!row->used)
            json_array_append_new(rows, json_pack("{s:i, s:s}", "line", row->line, "file", row->file));
    }
    json_t *r = json_pack("{s:s, s:I, s:o, s:o}", "file", path, "rows", (json_int_t)gk_manifest_count(m),
                          "rows_without_file", rows, "files_without_row", t->without_row);
    t->without_row = NULL;
    return r;
}

static void print_manifest_report(const json_t *r)
{
    if (!r)
        return;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(r, "rows_without_file"), i, e)
        fprintf(stderr, "gongkai: archive: %s:%lld: no file %s was archived\n",
                json_string_value(json_object_get(r, "file")), (long long)json_integer_value(json_object_get(e, "line")),
                json_string_value(json_object_get(e, "file")));
    json_array_foreach(json_object_get(r, "files_without_row"), i, e)
        fprintf(stderr, "gongkai: archive: %s: not in the manifest\n", json_string_value(e));
}

static void collect_failure(void *ctx, const char *path, const char *status, const char *error, const char *at)
{
    (void)status, (void)error, (void)at;
    json_array_append_new(ctx, json_string(path));
}

/* The files this run could not take, with why: JSON when PATH ends in
 * .json, else CSV (path, status, error). 0 when written. */
static int write_report(const char *path, json_t *failures)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = strlen(path);
    if (n >= 5 && strcmp(path + n - 5, ".json") == 0) {
        json_t *doc = json_pack("{s:I, s:O}", "failed", (json_int_t)json_array_size(failures), "files", failures);
        json_dumpf(doc, f, JSON_COMPACT);
        fputc('\n', f);
        json_decref(doc);
    } else {
        fputs("path,status,error\r\n", f);
        size_t i;
        json_t *e;
        json_array_foreach(failures, i, e) {
            cli_csv_field(f, json_string_value(json_object_get(e, "path")), 0);
            cli_csv_field(f, json_string_value(json_object_get(e, "status")), 0);
            cli_csv_field(f, json_string_value(json_object_get(e, "error")), 1);
        }
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* A signal while the index catches up stops the writers, which commit
 * what they have: the index goes on at the next command that uses it. */
static int on_index_progress(void *ctx, const gk_index_progress_t *p)
{
    tally_t *t = ctx;
    if (t->tty)
        fprintf(stderr, "\r\033[Kindexing %lld/%lld%s", (long long)p->applied, (long long)p->pending,
                t->signals ? "  (Ctrl-C again to leave the rest for later)" : "");
    return stop_flag > t->signals;
}

int cmd_archive(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    static const struct option opts[] = {
        {"year", required_argument, 0, 'y'},       {"category", required_argument, 0, 'c'},
        {"type", required_argument, 0, 't'},       {"visibility", required_argument, 0, 'v'},
        {"json", no_argument, 0, 'j'},             {"limit", required_argument, 0, 'l'},
        {"fonds", required_argument, 0, 'F'},      {"retention", required_argument, 0, 'R'},
        {"org", required_argument, 0, 'O'},        {"class", required_argument, 0, 'K'},
        {"org-code", required_argument, 0, 'I'},   {"manifest", required_argument, 0, 'M'},
        {"jobs", required_argument, 0, 'J'},      {"report", required_argument, 0, 'P'},
        {"retry-failed", no_argument, 0, 'T'},
        {0, 0, 0, 0},
    };
    gk_archive_opts_t o;
    gk_archive_opts_init(&o);
    /* As many workers as cores: extraction and tagging are CPU work. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.jobs = cores < 1 ? 1 : cores > GK_ARCHIVE_MAX_JOBS ? GK_ARCHIVE_MAX_JOBS : (int)cores;
    gk_isolate_t *isolates[GK_ARCHIVE_MAX_JOBS] = {0};
    const char *org_code = NULL, *manifest_path = NULL, *report_path = NULL;
    int retry_failed = 0;
    json_t *retry = NULL; /* the paths of --retry-failed */
    tally_t t = {0};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'y': {
            char *end;
            long y = strtol(optarg, &end, 10);
            if (*end || y < 1900 || y > 2999) {
                cli_error("archive", "--year wants a year such as 2024, not '%s'", optarg);
                return EXIT_USAGE;
            }
            o.year = (int)y;
            break;
        }
        case 'c': o.category = optarg; break;
        case 't': o.type = optarg; break;
        case 'v':
            o.visibility_given = 1;
            if (gk_visibility_parse(optarg, &o.visibility) != GK_OK) {
                cli_error("archive", "--visibility is public, application or internal, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'j': t.json = 1; break;
        case 'F': o.filing.fonds = optarg; break;
        case 'R': o.filing.retention = optarg; break;
        case 'O': o.filing.org = optarg; break;
        case 'K': o.filing.klass = optarg; break;
        case 'I': org_code = optarg; break;
        case 'M': manifest_path = optarg; break;
        case 'P': report_path = optarg; break;
        case 'T': retry_failed = 1; break;
        case 'J': {
            char *end;
            long j = strtol(optarg, &end, 10);
            if (*end || j < 1 || j > GK_ARCHIVE_MAX_JOBS) {
                cli_error("archive", "--jobs wants a number from 1 to %d, not '%s'", GK_ARCHIVE_MAX_JOBS, optarg);
                return EXIT_USAGE;
            }
            o.jobs = (int)j;
            break;
        }
        case 'l':
            if (gk_extract_limits_set(&o.limits, optarg) != GK_OK) {
                cli_error("archive", "--limit wants NAME=VALUE with NAME one of %s; not '%s'",
                          gk_extract_limit_names, optarg);
                return EXIT_USAGE;
            }
            break;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    o.filing.year = o.year;
    char ferr[256];
    if ((o.filing.retention || o.filing.org || o.filing.klass) && !o.filing.fonds) {
        cli_error("archive", "--retention, --org and --class file items under a --fonds");
        return EXIT_USAGE;
    }
    if (!gk_filing_valid(&o.filing, ferr, sizeof ferr)) {
        cli_error("archive", "%s", ferr);
        return EXIT_USAGE;
    }
    if (org_code && !gk_org_code_valid(org_code)) {
        cli_error("archive", "--org-code wants a 18-character 统一社会信用代码 or a 9-character 组织机构代码, not '%s'",
                  org_code);
        return EXIT_USAGE;
    }
    if (optind >= argc && !retry_failed) {
        cli_error("archive", "no files or directories given");
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (manifest_path) {
        /* A manifest with any error is refused whole, before anything is archived. */
        char *errors = NULL;
        gk_status_t mst = gk_manifest_load(manifest_path, &o.manifest, &errors);
        if (mst != GK_OK) {
            cli_error("archive", "the manifest %s is refused:\n%s", manifest_path,
                      errors ? errors : gk_status_to_string(mst));
            free(errors);
            return mst == GK_ERR_INVALID ? EXIT_USAGE : EXIT_DATA;
        }
        t.manifest = 1;
        t.without_row = json_array();
    }
    /* From here every exit goes through done: */
    int rc = EXIT_OK;
    gk_data_t *d = NULL;
    const char **paths = NULL;
    t.failures = json_array();
    gk_taxonomy_t *tax = NULL;
    gk_classifier_t *cls = NULL;
    /* One helper per worker, started before any thread: see isolate.h. */
    char err[512];
    for (int i = 0; i < o.jobs; i++) {
        if (gk_isolate_start(&isolates[i], err, sizeof err) != GK_OK) {
            cli_error("archive", "%s", err);
            rc = EXIT_DATA;
            goto done;
        }
    }
    o.isolates = isolates;
    if (!(o.slots = gk_jobslots_new(o.jobs))) {
        cli_error("archive", "out of memory");
        rc = EXIT_DATA;
        goto done;
    }
    if ((rc = cli_open(cli, GK_OPEN_CREATE, &d)) != 0)
        goto done;
    /* The catalogue categories and their rules: a broken file stops the run
     * before anything is archived. */
    gk_status_t tst = gk_taxonomy_load(gk_data_path(d), 1, &tax, err, sizeof err);
    if (tst == GK_OK)
        tst = gk_classifier_load(gk_data_path(d), 1, tax, &cls, err, sizeof err);
    if (tst != GK_OK) {
        cli_error("archive", "%s", err);
        rc = tst == GK_ERR_INVALID ? EXIT_USAGE : EXIT_DATA;
        goto done;
    }
    if (o.category && !gk_taxonomy_find(tax, o.category))
        cli_error("archive", "warning: --category %s is not in %s/%s (see gongkai categories); kept as given",
                  o.category, gk_data_path(d), GK_TAXONOMY_FILE);
    else if (o.category)
        o.category = gk_taxonomy_find(tax, o.category)->name; /* a code names its category */
    o.classifier = cls;
    if (org_code && gk_setting_set(d, GK_SETTING_INDEX_ORG, org_code) != GK_OK) {
        cli_error("archive", "%s", gk_data_error(d));
        rc = EXIT_DATA;
        goto done;
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    o.stop = &stop_flag;
    t.tty = isatty(STDERR_FILENO);
    if (t.json)
        t.items = json_array();
    clock_gettime(CLOCK_MONOTONIC, &t.t0);

    /* --retry-failed: the failures on record, besides any paths given. */
    size_t npaths = (size_t)(argc - optind);
    if (retry_failed) {
        retry = json_array();
        if (gk_failure_list(d, collect_failure, retry) != GK_OK) {
            cli_error("archive", "%s", gk_data_error(d));
            rc = EXIT_DATA;
            goto done;
        }
        npaths += json_array_size(retry);
        if (npaths == 0) {
            printf("no failed files on record\n");
            goto done;
        }
    }
    if (!(paths = calloc(npaths + 1, sizeof *paths))) {
        rc = EXIT_DATA;
        goto done;
    }
    for (int i = optind; i < argc; i++)
        paths[i - optind] = argv[i];
    for (size_t i = 0; retry && i < json_array_size(retry); i++)
        paths[(size_t)(argc - optind) + i] = json_string_value(json_array_get(retry, i));
    /* On a terminal, count the files first so the progress line has a total
     * and an ETA: a walk of names only, quick beside the archiving. */
    if (t.tty) {
        struct stat dsb;
        if (stat(gk_data_path(d), &dsb) == 0)
            gk_walk(paths, npaths, dsb.st_dev, dsb.st_ino, count_file, &t);
    }
    /* The index follows the catalogue's commits while files are archived. */
    gk_indexer_t *ix = NULL;
    gk_status_t ist = gk_indexer_start(d, o.slots, &ix);
    gk_status_t st = gk_archive_paths(d, paths, npaths, &o, on_event, &t);
    if (t.tty)
        fprintf(stderr, "\r\033[K");
    if (st != GK_OK && st != GK_ERR_INTERRUPTED)
        cli_error("archive", "stopped: %s", gk_data_error(d));
    /* What was committed is indexed now, also after an interruption. */
    t.signals = stop_flag;
    if (ist == GK_OK)
        ist = gk_indexer_finish(ix, on_index_progress, &t);
    if (t.tty)
        fprintf(stderr, "\r\033[K");
    if (ist != GK_OK && ist != GK_ERR_INTERRUPTED)
        cli_error("archive", "the index could not be brought up to date (%s); it catches up on the next run",
                  gk_data_error(d));
    /* A bulk load leaves the index about twice the size it needs: compact
     * it when this run added a large part of the archive. */
    int64_t items = 0;
    if (ist == GK_OK && t.added >= COMPACT_AFTER && gk_catalogue_count(d, &items) == GK_OK && t.added * 4 >= items) {
        if (t.tty)
            fprintf(stderr, "compacting the index…");
        gk_status_t cst = gk_index_compact(d);
        if (t.tty)
            fprintf(stderr, "\r\033[K");
        if (cst != GK_OK)
            cli_error("archive", "warning: the index could not be compacted: %s", gk_data_error(d));
    }
    json_t *manifest = manifest_report(&t, o.manifest, manifest_path);
    if (t.json) {
        json_t *j = json_pack("{s:I, s:I, s:I, s:o}", "added", (json_int_t)t.added, "duplicate",
                              (json_int_t)t.duplicate, "failed", (json_int_t)t.failed, "items", t.items);
        json_object_set_new(j, "seconds", json_real(elapsed(&t)));
        if (manifest)
            json_object_set_new(j, "manifest", manifest);
        cli_print_json(j);
    } else {
        print_manifest_report(manifest);
        json_decref(manifest);
        printf("%lld added, %lld duplicate, %lld failed (%.1f s)\n", (long long)t.added, (long long)t.duplicate,
               (long long)t.failed, elapsed(&t));
    }
    if (st == GK_ERR_INTERRUPTED || ist == GK_ERR_INTERRUPTED)
        fprintf(stderr, "gongkai: archive: interrupted; what was archived is kept%s. Run the same command again to "
                        "go on: archived files are recognised and skipped.\n",
                ist == GK_ERR_INTERRUPTED ? ", and the index catches up at the next command" : "");
    rc = st != GK_OK                          ? cli_exit_code(st)
         : ist == GK_ERR_INTERRUPTED            ? cli_exit_code(ist)
         : ist != GK_OK && ist != GK_ERR_LOCKED ? EXIT_DATA
         : t.failed                             ? EXIT_PARTIAL
                                                : EXIT_OK;
    if (report_path && write_report(report_path, t.failures) != 0) {
        cli_error("archive", "cannot write the report %s", report_path);
        rc = EXIT_DATA;
    }
done:
    free(paths);
    json_decref(retry);
    json_decref(t.failures);
    gk_classifier_free(cls);
    gk_taxonomy_free(tax);
    gk_manifest_free(o.manifest);
    json_decref(t.without_row);
    gk_data_close(d);
    for (int i = 0; i < o.jobs; i++)
        gk_isolate_stop(isolates[i]);
    gk_jobslots_free(o.slots);
    return rc;
}
