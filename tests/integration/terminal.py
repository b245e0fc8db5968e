#!/usr/bin/env python3
"""What a person at a terminal sees, on 600 shared texts (three of them
exact copies of others) archived on two workers.

- With stderr on a terminal, archive redraws one progress line in place:
  done/total files (total is the number of files given; done never goes
  back nor past it), the rate in MB/s, an ETA, the failures; the line is
  cleared at the end and the summary "N added, N duplicate, N failed (T s)"
  is on stdout. With stderr not a terminal there is no redrawing at all.
- verify on a terminal redraws "verifying N/M originals (P%)" with M the
  number of items; not on a pipe, and never with --json.
- Ctrl-C (SIGINT, to the gongkai process), then SIGTERM, in the middle of
  a run (once a fifth, then over half of the contents are stored; a run
  that ended first fails the test): exit 130, a message saying to run the
  same command again, every original stored has its item and verify is
  clean; the same command then finishes, and the archive equals one made
  without interruption (items, verify, search results)."""
import json
import os
import pty
import re
import select
import signal
import subprocess
import threading
import time
import tty

from gktest import Checker, Failure, Gongkai, TempDir, main, need_shared_corpus, sha256_file

NTEXTS = 600
DUPLICATES = ["L001138", "L001362", "L001199", "L001337", "L001220", "L001293"]  # three identical pairs
# The interruptions, as (signal, stderr on a terminal, when: once this share
# of the contents is stored). The originals are stored one by one as files
# are taken (objects/, see README.md), so the store tells how far a run has
# gone whatever the speed of the machine: the signal comes with hundreds of
# files still to go. The second round first skips what the first archived.
ROUNDS = [(signal.SIGINT, True, 0.2), (signal.SIGTERM, False, 0.55)]
QUERIES = ["人民政府", "法律责任", "第一条", "条例", "管理办法", "公开"]
CLEAR = b"\r\033[K"
ARCHIVE_PROGRESS = re.compile(r"(\d+)/(\d+) files  (\d+\.\d) MB/s(?:  ETA (\d+):(\d\d))?  (\d+) failed  ")
VERIFY_PROGRESS = re.compile(r"verifying (\d+)/(\d+) originals \((\d+)%\)")
SUMMARY = re.compile(r"^(\d+) added, (\d+) duplicate, (\d+) failed \((\d+\.\d) s\)$", re.M)


class Run:
    """One gongkai process, started directly (no shell): stdout on a pipe,
    stderr on a pseudo-terminal (on_tty) or a pipe. Threads drain both as
    it goes, so that it never blocks writing its progress."""

    def __init__(self, argv, on_tty):
        master = None
        if on_tty:
            master, slave = pty.openpty()
            # Raw: the bytes as the program wrote them, no \n -> \r\n.
            tty.setraw(slave)
            self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
            os.close(slave)
            err_fd = master
        else:
            self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE)
            err_fd = self.p.stderr.fileno()
        self.master = master
        self.t0 = time.monotonic()
        self.stop = threading.Event()
        self.deadline = 0.0
        self.closed = False
        self.out, self.err = bytearray(), bytearray()
        self.eof = {}
        self.threads = [threading.Thread(target=self._drain, args=(self.p.stdout.fileno(), self.out, "out")),
                        threading.Thread(target=self._drain, args=(err_fd, self.err, "err"))]
        for t in self.threads:
            t.start()

    def _drain(self, fd, buf, name):
        # Until end of file (EIO on a terminal's master side once every
        # writer is gone), or, once the process has ended, until nothing
        # more has come for the grace period.
        while True:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                if self.stop.is_set() and time.monotonic() > self.deadline:
                    break
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                self.eof[name] = True
                break
            buf.extend(data)

    def running(self):
        return self.p.poll() is None

    def wait(self, timeout=300):
        """Wait for the exit; a run that outlives TIMEOUT is killed and fails."""
        if self.closed:
            return self.p.returncode
        try:
            self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.p.pid, signal.SIGKILL)
            self.p.wait(timeout=30)
            self.close()
            text = bytes(self.err).decode("utf-8", "replace")
            raise Failure(f"gongkai {' '.join(self.p.args[3:])} did not end within {timeout} s: {text[-300:]!r}")
        self.close()
        return self.p.returncode

    def left_open(self):
        """Whether something (a process left behind) still held stderr open
        a while after the exit."""
        return "err" not in self.eof

    def close(self, grace=5):
        self.closed = True
        self.deadline = time.monotonic() + grace
        self.stop.set()
        for t in self.threads:
            t.join(timeout=grace + 5)
        self.p.stdout.close()
        if self.p.stderr:
            self.p.stderr.close()
        if self.master is not None:
            os.close(self.master)
            self.master = None


