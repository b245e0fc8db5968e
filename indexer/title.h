/*
 * title.h — a title for every item: the file's own when it names the
 * document, else the first line of the text when that is short enough to
 * be a heading. (Titles from the printed layout of a 公文 — wrapped
 * lines, 发文机关标志 — are the metadata tagger's job.)
 */
#ifndef GK_TITLE_H
#define GK_TITLE_H

#include <stddef.h>

#include "extract.h"

/* The byte range [*b, *e) of S[from..to) without blanks at either end. */
void gk_trim_blanks(const unsigned char *s, size_t from, size_t to, size_t *b, size_t *e);

/* Does TITLE (from a file's metadata) say nothing about the document:
 * empty, a file name, or a program's default ("Microsoft Word - ...",
 * "无标题")? */
int gk_title_is_useless(const char *title);

/* Set F's title from its body's first non-blank line when that line is
 * short enough to be a heading. GK_OK (also when none fits) or GK_ERR_NOMEM. */
gk_status_t gk_title_from_body(gk_fields_t *f);

#endif
