// xapian_shim.cc — the exception firewall between gongkai's C and Xapian.
//
// Every exported function catches Xapian::Error and std::bad_alloc and turns
// them into a gk_status_t, keeping the message on the handle. Nothing here
// decides policy: which terms a document has and what a query means are
// decided in C (index.c, query.c).

#include "xapian_shim.h"

#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace {

void set_err(char *err, size_t errlen, const std::string &msg)
{
    if (err && errlen) {
        std::snprintf(err, errlen, "%s", msg.c_str());
    }
}

std::string describe(const Xapian::Error &e)
{
    std::string s = e.get_type();
    s += ": ";
    s += e.get_msg();
    if (!e.get_context().empty()) {
        s += " (" + e.get_context() + ")";
    }
    return s;
}

gk_status_t status_of(const Xapian::Error &e)
{
    // Xapian::Error is not polymorphic in 1.4: classify by the type name.
    const std::string t = e.get_type();
    if (t == "DatabaseLockError") return GK_ERR_LOCKED;
    if (t == "DatabaseCorruptError") return GK_ERR_CORRUPT;
    if (t == "DatabaseNotFoundError" || t == "DatabaseOpeningError") return GK_ERR_NOT_FOUND;
    if (t == "QueryParserError") return GK_ERR_INVALID;
    return GK_ERR_INDEX;
}

}  // namespace

// Run BODY, mapping exceptions to a status and a message in MSG (a std::string).
#define GKX_GUARD(msg, body)                                   \
    try {                                                      \
        body                                                   \
    } catch (const Xapian::Error &e) {                         \
        msg = describe(e);                                     \
        return status_of(e);                                   \
    } catch (const std::bad_alloc &) {                         \
        msg = "out of memory";                                 \
        return GK_ERR_NOMEM;                                   \
    } catch (const std::exception &e) {                        \
        msg = e.what();                                        \
        return GK_ERR_INTERNAL;                                \
    }

/* ---- stemming ---- */

struct gkx_stemmer {
    Xapian::Stem stem;
};

gk_status_t gkx_stemmer_new(const char *language, gkx_stemmer_t **out)
{
    *out = nullptr;
    std::string msg;
    GKX_GUARD(msg, {
        *out = new gkx_stemmer{Xapian::Stem(language)};
        return GK_OK;
    })
}

void gkx_stemmer_free(gkx_stemmer_t *s) { delete s; }

int gkx_stem(gkx_stemmer_t *s, const char *word, size_t len, char *out, size_t cap)
{
    try {
        std::string r = s->stem(std::string(word, len));
        if (r.size() + 1 > cap) return -1;
        std::memcpy(out, r.data(), r.size());
        out[r.size()] = '\0';
        return static_cast<int>(r.size());
    } catch (...) {
        return -1;
    }
}

/* ---- databases ---- */

struct gkx_db {
    Xapian::Database *db = nullptr;          // the reader, or the writer seen as a reader
    Xapian::WritableDatabase *wdb = nullptr; // set for a writable shard
    std::string error;
    ~gkx_db()
    {
        if (wdb) {
            try {
                wdb->close();
            } catch (...) {
            }
        }
        delete db;
    }
};

gk_status_t gkx_db_open_writable(const char *path, gkx_db_t **out, char *err, size_t errlen)
{
    *out = nullptr;
    std::string msg;
    gkx_db *h = nullptr;
    try {
        h = new gkx_db;
        h->wdb = new Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
        h->db = h->wdb;
        *out = h;
        return GK_OK;
    } catch (const Xapian::Error &e) {
        set_err(err, errlen, describe(e));
        delete h;
        return status_of(e);
    } catch (const std::bad_alloc &) {
        set_err(err, errlen, "out of memory");
        delete h;
        return GK_ERR_NOMEM;
    }
}