def run(argv, on_tty, timeout=300):
    r = Run(argv, on_tty)
    rc = r.wait(timeout)
    return rc, bytes(r.out).decode("utf-8", "replace"), bytes(r.err)


def after_last_clear(err):
    """What stays on screen after the last clearing of the line."""
    i = err.rfind(CLEAR)
    return err[i + len(CLEAR):] if i >= 0 else err


def check_summary(c, out, want, what):
    m = SUMMARY.search(out)
    if c.check(m is not None, f"{what}: the summary line is on stdout ({out!r})"):
        c.equal(tuple(int(x) for x in m.groups()[:3]), want, f"{what}: added, duplicate, failed")
    return m


def check_archive_progress(c, err, nfiles):
    """The progress line of a run over NFILES files on a terminal."""
    c.check(err.count(CLEAR) >= 10, f"the progress line is redrawn (\\r\\033[K) ({err.count(CLEAR)} times)")
    lines = [ARCHIVE_PROGRESS.match(s.decode("utf-8", "replace")) for s in err.split(CLEAR)]
    lines = [m for m in lines if m]
    print(f"archive on a terminal: {err.count(CLEAR)} redraws, {len(lines)} progress lines")
    if not c.check(len(lines) >= 10, f"progress lines done/total files ({len(lines)}): {err[:300]!r}"):
        return
    done = [int(m.group(1)) for m in lines]
    totals = {int(m.group(2)) for m in lines}
    c.equal(totals, {nfiles}, "the total of the progress line is the number of files given")
    back = [(a, b) for a, b in zip(done, done[1:]) if b < a]
    c.equal(back[:3], [], "the done count never goes back (from, to)")
    c.check(max(done) <= nfiles, f"the done count never passes the total ({max(done)} of {nfiles})")
    # The line is drawn as each file is taken, with the files reported so
    # far (added ones once their batch commits): it follows the run to
    # near its end.
    c.check(done[0] < nfiles // 10 and done[-1] >= nfiles * 3 // 4,
            f"the done count follows the run from {done[0]} to {done[-1]} of {nfiles}")
    c.check(any(float(m.group(3)) > 0 for m in lines), "a rate in MB/s above zero")
    etas = [int(m.group(4)) * 60 + int(m.group(5)) for m in lines if m.group(4)]
    c.check(len(etas) >= 3, f"an ETA once the run has gone on a second ({len(etas)} lines with one)")
    c.check(all(int(m.group(5)) < 60 for m in lines if m.group(4)) and all(e < 3600 for e in etas),
            f"ETA values m:ss within reason ({etas[:5]}…)")
    # Drawn as the last file is taken, the ETA says the run is nearly done.
    c.check(bool(etas) and etas[-1] <= 10, f"the ETA comes down to nothing ({etas[-5:]})")
    c.check(all(m.group(6) == "0" for m in lines), "no failures shown")
    # Nothing but the progress and indexing lines in a run without failures.
    other = [s for s in err.split(CLEAR) if s and not ARCHIVE_PROGRESS.match(s.decode("utf-8", "replace"))
             and not re.fullmatch(rb"indexing \d+/\d+", s)]
    c.equal(other[:3], [], "stderr besides the progress and indexing lines")
    c.equal(after_last_clear(err), b"", "the progress line is cleared at the end")


