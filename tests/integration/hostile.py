#!/usr/bin/env python3
"""The shared hostile files, archived in one batch: each ends as its row of
hostile.tsv says (a clear error, or the tolerant result), the batch
finishes, nothing is written outside the data directory, and what was
archived is searchable."""
import os
import shutil
import time

from gktest import Checker, Gongkai, TempDir, main, need_shared_corpus

# file -> (allowed outcomes, a word the error must hold when it failed,
#          a phrase the text must hold when it was added)
EXPECTED = {
    "zero_bytes.pdf": ({"failed"}, "empty", None),
    "zero_bytes.txt": ({"failed"}, "empty", None),
    "random_bytes.pdf": ({"failed"}, "", None),
    "truncated_half.pdf": ({"failed", "added"}, "", None),
    "encrypted_user_password_aes256.pdf": ({"failed"}, "encrypted", None),
    "encrypted_owner_only_no_extract.pdf": ({"added"}, None, "中华人民共和国"),
    "password_protected.docx": ({"failed"}, "encrypted", None),
    "password_protected.doc": ({"failed"}, "encrypted", None),
    "broken_central_directory.docx": ({"failed", "added"}, "zip", None),
    "zip_bomb_1GiB.docx": ({"failed"}, "bomb", None),
    "billion_laughs.docx": ({"failed", "added"}, "", None),
    "zip_slip_paths.docx": ({"added"}, None, "中华人民共和国"),
    "invalid_utf8.txt": ({"added"}, None, None),
    "single_line_5MB.txt": ({"added"}, None, None),
    "docx_named_as.pdf": ({"added"}, None, "中华人民共和国"),
    "nested_10000_divs.html": ({"added"}, None, "政府信息公开"),
    "unclosed_15000_tags.html": ({"added"}, None, None),
    "pages_2000.pdf": ({"added"}, None, "共2000页"),
    "broken_xref.pdf": ({"failed", "added"}, "", None),
    "deep_array_200k.pdf": ({"failed", "added"}, "", None),
    "rtf_deep_groups.rtf": ({"failed", "added"}, "", None),
    "中文文件名 含空格（2024）.txt": ({"added"}, None, None),
}
SLIP_TARGETS = ["/tmp/zip_slip_written_by_ingester.txt", "/etc/zip_slip_absolute.txt"]


def test(binary):
    corpus = need_shared_corpus()
    hostile = os.path.join(corpus, "hostile")
    c = Checker("hostile")
    present = sorted(os.listdir(hostile))
    c.equal(sorted(EXPECTED), present, "every hostile file has an expectation")
    slip_before = {p: os.path.exists(p) for p in SLIP_TARGETS}
    with TempDir() as tmp:
        gk = Gongkai(binary, os.path.join(tmp, "data"), timeout=900)
        work = os.path.join(tmp, "in")
        shutil.copytree(hostile, work)
        t0 = time.monotonic()
        r = gk.run("archive", work, "--json", "--limit", "seconds=30")
        secs = time.monotonic() - t0
        c.equal(r.rc, 1, "exit status 1: some files failed, the batch finished")
        c.check("Sanitizer" not in r.err, "no sanitizer report")
        rep = r.json()
        items = {os.path.basename(it["path"]): it for it in rep["items"]}
        print(f"archived the hostile batch in {secs:.1f} s: added {rep['added']}, failed {rep['failed']}")
        for name, (allowed, err_word, phrase) in sorted(EXPECTED.items()):
            it = items.get(name)
            if not c.check(it is not None, f"{name}: reported"):
                continue
            print(f"  {name}: {it['status']}" + (f" ({it['error']})" if it.get("error") else ""))
            c.check(it["status"] in allowed, f"{name}: {it['status']} is one of {sorted(allowed)}")
            if it["status"] == "failed" and err_word:
                c.check(err_word in (it.get("error") or "").lower(), f"{name}: error mentions '{err_word}'")
            if it["status"] == "added":
                text = gk.run("text", str(it["id"])).out
                c.check(len(text) < 64 << 20, f"{name}: text bounded")
                # Layout spacing (PDF) is not content: compare without it.
                if phrase:
                    c.check(phrase in "".join(text.split()), f"{name}: text holds {phrase}")
        pages = items.get("pages_2000.pdf")
        if pages and pages.get("id"):
            c.equal(gk.json("show", str(pages["id"]), "--json").get("pages"), 2000, "pages_2000.pdf: page count")
        odd = items.get("中文文件名 含空格（2024）.txt")
        if odd and odd.get("id"):
            c.equal(gk.json("show", str(odd["id"]), "--json").get("filename"), "中文文件名 含空格（2024）.txt",
                    "a Chinese file name with spaces is kept intact")
        for p in SLIP_TARGETS:
            c.check(os.path.exists(p) == slip_before[p], f"nothing written to {p}")
        c.equal(gk.run("verify").rc, 0, "verify after the hostile batch")
    c.finish()


if __name__ == "__main__":
    main(test)
