/*
 * html.c — HTML: the declared charset is found in the raw bytes, the
 * document is decoded to UTF-8 by gk_decode_text (so HTML and plain text
 * share one decision procedure), and only then parsed by libxml2, told the
 * input is UTF-8 and to ignore any meta charset inside it.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "decode.h"
#include "extract.h"

/* How far a charset declaration is looked for (as browsers do: 1024-2048). */
#define GK_PRESCAN_BYTES 2048

static int ascii_ieq(const char *a, const char *b, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (tolower((unsigned char)a[k]) != tolower((unsigned char)b[k]))
            return 0;
    return 1;
}

/* Find "charset" followed by '=' in S[0..len), copying the value to OUT.
 * Covers both <meta charset="x"> and content="text/html; charset=x". */
static int charset_in_tag(const char *s, size_t len, char *out, size_t outlen)
{
    for (size_t i = 0; i + 7 <= len; i++) {
        if (!ascii_ieq(s + i, "charset", 7))
            continue;
        size_t j = i + 7;
        while (j < len && isspace((unsigned char)s[j]))
            j++;
        if (j >= len || s[j] != '=')
            continue;
        j++;
        while (j < len && (isspace((unsigned char)s[j]) || s[j] == '"' || s[j] == '\''))
            j++;
        size_t n = 0;
        while (j < len && n + 1 < outlen &&
               (isalnum((unsigned char)s[j]) || strchr("-_.:", s[j])))
            out[n++] = s[j++];
        out[n] = '\0';
        if (n)
            return 1;
    }
    return 0;
}

