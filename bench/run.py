#!/usr/bin/env python3
"""Benchmarks followup against what a user would use instead, in one run:
builds Release, generates books, runs followup and the baselines alternately
(medians of N runs, peak RSS from GNU time), checks that the due
lists match, and prints a table of times and ratios.

    bench/run.py [--sizes 500,10000,100000] [--runs 5] [--no-jq] [--via spawn|time]
                 [--formats tsv,table,csv,json,jsonl,template] [--reference DIR]

Needs: python3, cmake, g++ and cc; GNU time (/usr/bin/time, Debian package
`time`) for --via time; jq (optional) for the jq baseline.

`due` is timed in every output format (the goal holds for any of them), each
against the same Python run. `--reference DIR` takes the book generator and
the baselines from DIR instead (gen_contacts.py, due.py, due.jq, log.py: the
team's reference copies in ../shared/bench, which take the same arguments).

Each run is timed from fork to reap by bench/spawn.c (built here), which also
reads the child's peak RSS from wait4: the figure GNU time prints as "Maximum
resident set size". `--via time` runs each command through GNU time instead,
timed from Python: that adds GNU time's own exec to every figure (about 5 ms
on a VM), which weighs on small books' ratios. Either way the table starts
with the floor: /bin/true measured the same way.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TODAY = "2026-11-22"
TIME = "/usr/bin/time"
FIELDS = "{id}\\t{name}\\t{due}\\t{overdue}\\t{last}\\t{rule}"
FORMATS = {"tsv": "tsv", "table": "table", "csv": "csv", "json": "json", "jsonl": "jsonl",
           "template": "{name}\\t{overdue} days\\t{last_kind}"}


def build(build_dir, source=ROOT):
    subprocess.run(["cmake", "-S", source, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release", "-DFOLLOWUP_TESTS=OFF"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build_dir, "-j2", "--target", "followup"], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(build_dir, "followup")


def build_rev(rev, work):
    """followup as it was at git revision `rev`, built from a checkout of its
    own (a detached worktree in `work`), for timing before and after a change
    in the same run."""
    source = os.path.join(work, "before-src")
    if os.path.exists(source):
        subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", source], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(source, ignore_errors=True)
    subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", source, rev], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return build(os.path.join(work, "before-build"), source)


SPAWN = None  # the built bench/spawn.c, or None for --via time


def build_spawn(work):
    binary = os.path.join(work, "spawn")
    subprocess.run(["cc", "-O2", "-o", binary, os.path.join(HERE, "spawn.c")], check=True)
    return binary


def measure(cmd, stdout_path=None):
    """Wall seconds of one run, and its peak RSS in KB (the figure
    `/usr/bin/time -v` prints as "Maximum resident set size"). The RSS comes
    from a parent that is not Python (spawn or GNU time): read with wait4 from
    Python, it would include the forked interpreter's own memory before exec."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    with tempfile.NamedTemporaryFile("r", suffix=".result") as result:
        try:
            if SPAWN:
                code = subprocess.run([SPAWN, result.name] + cmd, stdout=out).returncode
            else:
                start = time.perf_counter()
                code = subprocess.run([TIME, "-f", "%M", "-o", result.name] + cmd, stdout=out).returncode
                secs = time.perf_counter() - start
        finally:
            if stdout_path:
                out.close()
        if code not in (0, 1):  # 1: someone is due, for --exit-code users
            raise SystemExit(f"bench: {' '.join(cmd)} exited {code}")
        fields = result.read().split()
        if SPAWN:
            return float(fields[0]), int(fields[1])
        return secs, int(fields[-1])


