#!/usr/bin/env python3
"""GB18030 and UTF-16LE re-encodings of the shared texts decode to exactly
the UTF-8 of their source: `gongkai text ID` of each variant equals the
bytes of texts/ID.md. 20 of each kind, the first by file name."""
import os

from gktest import Checker, Gongkai, TempDir, main, need_shared_corpus

PER_KIND = 20
KINDS = ("txt-gb18030", "txt-utf16le")


def test(binary):
    corpus = need_shared_corpus()
    rows = []
    with open(os.path.join(corpus, "formats.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            if row.get("format") in KINDS:
                rows.append(row)
    chosen = []
    for kind in KINDS:
        chosen += sorted((r for r in rows if r["format"] == kind), key=lambda r: r["file"])[:PER_KIND]
    c = Checker("encodings")
    c.equal(len(chosen), 2 * PER_KIND, "variants chosen")
    variants = [os.path.join(corpus, "formats", r["file"]) for r in chosen]
    sources = sorted({os.path.join(corpus, "texts", r["source_id"] + ".md") for r in chosen})
    with TempDir() as tmp:
        gk = Gongkai(binary, os.path.join(tmp, "data"))
        rep = gk.archive(*variants, *sources)
        c.equal(rep["failed"], 0, "nothing failed")
        c.equal(rep["added"], len(variants) + len(sources), "each variant and each source is its own item")
        ids = {os.path.realpath(it["path"]): it["id"] for it in rep["items"]}
        for r, path in zip(chosen, variants):
            src = os.path.join(corpus, "texts", r["source_id"] + ".md")
            with open(src, "rb") as f:
                want = f.read()
            for p, what in ((path, r["file"]), (src, r["source_id"] + ".md")):
                iid = ids.get(os.path.realpath(p))
                if not c.check(iid is not None, f"{what} archived"):
                    continue
                t = gk.run("text", str(iid))
                c.equal(t.rc, 0, f"text {what}: exit")
                got = t.stdout
                if got != want:
                    # Show where they part.
                    k = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]), min(len(got), len(want)))
                    c.check(False, f"text of {what} ({len(got)} bytes) differs from {r['source_id']}.md "
                                   f"({len(want)} bytes) at byte {k}: {got[k:k + 20]!r} vs {want[k:k + 20]!r}")
                else:
                    c.check(True, "")
            sh = gk.json("show", str(ids.get(os.path.realpath(path))), "--json")
            enc = "gb18030" if r["format"] == "txt-gb18030" else "utf-16"
            c.check(enc in (sh.get("charset") or "").lower(), f"{r['file']}: charset {sh.get('charset')!r}")
        # A Chinese phrase from a source finds the source and its variants.
        r0 = chosen[0]
        with open(os.path.join(corpus, "texts", r0["source_id"] + ".md"), encoding="utf-8") as f:
            body = f.read()
        run, best = "", ""
        for ch in body:
            run = run + ch if "\u4e00" <= ch <= "\u9fff" else ""
            if len(run) > len(best):
                best = run
        phrase = best[:8]
        names = gk.filenames(phrase)
        want = {r0["source_id"] + ".md"} | {r["file"] for r in chosen if r["source_id"] == r0["source_id"]}
        c.check(want <= names, f"phrase {phrase} finds {sorted(want)}: got {sorted(names)[:10]}")
    c.finish()


if __name__ == "__main__":
    main(test)