gk_status_t gkx_db_open_readable(const char *const *paths, size_t n, gkx_db_t **out, char *err,
                                 size_t errlen)
{
    *out = nullptr;
    gkx_db *h = nullptr;
    try {
        h = new gkx_db;
        h->db = new Xapian::Database;
        for (size_t i = 0; i < n; i++) {
            h->db->add_database(Xapian::Database(paths[i]));
        }
        *out = h;
        return GK_OK;
    } catch (const Xapian::Error &e) {
        set_err(err, errlen, describe(e));
        delete h;
        return status_of(e);
    } catch (const std::bad_alloc &) {
        set_err(err, errlen, "out of memory");
        delete h;
        return GK_ERR_NOMEM;
    }
}

void gkx_db_close(gkx_db_t *db) { delete db; }

gk_status_t gkx_db_compact(const char *src, const char *dst, char *err, size_t errlen)
{
    try {
        Xapian::Database(src).compact(dst, Xapian::DBCOMPACT_NO_RENUMBER);
        return GK_OK;
    } catch (const Xapian::Error &e) {
        set_err(err, errlen, describe(e));
        return status_of(e);
    } catch (const std::bad_alloc &) {
        set_err(err, errlen, "out of memory");
        return GK_ERR_NOMEM;
    }
}

const char *gkx_db_error(const gkx_db_t *db) { return db ? db->error.c_str() : "no database"; }

gk_status_t gkx_db_reopen(gkx_db_t *h)
{
    GKX_GUARD(h->error, {
        h->db->reopen();
        return GK_OK;
    })
}

uint64_t gkx_db_doccount(gkx_db_t *h)
{
    try {
        return h->db->get_doccount();
    } catch (...) {
        return 0;
    }
}

gk_status_t gkx_db_get_metadata(gkx_db_t *h, const char *key, char **value)
{
    *value = nullptr;
    GKX_GUARD(h->error, {
        std::string v = h->db->get_metadata(key);
        if (v.empty()) return GK_OK;
        *value = strdup(v.c_str());
        return *value ? GK_OK : GK_ERR_NOMEM;
    })
}

gk_status_t gkx_db_set_metadata(gkx_db_t *h, const char *key, const char *value)
{
    if (!h->wdb) return GK_ERR_INVALID;
    GKX_GUARD(h->error, {
        h->wdb->set_metadata(key, value);
        return GK_OK;
    })
}

gk_status_t gkx_db_commit(gkx_db_t *h)
{
    if (!h->wdb) return GK_ERR_INVALID;
    GKX_GUARD(h->error, {
        h->wdb->commit();
        return GK_OK;
    })
}

gk_status_t gkx_db_each_term(gkx_db_t *h, const char *prefix,
                             int (*fn)(void *ctx, const char *term, size_t len), void *ctx)
{
    GKX_GUARD(h->error, {
        for (auto t = h->db->allterms_begin(prefix); t != h->db->allterms_end(prefix); ++t) {
            std::string s = *t;
            if (fn(ctx, s.data(), s.size())) break;
        }
        return GK_OK;
    })
}

/* ---- documents ---- */

struct gkx_doc {
    Xapian::Document doc;
    bool failed = false;
};

gk_status_t gkx_doc_new(gkx_doc_t **out)
{
    *out = new (std::nothrow) gkx_doc;
    return *out ? GK_OK : GK_ERR_NOMEM;
}

void gkx_doc_free(gkx_doc_t *doc) { delete doc; }

void gkx_doc_clear(gkx_doc_t *d)
{
    d->doc = Xapian::Document();
    d->failed = false;
}

void gkx_doc_add(gkx_doc_t *d, const char *term, size_t len, uint32_t pos)
{
    try {
        if (pos)
            d->doc.add_posting(std::string(term, len), pos);
        else
            d->doc.add_term(std::string(term, len));
    } catch (...) {
        d->failed = true;
    }
}

void gkx_doc_add_boolean(gkx_doc_t *d, const char *term)
{
    try {
        d->doc.add_boolean_term(term);
    } catch (...) {
        d->failed = true;
    }
}

void gkx_doc_set_value(gkx_doc_t *d, unsigned slot, const char *value)
{
    try {
        d->doc.add_value(slot, value);
    } catch (...) {
        d->failed = true;
    }
}

void gkx_doc_set_data(gkx_doc_t *d, const char *data)
{
    try {
        d->doc.set_data(data);
    } catch (...) {
        d->failed = true;
    }
}

