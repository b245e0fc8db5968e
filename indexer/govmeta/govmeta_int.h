/*
 * govmeta_int.h — what the files of indexer/govmeta/ share, one section
 * per file. Everything here works on byte ranges of the caller's text
 * (nothing is NUL-terminated) and never reads outside them.
 *
 * Matching looks at folded code points: full-width ASCII forms become
 * ASCII (（ → (, ２ → 2, ： → :) and U+3000 a space, which is what NFKC
 * does to the characters that matter here, one code point at a time.
 */
#ifndef GK_GOVMETA_INT_H
#define GK_GOVMETA_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "govmeta.h"

/* ------------------------------------------------------------------ */
/* chars.c — code points, classes and small string tests               */
/* ------------------------------------------------------------------ */

/* The folded code point at S[*i] (S has LEN bytes, *i < LEN); advances *i.
 * An invalid byte reads as U+FFFD and advances by one. */
uint32_t gm_next(const char *s, size_t len, size_t *i);
/* The folded code point that ends at S[*i], none before FROM: moves *i
 * back to its first byte. Returns 0 (and leaves *i) at FROM. */
uint32_t gm_prev(const char *s, size_t from, size_t *i);

int gm_is_blank(uint32_t c);  /* space, tab, U+3000 and other Unicode blanks (not line ends) */
int gm_is_digit(uint32_t c);  /* ASCII digit (full-width ones are folded to these) */
int gm_is_han(uint32_t c);    /* CJK unified ideograph, base or extension A */
int gm_is_letter(uint32_t c); /* a character a 机关代字 is written in: ideograph or ASCII letter */
/* Sentence punctuation, which a title, an organ name or a date line never carries. */
int gm_is_sentence_punct(uint32_t c);

size_t gm_nchars(const char *s, size_t len);
int gm_has_prefix(const char *s, size_t len, const char *prefix);
int gm_has_suffix(const char *s, size_t len, const char *suffix);
/* The first NEEDLE in S[0..len), or NULL. */
const char *gm_find(const char *s, size_t len, const char *needle);
/* Does S contain a code point for which PRED holds? */
int gm_any(const char *s, size_t len, int (*pred)(uint32_t));
/* S[0..len) trimmed of blanks at both ends, in place. */
void gm_trim(const char **s, size_t *len);

/* Append S[0..len) as valid UTF-8 (invalid bytes become U+FFFD), as written. */
void gm_put_clean(gk_buf_t *b, const char *s, size_t len);
/* Append S[0..len) folded (full-width ASCII to ASCII), blanks dropped. */
void gm_put_folded(gk_buf_t *b, const char *s, size_t len);
/* A malloc'd, valid UTF-8 copy of S[0..len); NULL on NOMEM. */
char *gm_strdup_clean(const char *s, size_t len);

/* ------------------------------------------------------------------ */
/* lines.c — the text as trimmed lines                                 */
/* ------------------------------------------------------------------ */

/* A line longer than this (in bytes) is prose: never a head line, an
 * organ name, a date line or a title line. Checking the length first keeps
 * very long lines cheap. */
#define GM_MAX_SHORT_LINE 600

typedef struct gm_line {
    const char *s;   /* the line without blanks at either end, in the text */
    size_t len;      /* bytes; never 0: blank lines are not kept */
    unsigned indent; /* leading blanks in columns (U+3000 counts 2, a tab 4) */
    unsigned gap;    /* non-zero when blank lines come just before it */
} gm_line_t;

typedef struct gm_lines {
    gm_line_t *v;
    size_t n;
} gm_lines_t;

/* The non-blank lines of TEXT, at most MAX of them (a 公文 is far shorter;
 * the rest is not laid out). GK_OK or GK_ERR_NOMEM. */
gk_status_t gm_lines_split(const char *text, size_t len, size_t max, gm_lines_t *out);
void gm_lines_free(gm_lines_t *l);