/* The charset declared by a <meta> in the first bytes, or 0. */
static int declared_charset(const unsigned char *data, size_t len, char *out, size_t outlen)
{
    const char *s = (const char *)data;
    size_t n = len < GK_PRESCAN_BYTES ? len : GK_PRESCAN_BYTES;
    for (size_t i = 0; i + 5 <= n; i++) {
        if (s[i] != '<' || !ascii_ieq(s + i + 1, "meta", 4))
            continue;
        const char *end = memchr(s + i, '>', n - i);
        size_t tag = end ? (size_t)(end - (s + i)) : n - i;
        if (charset_in_tag(s + i, tag, out, outlen))
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Text assembly with HTML whitespace rules                             */
/* ------------------------------------------------------------------ */

typedef struct {
    gk_buf_t *out;
    int space;        /* collapsed whitespace waiting to be written */
    int tab;          /* a cell separator waiting */
    int breaks;       /* line breaks waiting (at most 2: a paragraph break) */
    int pre;          /* depth inside <pre>: whitespace kept as is */
} emitter_t;

static int html_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int at_line_start(const emitter_t *em)
{
    return em->out->len == 0 || em->out->data[em->out->len - 1] == '\n';
}

/* Write what is waiting before visible text: breaks win over a tab, a tab
 * over a space; nothing is written at the very start. */
static void flush_pending(emitter_t *em)
{
    if (em->out->len > 0) {
        if (em->breaks) {
            int have = 0;   /* newlines already at the end */
            for (size_t k = em->out->len; k > 0 && em->out->data[k - 1] == '\n' && have < 2; k--)
                have++;
            for (int k = have; k < em->breaks; k++)
                gk_buf_putc(em->out, '\n');
        } else if (em->tab && !at_line_start(em)) {
            gk_buf_putc(em->out, '\t');
        } else if (em->space && !at_line_start(em)) {
            gk_buf_putc(em->out, ' ');
        }
    }
    em->breaks = em->tab = em->space = 0;
}

static void want_break(emitter_t *em, int n)
{
    if (em->breaks < n)
        em->breaks = n;
}

static void emit_text(emitter_t *em, const unsigned char *s)
{
    if (em->pre) {
        if (*s) {
            flush_pending(em);
            gk_buf_puts(em->out, (const char *)s);
        }
        return;
    }
    while (*s) {
        if (html_space(*s)) {
            em->space = 1;
            s++;
            continue;
        }
        const unsigned char *run = s;
        while (*s && !html_space(*s))
            s++;
        flush_pending(em);
        gk_buf_append(em->out, run, (size_t)(s - run));
    }
}

/* ------------------------------------------------------------------ */
/* The tree                                                             */
/* ------------------------------------------------------------------ */

static int name_is(const char *name, const char *const *names)
{
    for (; *names; names++)
        if (strcasecmp(name, *names) == 0)
            return 1;
    return 0;
}

static int name_in(const xmlNode *n, const char *const *names)
{
    return name_is((const char *)n->name, names);
}

static const char *const skipped[] = {"script", "style", "noscript", "template", "head",
                                      "title", NULL};
/* Blocks that separate paragraphs get a blank line, the others one break. */
static const char *const paragraphs[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                                         "section", "article", "header", "footer", "ul",
                                         "ol", "pre", "blockquote", NULL};
static const char *const lines[] = {"div", "li", "tr", "dt", "dd", "br", "hr", "dl",
                                    "address", "figure", "figcaption", "main", "nav",
                                    "aside", "caption", "form", "fieldset", NULL};
static const char *const cells[] = {"td", "th", NULL};

static int name_breaks(const char *name)
{
    if (name_is(name, paragraphs))
        return 2;
    if (name_is(name, lines))
        return 1;
    return 0;
}

static int block_breaks(const xmlNode *n)
{
    return name_breaks((const char *)n->name);
}

static void enter(emitter_t *em, const xmlNode *n)
{
    if (xmlStrcasecmp(n->name, (const xmlChar *)"br") == 0) {
        /* <br> is a hard break, even at a line start (so <br><br> is a
         * paragraph break), but never at the very start. */
        if (em->out->len > 0 && em->breaks < 2)
            em->breaks++;
        return;
    }
    int b = block_breaks(n);
    if (b)
        want_break(em, b);
    else if (name_in(n, cells) && !em->breaks)
        em->tab = 1;
    if (xmlStrcasecmp(n->name, (const xmlChar *)"pre") == 0)
        em->pre++;
}

static void leave(emitter_t *em, const xmlNode *n)
{
    int b = block_breaks(n);
    if (b && xmlStrcasecmp(n->name, (const xmlChar *)"br") != 0)
        want_break(em, b);
    if (xmlStrcasecmp(n->name, (const xmlChar *)"pre") == 0 && em->pre > 0)
        em->pre--;
}

/* Walk the children of PARENT without recursion, so depth costs no stack. */
static void walk_children(emitter_t *em, xmlNode *parent)
{
    xmlNode *n = parent->children;
    while (n) {
        if (n->type == XML_ELEMENT_NODE && !name_in(n, skipped)) {
            enter(em, n);
            if (n->children) {
                n = n->children;
                continue;
            }
            leave(em, n);
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
                   n->content) {
            emit_text(em, n->content);
        }
        while (!n->next) {
            n = n->parent;
            if (!n || n == parent)
                return;
            if (n->type == XML_ELEMENT_NODE)
                leave(em, n);
        }
        n = n->next;
    }
}

/* ------------------------------------------------------------------ */
/* Fallback for pages libxml2 gives up on                               */
/* ------------------------------------------------------------------ */

/* libxml2 stops at its nesting limit (256) and drops the rest of the
 * page; such pages (10 000 nested <div>s) are read by this linear scan
 * instead: tags are dropped, block tags give breaks, script-like elements
 * are skipped and character references are decoded. No tree, no depth. */

static size_t find_ci(const char *s, size_t len, size_t from, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = from; i + n <= len; i++)
        if (strncasecmp(s + i, needle, n) == 0)
            return i;
    return len;
}

/* Decode the character reference at S[i] ('&') into RUN; returns the
 * index after it, or i + 1 (a literal '&') when it is none. */
static size_t char_ref(const char *s, size_t len, size_t i, gk_buf_t *run)
{
    size_t j = i + 1;
    uint32_t c = 0;
    if (j < len && s[j] == '#') {
        int hex = j + 1 < len && (s[j + 1] == 'x' || s[j + 1] == 'X');
        j += hex ? 2 : 1;
        size_t digits = 0;
        while (j < len && (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j]))) {
            if (c <= 0x10FFFF)
                c = c * (hex ? 16 : 10) +
                    (uint32_t)(isdigit((unsigned char)s[j]) ? s[j] - '0'
                                                            : tolower((unsigned char)s[j]) - 'a' + 10);
            j++, digits++;
        }
        if (!digits)
            c = 0;
        else if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            c = 0xFFFD;
    } else {
        char name[33];
        size_t n = 0;
        while (j < len && n < 32 && isalnum((unsigned char)s[j]))
            name[n++] = s[j++];
        name[n] = '\0';
        const htmlEntityDesc *e = n ? htmlEntityLookup((const xmlChar *)name) : NULL;
        if (e)
            c = e->value;
    }
    if (!c) {
        gk_buf_putc(run, '&');
        return i + 1;
    }
    if (j < len && s[j] == ';')
        j++;
    char u[4];
    gk_buf_append(run, u, (size_t)gk_utf8_put(c, u));
    return j;
}