size_t gkx_doc_termcount(gkx_doc_t *d)
{
    try {
        return d->doc.termlist_count();
    } catch (...) {
        return 0;
    }
}

gk_status_t gkx_db_replace(gkx_db_t *h, const char *idterm, gkx_doc_t *d)
{
    if (!h->wdb) return GK_ERR_INVALID;
    if (d->failed) {
        h->error = "document could not be built (out of memory or term too long)";
        return GK_ERR_NOMEM;
    }
    GKX_GUARD(h->error, {
        d->doc.add_boolean_term(idterm);
        h->wdb->replace_document(idterm, d->doc);
        return GK_OK;
    })
}

gk_status_t gkx_db_delete(gkx_db_t *h, const char *idterm)
{
    if (!h->wdb) return GK_ERR_INVALID;
    GKX_GUARD(h->error, {
        h->wdb->delete_document(idterm);
        return GK_OK;
    })
}

/* ---- queries ---- */

struct gkx_qb {
    std::vector<Xapian::Query> nodes;
    bool failed = false;
};

gk_status_t gkx_qb_new(gkx_qb_t **out)
{
    *out = new (std::nothrow) gkx_qb;
    return *out ? GK_OK : GK_ERR_NOMEM;
}

void gkx_qb_free(gkx_qb_t *qb) { delete qb; }

int gkx_qb_failed(const gkx_qb_t *qb) { return qb->failed; }

static gkx_q push(gkx_qb_t *qb, const Xapian::Query &q)
{
    qb->nodes.push_back(q);
    return static_cast<gkx_q>(qb->nodes.size() - 1);
}

// Build a node, turning any exception into the "no node" id -1 and the
// builder's failed flag.
#define GKX_NODE(qb, expr)          \
    try {                           \
        return push(qb, expr);      \
    } catch (...) {                 \
        (qb)->failed = true;        \
        return -1;                  \
    }

gkx_q gkx_q_term(gkx_qb_t *qb, const char *term, size_t len)
{
    GKX_NODE(qb, Xapian::Query(std::string(term, len)))
}

gkx_q gkx_q_match_all(gkx_qb_t *qb) { GKX_NODE(qb, Xapian::Query::MatchAll) }

gkx_q gkx_q_wildcard(gkx_qb_t *qb, const char *prefix, size_t len, unsigned max)
{
    GKX_NODE(qb, Xapian::Query(Xapian::Query::OP_WILDCARD, std::string(prefix, len), max,
                               max ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT : Xapian::Query::WILDCARD_LIMIT_ERROR,
                               Xapian::Query::OP_SYNONYM))
}

gkx_q gkx_q_match_nothing(gkx_qb_t *qb) { GKX_NODE(qb, Xapian::Query::MatchNothing) }

gkx_q gkx_q_combine(gkx_qb_t *qb, gkx_op_t op, const gkx_q *nodes, size_t n)
{
    static const Xapian::Query::op ops[] = {
        Xapian::Query::OP_AND,       Xapian::Query::OP_OR,     Xapian::Query::OP_AND_NOT,
        Xapian::Query::OP_AND_MAYBE, Xapian::Query::OP_FILTER, Xapian::Query::OP_PHRASE,
    };
    std::vector<Xapian::Query> sub;
    for (size_t i = 0; i < n; i++) {
        if (nodes[i] < 0 || static_cast<size_t>(nodes[i]) >= qb->nodes.size()) return -1;
        sub.push_back(qb->nodes[nodes[i]]);
    }
    if (sub.empty()) return -1;
    if (sub.size() == 1 && op != GKX_AND_NOT) return nodes[0];
    Xapian::termcount window = op == GKX_PHRASE ? static_cast<Xapian::termcount>(sub.size()) : 0;
    GKX_NODE(qb, Xapian::Query(ops[op], sub.begin(), sub.end(), window))
}

gkx_q gkx_q_scale(gkx_qb_t *qb, gkx_q q, double factor)
{
    if (q < 0) return -1;
    GKX_NODE(qb, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, qb->nodes[q], factor))
}