def median_runs(cmds, runs, prepare=None):
    """Runs each command in turn, `runs` times; returns name -> (median s, max KB)."""
    results = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            if prepare:
                prepare()
            results[name].append(measure(cmd))
    return {n: (statistics.median(s for s, _ in r), max(k for _, k in r)) for n, r in results.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="500,10000,100000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-jq", action="store_true")
    ap.add_argument("--via", choices=["spawn", "time"], default="spawn",
                    help="time each run from fork to reap (spawn.c), or through GNU time from Python")
    ap.add_argument("--formats", default=",".join(FORMATS),
                    help="due's output formats to time, of " + ", ".join(FORMATS))
    ap.add_argument("--reference", help="a folder with gen_contacts.py, due.py, due.jq and log.py to use instead")
    ap.add_argument("--before", metavar="REV",
                    help="also time followup as built at git revision REV (e.g. main or HEAD~3), in the same runs: "
                         "rows 'before <format>' and 'before' beside today's")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "followup-bench"))
    a = ap.parse_args()
    formats = a.formats.split(",")
    if any(f not in FORMATS for f in formats):
        raise SystemExit(f"bench: --formats takes some of {', '.join(FORMATS)}")
    tools = {"gen": os.path.join(HERE, "gen_book.py"), "due": os.path.join(HERE, "due_baseline.py"),
             "jq": os.path.join(HERE, "due_baseline.jq"), "log": os.path.join(HERE, "log_baseline.py")}
    if a.reference:
        tools = {"gen": os.path.join(a.reference, "gen_contacts.py"), "due": os.path.join(a.reference, "due.py"),
                 "jq": os.path.join(a.reference, "due.jq"), "log": os.path.join(a.reference, "log.py")}
    book_tag = "ref-" if a.reference else ""
    os.makedirs(a.work, exist_ok=True)
    global SPAWN
    if a.via == "spawn":
        SPAWN = build_spawn(a.work)
    elif not os.access(TIME, os.X_OK):
        raise SystemExit("bench: GNU time is needed for --via time: apt-get install time")
    binary = build(os.path.join(a.work, "build"))
    before = build_rev(a.before, a.work) if a.before else None
    use_jq = not a.no_jq and shutil.which("jq")
    rows = []
    for n in [int(s) for s in a.sizes.split(",")]:
        book = os.path.join(a.work, f"{book_tag}book-{n}.json")
        if not os.path.exists(book):
            with open(book, "w") as f:
                subprocess.run([sys.executable, tools["gen"], "--contacts", str(n)], check=True, stdout=f)
        size_kb = os.path.getsize(book) // 1024

        # Same answer first: followup's due list against the Python baseline's.
        mine, theirs = os.path.join(a.work, "mine.tsv"), os.path.join(a.work, "theirs.tsv")
        measure([binary, "-f", book, "--today", TODAY, "due", "-o", FIELDS], mine)
        measure([sys.executable, tools["due"], book, TODAY], theirs)
        same = open(mine, "rb").read() == open(theirs, "rb").read()

        due = {f"followup {f}": [binary, "-f", book, "--today", TODAY, "due", "-o", FORMATS[f]] for f in formats}
        if before:
            due.update({f"before {f}": [before, "-f", book, "--today", TODAY, "due", "-o", FORMATS[f]] for f in formats})
        due["python"] = [sys.executable, tools["due"], book, TODAY]
        if use_jq and n <= 10000:
            due["jq"] = ["jq", "-r", "--arg", "today", TODAY, "-f", tools["jq"], book]
        r = median_runs(due, a.runs)
        for name, (secs, kb) in r.items():
            rows.append((n, size_kb, "due", name, secs, kb, secs / r["python"][0], same))

        # Writes on a copy, restored before each run so every run does the same work.
        copy = os.path.join(a.work, f"write-{n}.json")
        first_id = subprocess.run([binary, "-f", book, "list", "--sort", "added", "-o", "{id}"], check=True,
                                  capture_output=True, text=True).stdout.split("\n", 1)[0]
        log = {"followup": [binary, "-f", copy, "--today", TODAY, "log", first_id, "--date", TODAY, "--note", "bench"],
               "python": [sys.executable, tools["log"], copy, first_id, TODAY, "call", "bench"]}
        if before:
            log["before"] = [before, "-f", copy, "--today", TODAY, "log", first_id, "--date", TODAY, "--note", "bench"]
        r = median_runs(log, a.runs, prepare=lambda: shutil.copyfile(book, copy))
        for name, (secs, kb) in r.items():
            rows.append((n, size_kb, "log", name, secs, kb, secs / r["python"][0], True))

    # What a process costs with nothing to do, measured the same way: every
    # figure below carries it, so small books' ratios do too.
    floor = statistics.median(measure(["/bin/true"])[0] for _ in range(max(a.runs, 20)))
    print(f"floor: /bin/true takes {floor * 1000:.1f} ms measured the same way (--via {a.via})")
    print(f"{'contacts':>9} {'file MB':>8}  {'job':4} {'tool':17} {'median s':>9} {'× python':>9} {'peak MB':>8} {'× file':>7}  same due list")
    for n, size_kb, job, name, secs, kb, ratio, same in rows:
        print(f"{n:>9} {size_kb / 1024:>8.1f}  {job:4} {name:17} {secs:>9.3f} {ratio:>9.3f} {kb / 1024:>8.1f} "
              f"{kb / max(size_kb, 1):>7.2f}  {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