/* Skip the tag at S[i] ('<'), acting on its name; returns the index after. */
static size_t scan_tag(emitter_t *em, const char *s, size_t len, size_t i)
{
    static const char *const raw[] = {"script", "style", "noscript", "template", "title",
                                      "textarea", NULL};
    if (len - i >= 4 && !strncmp(s + i, "<!--", 4)) {
        size_t e = find_ci(s, len, i + 4, "-->");
        return e < len ? e + 3 : len;
    }
    size_t k = i + 1;
    int closing = k < len && s[k] == '/';
    if (closing)
        k++;
    char name[16];
    size_t n = 0;
    while (k < len && isalnum((unsigned char)s[k])) {
        if (n + 1 < sizeof name)
            name[n++] = s[k];
        k++;
    }
    name[n] = '\0';
    const char *gt = memchr(s + k, '>', len - k);
    size_t end = gt ? (size_t)(gt - s) + 1 : len;
    if (!closing && name_is(name, raw)) {
        char close[24];
        snprintf(close, sizeof close, "</%s", name);
        size_t c = find_ci(s, len, end, close);
        const char *cgt = c < len ? memchr(s + c, '>', len - c) : NULL;
        return cgt ? (size_t)(cgt - s) + 1 : len;
    }
    if (!strcasecmp(name, "br"))
        em->breaks += em->out->len > 0 && em->breaks < 2;
    else if (name_breaks(name))
        want_break(em, name_breaks(name));
    else if (!closing && name_is(name, cells) && !em->breaks)
        em->tab = 1;
    return end;
}