gkx_q gkx_q_value_range(gkx_qb_t *qb, unsigned slot, const char *lo, const char *hi)
{
    if (lo && hi) GKX_NODE(qb, Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi))
    if (lo) GKX_NODE(qb, Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo))
    if (hi) GKX_NODE(qb, Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi))
    return gkx_q_match_all(qb);
}

/* ---- searching ---- */

struct gkx_mset {
    Xapian::MSet mset;
    std::vector<std::string> data;
    std::vector<std::vector<std::pair<std::string, Xapian::doccount>>> facets;
};

gk_status_t gkx_search(gkx_db_t *h, gkx_qb_t *qb, const gkx_search_t *s, gkx_mset_t **out)
{
    *out = nullptr;
    if (qb->failed) {
        h->error = "query could not be built";
        return GK_ERR_NOMEM;
    }
    if (s->query < 0 || static_cast<size_t>(s->query) >= qb->nodes.size()) {
        h->error = "no query";
        return GK_ERR_INVALID;
    }
    gkx_mset *m = nullptr;
    // A reader racing a writer's commit sees DatabaseModifiedError: reopen
    // and try again, a bounded number of times.
    for (int attempt = 0;; attempt++) {
        try {
            Xapian::Enquire enq(*h->db);
            enq.set_query(qb->nodes[s->query]);
            if (s->sort_slot >= 0) enq.set_sort_by_value_then_relevance(s->sort_slot, true);
            std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
            for (size_t k = 0; k < s->nfacets; k++) {
                spies.emplace_back(new Xapian::ValueCountMatchSpy(s->facet_slots[k]));
                enq.add_matchspy(spies.back().get());
            }
            // Facets are exact only when every match is seen.
            Xapian::doccount check = s->nfacets ? h->db->get_doccount() : s->check_at_least;
            m = new gkx_mset;
            m->mset = enq.get_mset(s->offset, s->size, check);
            for (auto it = m->mset.begin(); it != m->mset.end(); ++it) {
                m->data.push_back(it.get_document().get_data());
            }
            for (auto &spy : spies) {
                std::vector<std::pair<std::string, Xapian::doccount>> f;
                for (auto v = spy->top_values_begin(1000); v != spy->top_values_end(1000); ++v) {
                    f.emplace_back(*v, v.get_termfreq());
                }
                m->facets.push_back(std::move(f));
            }
            *out = m;
            return GK_OK;
        } catch (const Xapian::DatabaseModifiedError &e) {
            delete m;
            m = nullptr;
            if (attempt >= 3) {
                h->error = describe(e);
                return GK_ERR_INDEX;
            }
            try {
                h->db->reopen();
            } catch (...) {
            }
        } catch (const Xapian::Error &e) {
            delete m;
            h->error = describe(e);
            return status_of(e);
        } catch (const std::bad_alloc &) {
            delete m;
            h->error = "out of memory";
            return GK_ERR_NOMEM;
        }
    }
}

void gkx_mset_free(gkx_mset_t *m) { delete m; }

uint64_t gkx_mset_total(const gkx_mset_t *m) { return m->mset.get_matches_estimated(); }

int gkx_mset_total_exact(const gkx_mset_t *m)
{
    return m->mset.get_matches_lower_bound() == m->mset.get_matches_upper_bound();
}

size_t gkx_mset_size(const gkx_mset_t *m) { return m->data.size(); }

double gkx_mset_weight(const gkx_mset_t *m, size_t i)
{
    try {
        return m->mset[static_cast<Xapian::doccount>(i)].get_weight();
    } catch (...) {
        return 0.0;
    }
}

const char *gkx_mset_data(const gkx_mset_t *m, size_t i) { return m->data[i].c_str(); }

size_t gkx_mset_facet_size(const gkx_mset_t *m, size_t k)
{
    return k < m->facets.size() ? m->facets[k].size() : 0;
}

void gkx_mset_facet(const gkx_mset_t *m, size_t k, size_t i, const char **value, uint64_t *count)
{
    *value = m->facets[k][i].first.c_str();
    *count = m->facets[k][i].second;
}