typedef struct gm_span {
    const char *s;
    size_t len;
} gm_span_t;

/* The parts of S[0..len) between runs of blanks, at most MAX stored in F;
 * returns how many there are (which may exceed MAX). */
size_t gm_fields(const char *s, size_t len, gm_span_t *f, size_t max);

/* ------------------------------------------------------------------ */
/* docno.c — 发文字号                                                  */
/* ------------------------------------------------------------------ */

typedef struct gm_docno {
    size_t from, to; /* the 文号 in the scanned bytes: issuer to 号, leading words trimmed */
    size_t run;      /* where the issuer's letters began before the trimming */
    size_t issuer_end; /* the issuer is [from, issuer_end); a decree's ends with 令 */
    int delimited;   /* the issuer's letters began after a non-letter, not at the length limit */
    uint32_t before; /* the character before those letters, 0 at the start */
    int decree;      /* 令 第N号, no year */
    int year;
    long serial;
} gm_docno_t;

/* The next 文号 in S[*pos..len) (it starts at or after FROM, which is
 * where S's current line or text begins); advances *pos past it. */
int gm_docno_next(const char *s, size_t from, size_t len, size_t *pos, gm_docno_t *d);
/* Is the line S[0..len) a 文号 standing alone, possibly followed by
 * 签发人：…? */
int gm_docno_line(const char *s, size_t len, gm_docno_t *d);
/* Append D (found in S) normalised. */
void gm_docno_put(gk_buf_t *b, const char *s, const gm_docno_t *d);

/* ------------------------------------------------------------------ */
/* date.c — 成文日期                                                   */
/* ------------------------------------------------------------------ */

typedef struct gm_date {
    int y, m, d;
    size_t from, to; /* bytes of the date in the scanned string */
} gm_date_t;

/* A date beginning exactly at S[i]. */
int gm_date_at(const char *s, size_t len, size_t i, gm_date_t *d);
/* The first date in S[0..len). */
int gm_date_find(const char *s, size_t len, gm_date_t *d);
/* Is S[0..len) a date and nothing else (blanks inside allowed)? */
int gm_date_whole(const char *s, size_t len, gm_date_t *d);
/* "YYYY-MM-DD", malloc'd; NULL on NOMEM. */
char *gm_date_string(const gm_date_t *d);

/* ------------------------------------------------------------------ */
/* doctype.c — 文种 (gk_doctype_of_title is public)                    */
/* ------------------------------------------------------------------ */

/* gk_doctype_of_title on S[0..len); *PRINTED is set when the type comes
 * from the 印发/转发 rule rather than the suffix. */
const char *gm_doctype(const char *s, size_t len, int *printed);

/* ------------------------------------------------------------------ */
/* head.c — kinds of lines and where the body begins                   */
/* ------------------------------------------------------------------ */

typedef enum gm_kind {
    GM_TEXT,       /* anything else: title lines, organ names, the body */
    GM_DOCNO,      /* the 文号 alone, maybe with 签发人 */
    GM_DECREE,     /* 第N号 under a 令 mark */
    GM_SIGNER,     /* 签发人：… alone */
    GM_MARK,       /* 发文机关标志: "…文件", "文件", or a 令 mark over 第N号 */
    GM_COPYNO,     /* 份号: digits alone */
    GM_SECRECY,    /* 密级: 绝密/机密/秘密… */
    GM_URGENCY,    /* 紧急程度: 特急/加急/特提/平急 */
    GM_ISSUE,      /* an issue number: 〔2024〕第5期 */
    GM_DATE,       /* a date alone */
    GM_ORGAN_DATE, /* organ, blanks, date: a 纪要 head or a signature on one line */
    GM_PRINTED,    /* …印发: the printing line of the 版记 */
    GM_ADOPTED,    /* （2023年8月28日…会议通过）: a date in parentheses under a title */
    GM_SPEECH      /* ——2023年1月10日在…会议上 */
} gm_kind_t;

