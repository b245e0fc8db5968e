#!/usr/bin/env python3
"""Build a scaled benchmark corpus (~100,000 Markdown files) from the shared texts.

usage: make_scaled.py SRC_TEXTS_DIR OUT_DIR [--total N] [--years 2015-2024]

Each source text is split at paragraph boundaries into chunks of about
2-4 KB. Each chunk becomes a Markdown file whose first line is a title made
from the source title and a section number. To reach the requested total,
each chunk is written several times; every copy after the first is lightly
and deterministically mutated (one paragraph dropped, paragraphs rotated,
a reference line added) so that no two files are byte-identical and the
SHA-256 deduplication of the archive keeps them all.

Files are spread over one sub-directory per year (OUT_DIR/2015 ... OUT_DIR/2024),
round-robin, so that each year's slice can be archived with --year Y.
The output depends only on the input files and the arguments.
"""
import argparse
import hashlib
import os
import random
import sys


def paragraphs(text):
    return [p.strip("\n") for p in text.split("\n\n") if p.strip()]


def chunk_text(body_paras, rng):
    """Group paragraphs into chunks of about 2-4 KB (UTF-8 bytes)."""
    chunks, cur, size = [], [], 0
    target = rng.randint(2048, 4096)
    for p in body_paras:
        b = len(p.encode("utf-8")) + 2
        cur.append(p)
        size += b
        if size >= target:
            chunks.append(cur)
            cur, size = [], 0
            target = rng.randint(2048, 4096)
    if cur:
        if chunks and size < 1024:
            chunks[-1].extend(cur)  # fold a short tail into the previous chunk
        else:
            chunks.append(cur)
    return chunks


def mutate(paras, variant, rng):
    """A light, deterministic change: drop one paragraph, rotate the rest."""
    paras = list(paras)
    if len(paras) > 2:
        del paras[rng.randrange(len(paras))]
    if len(paras) > 1:
        k = variant % len(paras)
        paras = paras[k:] + paras[:k]
    return paras


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--total", type=int, default=100000)
    ap.add_argument("--years", default="2015-2024")
    a = ap.parse_args()
    y0, y1 = (int(x) for x in a.years.split("-"))
    years = list(range(y0, y1 + 1))
    if a.total < 1 or a.total > 2000000:
        sys.exit("--total must be between 1 and 2000000")

    names = sorted(n for n in os.listdir(a.src) if n.endswith(".md"))
    if not names:
        sys.exit("no .md files in " + a.src)

    # 1. Chunks of every source text, in a fixed order.
    chunks = []  # (source id, section number, title, paragraphs)
    for n in names:
        sid = n[:-3]
        with open(os.path.join(a.src, n), encoding="utf-8", errors="replace") as f:
            text = f.read()
        paras = paragraphs(text)
        title = sid
        if paras and paras[0].startswith("# "):
            title = paras[0][2:].strip() or sid
            paras = paras[1:]
        rng = random.Random(int(hashlib.sha256(sid.encode()).hexdigest()[:16], 16))
        for i, c in enumerate(chunk_text(paras, rng), 1):
            chunks.append((sid, i, title, c))
    n = len(chunks)

    # 2. Copies per chunk so that the total is exact.
    base, extra = divmod(a.total, n)
    for y in years:
        os.makedirs(os.path.join(a.out, str(y)), exist_ok=True)
    written, nbytes = 0, 0
    for ci, (sid, sec, title, paras) in enumerate(chunks):
        copies = base + (1 if ci < extra else 0)
        for v in range(copies):
            if v == 0:
                body = paras
                head = "# %s（第%d部分）" % (title, sec)
            else:
                seed = int(hashlib.sha256(("%s/%d/%d" % (sid, sec, v)).encode()).hexdigest()[:16], 16)
                body = mutate(paras, v, random.Random(seed))
                head = "# %s（第%d部分之%d）" % (title, sec, v)
            ref = "索引：%s-%04d-%02d" % (sid, sec, v)
            doc = "\n\n".join([head, ref] + body) + "\n"
            year = years[written % len(years)]
            path = os.path.join(a.out, str(year), "%s_%04d_%02d.md" % (sid, sec, v))
            data = doc.encode("utf-8")
            with open(path, "wb") as f:
                f.write(data)
            written += 1
            nbytes += len(data)
    print("sources %d, chunks %d, files %d, bytes %d (%.1f MB)"
          % (len(names), n, written, nbytes, nbytes / 1e6))


if __name__ == "__main__":
    main()
