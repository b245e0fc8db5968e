#!/usr/bin/env python3
"""Every document format of the shared corpus: archive formats/ and real/,
then measure, per format, how much of each source text the extracted text
holds (recall of the source's CJK 8-grams) and how little it adds
(precision), the spreadsheet catalogues' cells and dates, and that every
real third-party file gives text under the right format name."""
import csv
import os
import re
import sys
from collections import defaultdict

from gktest import Checker, Gongkai, TempDir, main, need_shared_corpus

CJK = re.compile(r"[\u3400-\u9fff]")
# Thresholds of the format-fidelity contract: ≥ 98% of the source's
# 8-grams found, ≤ 2% of the extracted ones not in the source.
MIN_RECALL = 0.98
MIN_PRECISION = 0.98
# real/ files whose text is not extractable without OCR or font-level
# decoding: their fonts carry no usable ToUnicode map (see real.tsv notes).
NOT_EXTRACTABLE = {"ofdrw_gmt0031_standard.pdf"}


def grams(text, n=8):
    s = "".join(CJK.findall(text))
    return {s[i:i + n] for i in range(max(0, len(s) - n + 1))}


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def by_name(report):
    return {os.path.basename(it["path"]): it for it in report["items"]}


def check_formats(c, gk, corpus):
    rows = read_tsv(os.path.join(corpus, "formats.tsv"))
    rep = gk.archive(os.path.join(corpus, "formats"), ok=(0, 1), timeout=3600)
    items = by_name(rep)
    failed = [(n, it.get("error")) for n, it in items.items() if it["status"] == "failed"]
    c.equal(failed, [], "formats/: files that failed")
    rec, prec = defaultdict(list), defaultdict(list)
    for row in rows:
        it = items.get(row["file"])
        if not c.check(it is not None and it.get("id") is not None, f"{row['file']} archived"):
            continue
        fmt = row["format"]
        if fmt == "pdf-scanned":
            shown = gk.json("show", str(it["id"]), "--json")
            c.check("needs_ocr" in (shown.get("flags") or []), f"{row['file']}: flagged needs_ocr")
            continue
        if fmt == "xlsx":
            continue
        got = grams(gk.run("text", str(it["id"])).out)
        with open(os.path.join(corpus, "texts", row["source_id"] + ".md"), encoding="utf-8") as f:
            want = grams(f.read())
        rec[fmt].append(len(got & want) / max(1, len(want)))
        prec[fmt].append(len(got & want) / max(1, len(got)))
    for fmt in sorted(rec):
        r = sum(rec[fmt]) / len(rec[fmt])
        p = sum(prec[fmt]) / len(prec[fmt])
        worst = min(rec[fmt])
        print(f"  {fmt:12s} files {len(rec[fmt]):3d}  recall {r:.4f} (worst {worst:.3f})  precision {p:.4f}")
        c.check(r >= MIN_RECALL, f"{fmt}: recall {r:.4f} >= {MIN_RECALL}")
        c.check(p >= MIN_PRECISION, f"{fmt}: precision {p:.4f} >= {MIN_PRECISION}")
    return rows, items


def check_catalogues(c, gk, corpus, rows, items):
    """catalogue_*.xlsx list law texts with their 发布日期 as date cells:
    each listed id's title and date (from docs.tsv) must come out, the
    date as a date, not as a serial number."""
    docs = {d["id"]: d for d in read_tsv(os.path.join(corpus, "docs.tsv"))}
    for row in rows:
        if row["format"] != "xlsx":
            continue
        it = items.get(row["file"])
        if not c.check(it is not None and it.get("id") is not None, f"{row['file']} archived"):
            continue
        text = gk.run("text", str(it["id"])).out
        ids = re.findall(r"L\d{6}", row.get("notes", ""))
        c.check(len(ids) > 0, f"{row['file']}: the notes list ids")
        found_title = found_date = 0
        for i in ids:
            d = docs.get(i)
            if not d:
                continue
            found_title += d["title"] in text
            found_date += bool(d["date"]) and d["date"] in text
        dated = sum(1 for i in ids if docs.get(i, {}).get("date"))
        print(f"  {row['file']}: {found_title}/{len(ids)} titles, {found_date}/{dated} dates as YYYY-MM-DD")
        c.equal(found_title, len(ids), f"{row['file']}: titles of the listed laws")
        c.equal(found_date, dated, f"{row['file']}: their dates, as dates")


def check_real(c, gk, corpus):
    rep = gk.archive(os.path.join(corpus, "real"), ok=(0, 1), timeout=1800)
    items = by_name(rep)
    for row in read_tsv(os.path.join(corpus, "real.tsv")):
        name = row["file"]
        it = items.get(name)
        if not c.check(it is not None and it["status"] != "failed",
                       f"real/{name}: archived ({it and it.get('error')})"):
            continue
        shown = gk.json("show", str(it["id"]), "--json")
        c.equal(shown.get("format"), row["format"], f"real/{name}: format")
        text = gk.run("text", str(it["id"])).out
        han = len(CJK.findall(text))
        print(f"  real/{name}: {shown.get('format')}, {len(text)} chars, {han} Han")
        if name in NOT_EXTRACTABLE:
            continue
        c.check(han > 0, f"real/{name}: Chinese text extracted")


def test(binary):
    corpus = need_shared_corpus()
    c = Checker("formats")
    with TempDir() as tmp:
        gk = Gongkai(binary, os.path.join(tmp, "data"), timeout=600)
        print("formats/ (recall and precision of CJK 8-grams against the source text):")
        rows, items = check_formats(c, gk, corpus)
        check_catalogues(c, gk, corpus, rows, items)
        print("real/:")
        check_real(c, gk, corpus)
    c.finish()


if __name__ == "__main__":
    main(test)