/* The kind of line I of L. */
gm_kind_t gm_kind(const gm_lines_t *L, size_t i);
/* The line that begins the body: the 主送机关 line or the first paragraph;
 * L->n when there is none. */
size_t gm_body_start(const gm_lines_t *L);
/* Is L a 主送机关 line (ends with a colon, names addressees)? */
int gm_is_recipients(const gm_line_t *l);
/* The first line of the 主送机关 that ends on line I (I itself unless the
 * addressees wrap over several lines). */
size_t gm_recipients_start(const gm_lines_t *L, size_t i);
/* Is S[0..len) an organ's name? WANT_SUFFIX: it must end like one (…局,
 * …人民政府, …办公室, …委员会). */
int gm_is_organ(const char *s, size_t len, int want_suffix);
/* Does every blank-separated part of S name an organ? Stores them in F
 * (at most MAX) and returns their number, 0 when not. */
size_t gm_organ_fields(const char *s, size_t len, int want_suffix, gm_span_t *f, size_t max);

/* ------------------------------------------------------------------ */
/* layout.c — title, 主送机关 and the organ line under the title        */
/* ------------------------------------------------------------------ */

typedef struct gm_layout {
    size_t body;                 /* gm_body_start */
    size_t docno_line;           /* the own 文号's line, or (size_t)-1 */
    gm_docno_t docno;            /* that 文号, in its line */
    size_t decree_mark;          /* a 令 mark over a 第N号 docno line, or (size_t)-1 */
    size_t title_from, title_to; /* lines [from, to) of the title; from == to when none */
    double title_conf;
    const char *title_rule;
} gm_layout_t;

/* The own 文号 line in the head. */
void gm_find_docno(const gm_lines_t *L, gm_layout_t *lay);
/* The title's lines. */
void gm_find_title(const gm_lines_t *L, gm_layout_t *lay);
/* Append the title (lines joined with nothing between). */
void gm_put_title(gk_buf_t *b, const gm_lines_t *L, const gm_layout_t *lay);
/* The 主送机关 under the title: its last line, or (size_t)-1; its first in *FIRST. */
size_t gm_find_recipients(const gm_lines_t *L, const gm_layout_t *lay, size_t *first);
/* A line naming an organ between the title and the body, or (size_t)-1. */
size_t gm_find_organ_line(const gm_lines_t *L, const gm_layout_t *lay);

/* ------------------------------------------------------------------ */
/* signature.c — 发文机关署名 and 成文日期                              */
/* ------------------------------------------------------------------ */

typedef struct gm_signature {
    gm_date_t date;
    size_t date_line;          /* (size_t)-1 when no date was found */
    size_t organ_from, organ_to; /* lines of the signed organs; from == to when none */
    int organ_on_date_line;    /* organ and date share a line (GM_ORGAN_DATE) */
    double date_conf, organ_conf;
    const char *date_rule, *organ_rule;
} gm_signature_t;

/* The signature under the body and its date, else the date printed under
 * the title or in the head. */
void gm_find_signature(const gm_lines_t *L, const gm_layout_t *lay, gm_signature_t *sig);

/* ------------------------------------------------------------------ */
/* cited.c — the other 文号 of the text                                */
/* ------------------------------------------------------------------ */

/* Every 文号 in TEXT but OWN (normalised; OWN may be NULL), normalised, in
 * order of first appearance, each once. GK_OK or GK_ERR_NOMEM. */
gk_status_t gm_find_cited(const char *text, size_t len, const char *own, char ***out, size_t *n);

/* ------------------------------------------------------------------ */
/* visibility.c — 公开方式                                             */
/* ------------------------------------------------------------------ */

/* "public", "application" or "internal" from a printed 公开方式 line or
 * note, from line FROM on; NULL when none is printed. */
const char *gm_find_visibility(const gm_lines_t *L, size_t from, const char **rule, double *conf);

#endif