static gk_status_t scan_page(emitter_t *em, const char *s, size_t len)
{
    gk_buf_t run = GK_BUF_INIT;
    size_t i = 0;
    /* Head content other than the title is no text; the title is skipped
     * like script. */
    size_t body = find_ci(s, len, 0, "<body");
    if (body < len)
        i = body;
    while (i < len) {
        if (s[i] == '<' && i + 1 < len &&
            (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!')) {
            i = scan_tag(em, s, len, i);
            continue;
        }
        gk_buf_reset(&run);
        while (i < len && !(s[i] == '<' && i + 1 < len &&
                            (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '/' ||
                             s[i + 1] == '!'))) {
            if (s[i] == '&') {
                i = char_ref(s, len, i, &run);
            } else {
                size_t j = i;
                while (j < len && s[j] != '&' && s[j] != '<')
                    j++;
                if (j == i)
                    j++;
                gk_buf_append(&run, s + i, j - i);
                i = j;
            }
        }
        if (run.len)
            emit_text(em, (const unsigned char *)run.data);
    }
    gk_status_t rc = gk_buf_failed(&run) ? GK_ERR_NOMEM : GK_OK;
    gk_buf_free(&run);
    return rc;
}

/* First element named NAME, in document order. */
static xmlNode *find_element(xmlNode *root, const char *name)
{
    xmlNode *n = root;
    while (n) {
        if (n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, (const xmlChar *)name) == 0)
            return n;
        if (n->children && n->type == XML_ELEMENT_NODE) {
            n = n->children;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        if (!n || n == root)
            break;
        n = n->next;
    }
    return NULL;
}

/* The text of NODE with whitespace collapsed and trimmed. */
static gk_status_t set_title_from(gk_fields_t *f, xmlNode *node)
{
    gk_buf_t b = GK_BUF_INIT;
    emitter_t em = {&b, 0, 0, 0, 0};
    walk_children(&em, node);
    gk_status_t rc = GK_OK;
    if (gk_buf_failed(&b))
        rc = GK_ERR_NOMEM;
    else if (b.len) {
        /* Breaks inside a title (from <br> in an h1) become spaces. */
        for (size_t k = 0; k < b.len; k++)
            if (b.data[k] == '\n' || b.data[k] == '\t')
                b.data[k] = ' ';
        rc = gk_fields_set(&f->title, b.data, b.len);
    }
    gk_buf_free(&b);
    return rc;
}

static gk_status_t html_extract(const gk_input_t *in, const gk_extract_limits_t *lim,
                                gk_fields_t *out)
{
    (void)lim; /* the text size is checked by gk_extract */
    char label[64], decision[128];
    int has_label = declared_charset(in->data, in->len, label, sizeof label);
    gk_buf_t utf8 = GK_BUF_INIT;
    gk_status_t rc = gk_decode_text(in->data, in->len, has_label ? label : NULL, &utf8,
                                    decision, sizeof decision);
    if (rc != GK_OK) {
        gk_buf_free(&utf8);
        if (rc == GK_ERR_NOMEM)
            return gk_fields_fail(out, rc, "out of memory decoding the page");
        return gk_fields_fail(out, GK_ERR_ENCODING, "cannot decode the page%s%s",
                              has_label ? " (declared charset " : "", has_label ? label : "");
    }
    if (utf8.len > INT_MAX) {
        gk_buf_free(&utf8);
        return gk_fields_fail(out, GK_ERR_TOO_LARGE, "page too large to parse");
    }

    /* The bytes are UTF-8 now: HTML_PARSE_IGNORE_ENC keeps a <meta
     * charset=gb2312> from making libxml2 decode them a second time. */
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                  HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC;
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    if (!ctxt) {
        gk_buf_free(&utf8);
        return gk_fields_fail(out, GK_ERR_NOMEM, "out of memory");
    }
    htmlDocPtr doc = htmlCtxtReadMemory(ctxt, gk_buf_str(&utf8), (int)utf8.len, NULL, "UTF-8",
                                        options);
    /* A parser that stopped itself (nesting limit) has dropped the rest
     * of the page. */
    int stopped = ctxt->disableSAX != 0;
    htmlFreeParserCtxt(ctxt);
    if (!doc) {
        gk_buf_free(&utf8);
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "not parseable as HTML");
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root) {
        xmlFreeDoc(doc);
        gk_buf_free(&utf8);
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "HTML document without elements");
    }

    gk_buf_reset(&out->body);
    emitter_t em = {&out->body, 0, 0, 0, 0};
    rc = GK_OK;
    if (stopped)
        rc = scan_page(&em, gk_buf_str(&utf8), utf8.len);
    else
        walk_children(&em, (xmlNode *)doc);
    gk_buf_free(&utf8);

    xmlNode *t = find_element(root, "title");
    if (rc == GK_OK && t)
        rc = set_title_from(out, t);
    if (rc == GK_OK && !out->title) {
        xmlNode *h1 = find_element(root, "h1");
        if (h1)
            rc = set_title_from(out, h1);
    }
    xmlFreeDoc(doc);

    if (rc != GK_OK || gk_buf_failed(&out->body))
        return gk_fields_fail(out, GK_ERR_NOMEM, "out of memory");
    if (out->body.len == 0 && !out->title)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "HTML page without text");
    if (gk_fields_set(&out->charset, decision, strlen(decision)) != GK_OK)
        return gk_fields_fail(out, GK_ERR_NOMEM, "out of memory");
    return GK_OK;
}

static const char *const html_types[] = {"text/html", "application/xhtml+xml", NULL};

const gk_extractor_t gk_extractor_html = {"html", html_types, html_extract, 0};