def check_verify(c, gk, items):
    """verify's progress line on a terminal, and none elsewhere."""
    argv = gk.argv("verify")
    rc, out, err = run(argv, True, timeout=120)
    c.equal(rc, 0, f"verify on a terminal exits 0 ({out[-200:]!r})")
    c.check(out.rstrip().endswith("ok"), f"verify says ok: {out[-200:]!r}")
    c.check(err.count(CLEAR) >= 3, f"verify redraws its progress line ({err.count(CLEAR)} times)")
    seen = [VERIFY_PROGRESS.match(s.decode("utf-8", "replace")) for s in err.split(CLEAR)]
    seen = [tuple(int(x) for x in m.groups()) for m in seen if m]
    print(f"verify on a terminal: {len(seen)} progress lines, last {seen[-1:]}")
    if c.check(len(seen) >= 3, f"verifying N/M originals (P%) lines: {err[:300]!r}"):
        c.equal({m for _, m, _ in seen}, {items}, "verify: M is the number of items")
        c.check(all(n <= m for n, m, _ in seen), f"verify: N never passes M: {seen[-3:]}")
        c.check(all(a[0] <= b[0] for a, b in zip(seen, seen[1:])), "verify: N never goes back")
        c.check(all(p == n * 100 // m for n, m, p in seen), "verify: the percentage is N/M")
        c.equal(seen[-1][0], items, "verify: the last line shows every original checked")
    c.equal(after_last_clear(err), b"", "verify clears its progress line")

    rc, out, err = run(argv, False, timeout=120)
    c.equal(rc, 0, "verify on a pipe exits 0")
    c.check(b"\r" not in err and b"\033[" not in err, f"verify on a pipe: no redrawing: {err[:200]!r}")

    rc, out, err = run(gk.argv("verify", "--json"), True, timeout=120)
    c.equal(rc, 0, "verify --json on a terminal exits 0")
    c.check(b"\r" not in err, f"verify --json on a terminal: no progress line: {err[:200]!r}")
    try:
        v = json.loads(out)
    except ValueError as e:
        c.check(False, f"verify --json on a terminal prints JSON ({e}): {out[:300]!r}")
    else:
        c.check(v.get("ok") is True and v.get("items") == items, f"verify --json: ok, {items} items: {out[:300]}")


def verify_clean(c, gk, what):
    v = gk.json("verify", "--json", ok=(0, 1))
    bad = {k: v.get(k) for k in ("objects_missing", "objects_corrupt", "index_missing", "index_extra", "index_lag")
           if v.get(k) != 0}
    c.check(v.get("ok") is True and not bad and v.get("problems") == [] and v.get("objects_ok") == v.get("items"),
            f"{what}: verify is clean ({bad}, {v.get('problems', [])[:3]})")
    return v["items"]


def results(gk):
    return {q: {(h["filename"], h["title"]) for h in gk.search_all(q)[0]} for q in QUERIES}


def stored(data):
    """The originals in the object store of DATA (objects/ab/abcdef…)."""
    try:
        subdirs = os.listdir(os.path.join(data, "objects"))
    except FileNotFoundError:
        return 0
    n = 0
    for sub in subdirs:
        try:
            n += sum(1 for f in os.listdir(os.path.join(data, "objects", sub)) if re.fullmatch(r"[0-9a-f]{64}", f))
        except (NotADirectoryError, FileNotFoundError):
            pass
    return n


def interrupt(c, gk, argv, sig, on_tty, target, nfiles, distinct, before):
    """Run ARGV (an archive of NFILES files, DISTINCT contents), send SIG to
    it once TARGET originals are stored, and check that it stops as it says
    and leaves a clean archive. BEFORE: the items until now."""
    name = signal.Signals(sig).name
    r = Run(argv, on_tty)
    try:
        deadline = time.monotonic() + 120
        while stored(gk.data) < target and r.running() and time.monotonic() < deadline:
            time.sleep(0.02)
        if not r.running():
            raise Failure(f"the archive run ended (exit {r.p.returncode}) before the {name}, which was to come "
                          f"once {target} of {distinct} originals were stored: {bytes(r.err)[-300:]!r}")
        if stored(gk.data) < target:
            raise Failure(f"the archive run stored {stored(gk.data)} originals in 120 s, not {target}")
        os.kill(r.p.pid, sig)
        t_sig = time.monotonic() - r.t0
        at = stored(gk.data)
        rc = r.wait(timeout=120)
    finally:
        if r.running():
            os.kill(r.p.pid, signal.SIGKILL)
        r.wait(timeout=30)
    took = time.monotonic() - r.t0
    err = bytes(r.err)
    text = err.decode("utf-8", "replace")
    out = bytes(r.out).decode("utf-8", "replace")
    print(f"{name} at {t_sig:.2f} s, {at} of {distinct} originals stored: exit {rc} at {took:.2f} s")
    c.equal(rc, 130, f"{name}: exit status")
    c.check("interrupted" in text and "Run the same command again" in text,
            f"{name}: the message says it was interrupted and to run the same command again: {text[-300:]!r}")
    c.check(took - t_sig < 30, f"{name}: the run stops soon ({took - t_sig:.1f} s after the signal)")
    c.check(not r.left_open(), f"{name}: no process is left holding stderr")
    c.check(b"Sanitizer" not in err, f"{name}: no sanitizer report: {text[-500:]!r}")
    if on_tty:
        i = err.find(b"gongkai: archive: interrupted")
        c.check(i == 0 or err[:i].endswith(CLEAR) or err[:i].endswith(b"\n"),
                f"{name}: the message is on a line of its own: {err[max(0, i - 80):i + 40]!r}")
    items = verify_clean(c, gk, f"after {name}")
    # The batch at hand is finished, not dropped: every original stored has its item.
    c.equal(stored(gk.data), items, f"{name}: originals stored and items")
    c.check(before < items < distinct, f"{name}: the run was cut off part way ({items} items, {before} before, "
                                        f"{distinct} in all)")
    m = SUMMARY.search(out)
    if c.check(m is not None, f"{name}: the summary line is on stdout ({out!r})"):
        added, dup, failed = (int(x) for x in m.groups()[:3])
        c.equal(added, items - before, f"{name}: the files reported added are the new items")
        c.equal(failed, 0, f"{name}: failed")
        c.check(added + dup < nfiles, f"{name}: the summary counts only the files taken ({added} + {dup})")
    return items


def test(binary):
    corpus = need_shared_corpus()
    texts = os.path.join(corpus, "texts")
    names = sorted(f for f in os.listdir(texts) if f.endswith(".md"))
    dups = [d + ".md" for d in DUPLICATES]
    chosen = sorted(set([n for n in names if n not in dups][:NTEXTS - len(dups)] + dups))
    c = Checker("terminal")
    with TempDir() as tmp:
        inp = os.path.join(tmp, "in")
        os.mkdir(inp)
        for n in chosen:
            with open(os.path.join(texts, n), "rb") as f, open(os.path.join(inp, n), "wb") as g:
                g.write(f.read())
        nfiles = len(chosen)
        distinct = len({sha256_file(os.path.join(inp, n)) for n in chosen})
        c.equal((nfiles, distinct), (NTEXTS, NTEXTS - len(dups) // 2), "files and distinct contents of the input")

        def archive_all(gk, on_tty):
            """Archive every input, stderr on a terminal or a pipe; returns stderr."""
            where = "on a terminal" if on_tty else "on a pipe"
            t0 = time.monotonic()
            rc, out, err = run(gk.argv("archive", inp, "--jobs", "2"), on_tty)
            print(f"archive, stderr {where}: {time.monotonic() - t0:.1f} s")
            c.equal(rc, 0, f"archive {where} exits 0 ({err[-300:]!r})")
            check_summary(c, out, (distinct, nfiles - distinct, 0), f"archive {where}")
            return err

        # 1. The progress line on a terminal, none on a pipe.
        term = Gongkai(binary, os.path.join(tmp, "term"))
        check_archive_progress(c, archive_all(term, True), nfiles)
        ref = Gongkai(binary, os.path.join(tmp, "ref"))
        err = archive_all(ref, False)
        c.check(b"\r" not in err and b"\033[" not in err, f"archive on a pipe: no redrawing on stderr: {err[:200]!r}")

        # 2. verify's progress line.
        items = ref.json("stats", "--json")["items"]
        c.equal(items, distinct, "one item per distinct content")
        check_verify(c, term, items)

        # 3. Interrupted twice, then the same command to the end.
        gk = Gongkai(binary, os.path.join(tmp, "data"))
        argv = gk.argv("archive", inp, "--jobs", "2")
        before = 0
        for sig, on_tty, share in ROUNDS:
            before = interrupt(c, gk, argv, sig, on_tty, int(share * distinct), nfiles, distinct, before)
        rc, out, err = run(argv, False)
        c.equal(rc, 0, f"the same command again finishes ({err[-300:]!r})")
        c.check(b"Sanitizer" not in err, f"the run to the end: no sanitizer report: {err[-500:]!r}")
        check_summary(c, out, (distinct - before, nfiles - (distinct - before), 0), "the run to the end")
        c.equal(gk.json("stats", "--json")["items"], distinct, "after the interruptions: one item per distinct content")
        verify_clean(c, gk, "after the run to the end")
        c.equal(gk.run("verify").rc, 0, "verify exits 0")
        c.equal(gk.search_all("")[1], distinct, "every item is in the index")
        want = results(ref)
        c.check(all(want[q] for q in QUERIES), "the uninterrupted archive finds every query")
        got = results(gk)
        c.equal([q for q in QUERIES if got[q] != want[q]], [],
                "queries whose results differ from the uninterrupted archive")
    c.finish()


if __name__ == "__main__":
    main(test)
