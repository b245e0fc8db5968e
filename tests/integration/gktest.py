"""Shared code of the integration tests: run the gongkai CLI on a data
directory, parse its JSON, find the corpora, skip cleanly (exit 77)."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))


def source_dir():
    return os.environ.get("GK_SOURCE_DIR") or os.path.normpath(os.path.join(HERE, "..", ".."))


def shared_corpus():
    """The shared corpus directory, or None when it is absent."""
    d = os.environ.get("GK_SHARED_CORPUS") or os.path.join(source_dir(), "..", "shared", "corpus")
    d = os.path.normpath(d)
    return d if os.path.isdir(os.path.join(d, "texts")) else None


def need_shared_corpus():
    d = shared_corpus()
    if d is None:
        skip("the shared corpus is absent (set GK_SHARED_CORPUS)")
    return d


def skip(why):
    print("SKIP:", why)
    sys.exit(SKIP)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


class Failure(Exception):
    pass


class Checker:
    """Collects failed checks so that one run reports all of them."""

    def __init__(self, name):
        self.name = name
        self.failures = []
        self.checks = 0

    def check(self, cond, what):
        self.checks += 1
        if not cond:
            self.failures.append(what)
            print("FAIL:", what, flush=True)
        return cond

    def equal(self, got, want, what):
        return self.check(got == want, f"{what}: got {got!r}, want {want!r}")

    def finish(self):
        print(f"{self.name}: {self.checks - len(self.failures)}/{self.checks} checks passed")
        sys.exit(1 if self.failures else 0)


class Result:
    def __init__(self, p):
        self.rc = p.returncode
        self.stdout = p.stdout
        self.stderr = p.stderr

    @property
    def out(self):
        return self.stdout.decode("utf-8", "replace") if isinstance(self.stdout, bytes) else self.stdout

    @property
    def err(self):
        return self.stderr.decode("utf-8", "replace") if isinstance(self.stderr, bytes) else self.stderr

    def json(self):
        try:
            return json.loads(self.out)
        except (json.JSONDecodeError, ValueError) as e:
            raise Failure(f"not JSON ({e}): rc={self.rc} stdout={self.out[:300]!r} stderr={self.err[:300]!r}")


class Gongkai:
    """The gongkai binary bound to one data directory."""

    def __init__(self, binary, data, timeout=300):
        self.binary = binary
        self.data = data
        self.timeout = timeout

    def argv(self, *args):
        return [self.binary, "--data", self.data] + [a for a in args]

    def run(self, *args, timeout=None, stdin=None, cwd=None):
        p = subprocess.run(self.argv(*args), capture_output=True, timeout=timeout or self.timeout,
                           stdin=stdin if stdin is not None else subprocess.DEVNULL, cwd=cwd)
        return Result(p)

    def json(self, *args, ok=(0,), timeout=None):
        r = self.run(*args, timeout=timeout)
        if r.rc not in ok:
            raise Failure(f"gongkai {' '.join(map(str, args))[:200]}: exit {r.rc}: {r.err[:500]}")
        return r.json()

    def archive(self, *paths_and_opts, ok=(0,), timeout=None):
        return self.json("archive", *paths_and_opts, "--json", ok=ok, timeout=timeout)

    def search(self, query, *opts, timeout=None):
        return self.json("search", "--json", *opts, "--", query, timeout=timeout) if query.startswith("-") \
            else self.json("search", "--json", *opts, query, timeout=timeout)

    def search_all(self, query, *opts):
        """Every hit over all pages (size 1000, scope all)."""
        hits, page = [], 1
        while True:
            r = self.search(query, "--scope", "all", "--size", "1000", "--page", str(page), *opts)
            hits.extend(r["hits"])
            if len(r["hits"]) < 1000 or len(hits) >= r["total"]:
                return hits, r["total"]
            page += 1

    def filenames(self, query, *opts):
        hits, _ = self.search_all(query, *opts)
        return {h["filename"] for h in hits}


class TempDir:
    """A temporary directory removed on exit (also after a failure)."""

    def __init__(self, prefix="gk-it-"):
        self.path = tempfile.mkdtemp(prefix=prefix)

    def __enter__(self):
        return self.path

    def __exit__(self, *exc):
        for root, dirs, _ in os.walk(self.path):
            for d in dirs:
                try:
                    os.chmod(os.path.join(root, d), 0o700)
                except OSError:
                    pass
        shutil.rmtree(self.path, ignore_errors=True)
        return False


def main(fn):
    """Run FN(binary) and turn a Failure or an unexpected exception into exit 1."""
    if len(sys.argv) < 2:
        print("usage: test.py PATH-TO-gongkai", file=sys.stderr)
        sys.exit(2)
    binary = os.path.abspath(sys.argv[1])
    try:
        fn(binary)
    except Failure as e:
        print("FAIL:", e)
        sys.exit(1)
