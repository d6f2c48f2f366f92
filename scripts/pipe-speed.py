#!/usr/bin/env python3
"""End-to-end speed of faqbot's pipe mode against a batch classifier (issue 11).

    python3 scripts/pipe-speed.py target/release/faqbot [--runs 5] [--repeat 10] [--jobs 2]

Builds the BANKING77 knowledge base with `faqbot import` (train split, in a
temporary directory), repeats the test split's lines `--repeat` times
(30,800 lines for 10) and times, in alternation, `--runs` times each:

* `faqbot --intents KB --stateless --json < lines > /dev/null` on one core
  (`taskset -c 0`), and the same with empty input (the load alone);
* with `--jobs N`: the same pipe on every core with `--jobs N` (skipped when
  the binary has no `--jobs`); its output is compared with the one-core
  output byte for byte;
* when Python with scikit-learn is available (this interpreter, or the one
  given by `--python`): tf-idf (word 1-2-grams) + LinearSVC fitted on the
  train split once, then, timed, a fresh interpreter that unpickles it,
  predicts all the lines in one batch call and writes one JSON object per
  line, on one core;
* start-up on the bundled MINI knowledge base (empty input), on one core
  and on every core.

The calibration cache (docs/usage.md, "The start-up cache") is a directory
in the temporary directory, filled before the timed runs: rows marked
"warm" read the calibration from it, rows marked "no cache" run with
`FAQBOT_CACHE=off` and fit it (as a first start, or a binary without the
cache, does).

Prints each run and the medians: seconds, lines/s, µs per line after the
load, the ratio batch classifier / faqbot, peak memory (max RSS) and the
`--jobs` speed-up. Wall-clock times on a shared machine: read the ratios
of one run, not absolute figures; the CPU times (user + system) suffer
less from other processes on the same core.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "..", "shared", "datasets", "banking77")

SKLEARN_FIT = r"""
import json, pickle, sys
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2)), LinearSVC())
model.fit([r["text"] for r in rows], [r["intent"] for r in rows])
pickle.dump(model, open(sys.argv[2], "wb"))
"""

SKLEARN_PREDICT = r"""
import json, pickle, sys
model = pickle.load(open(sys.argv[1], "rb"))
lines = sys.stdin.read().split("\n")[:-1]
out = sys.stdout
for text, intent in zip(lines, model.predict(lines)):
    out.write(json.dumps({"text": text, "intent": intent}) + "\n")
"""


TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run(cmd, stdin_path, stdout=subprocess.DEVNULL, env=None):
    """Runs cmd; returns (wall seconds, CPU seconds, max RSS in MB).

    The peak memory comes from GNU time when installed (a forked child's
    own maximum RSS starts at its parent's, so this script's would show),
    else 0."""
    rss_file = tempfile.mktemp(prefix="rss-")
    full = ([TIME, "-f", "%M", "-o", rss_file] + cmd) if TIME else cmd
    with open(stdin_path, "rb") as inp:
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdin=inp, stdout=stdout, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}): {err}")
    mb = 0.0
    if TIME:
        try:
            mb = int(open(rss_file).read().split()[-1]) / 1024
        finally:
            os.unlink(rss_file)
    return wall, usage.ru_utime + usage.ru_stime, mb


def pipe_of(bot, kb):
    return [bot, "--intents", kb, "--stateless", "--json"]


def one_core(cmd):
    return (["taskset", "-c", "0"] + cmd) if shutil.which("taskset") else cmd


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bot")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--python", default=sys.executable, help="interpreter with scikit-learn")
    ap.add_argument("--data", default=DATA)
    args = ap.parse_args()
    bot = os.path.abspath(args.bot)
    tmp = tempfile.mkdtemp(prefix="pipe-speed-")
    warm = dict(os.environ, FAQBOT_CACHE_DIR=os.path.join(tmp, "cache"))
    warm.pop("FAQBOT_CACHE", None)
    cold = dict(os.environ, FAQBOT_CACHE="off")
    try:
        kb = os.path.join(tmp, "kb")
        subprocess.run([bot, "import", "--out", kb, os.path.join(args.data, "train.jsonl")],
                       check=True, stdout=subprocess.DEVNULL)
        texts = [json.loads(l)["text"].replace("\n", " ") for l in open(os.path.join(args.data, "test.jsonl"), encoding="utf-8")]
        lines = os.path.join(tmp, "lines.txt")
        with open(lines, "w", encoding="utf-8") as f:
            for _ in range(args.repeat):
                for t in texts:
                    f.write(t + "\n")
        n = len(texts) * args.repeat
        empty = os.path.join(tmp, "empty.txt")
        open(empty, "w").close()

        for cmd in (pipe_of(bot, kb), [bot, "--stateless", "--json"]):
            run(cmd, empty, env=warm)  # fills the cache
        has_jobs = "--jobs" in subprocess.run([bot, "--help"], capture_output=True, text=True).stdout
        pipe = pipe_of(bot, kb)
        if has_jobs:
            ref, par = os.path.join(tmp, "one.jsonl"), os.path.join(tmp, "par.jsonl")
            with open(ref, "wb") as o:
                run(pipe + ["--jobs", "1"], lines, o, env=warm)
            with open(par, "wb") as o:
                run(pipe + ["--jobs", str(args.jobs)], lines, o, env=warm)
            same = open(ref, "rb").read() == open(par, "rb").read()
            print(f"--jobs {args.jobs} output identical to --jobs 1: {same}")
            if not same:
                sys.exit("outputs differ")

        model = os.path.join(tmp, "model.pkl")
        sk = subprocess.run([args.python, "-c", "import sklearn"], capture_output=True).returncode == 0
        if sk:
            subprocess.run([args.python, "-c", SKLEARN_FIT, os.path.join(args.data, "train.jsonl"), model], check=True)
        else:
            print(f"{args.python}: no scikit-learn; the batch classifier is skipped")

        mini = [bot, "--stateless", "--json"]
        cases = [("faqbot pipe (1 core)", one_core(pipe), lines, warm),
                 ("faqbot load (1 core)", one_core(pipe), empty, warm),
                 ("faqbot load, no cache", one_core(pipe), empty, cold)]
        if has_jobs:
            cases.append((f"faqbot pipe --jobs {args.jobs}", pipe + ["--jobs", str(args.jobs)], lines, warm))
        if sk:
            cases.append(("sklearn batch (1 core)", one_core([args.python, "-c", SKLEARN_PREDICT, model]), lines, None))
        cases += [("faqbot start-up MINI", one_core(mini), empty, warm),
                  ("start-up MINI, no cache", one_core(mini), empty, cold),
                  ("start-up MINI, all cores", mini, empty, warm),
                  ("start-up MINI, all, no cache", mini, empty, cold)]
        times = {c[0]: [] for c in cases}
        cpu = {c[0]: [] for c in cases}
        rss = {c[0]: [] for c in cases}
        for r in range(args.runs):
            row = []
            for name, cmd, inp, env in cases:
                wall, secs, mb = run(cmd, inp, env=env)
                times[name].append(wall)
                cpu[name].append(secs)
                rss[name].append(mb)
                row.append(f"{name}: {wall:.3f}s")
            print(f"run {r + 1}: " + "; ".join(row))

        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"\n{n} lines, {args.runs} runs, medians:")
        for name, _, _, _ in cases:
            print(f"  {name:28s} {med[name]:8.3f} s wall {statistics.median(cpu[name]):8.3f} s CPU"
                  f"  max RSS {statistics.median(rss[name]):6.1f} MB")
        p, load = med["faqbot pipe (1 core)"], med["faqbot load (1 core)"]
        print(f"  faqbot end to end: {n / p:,.0f} lines/s; after the load: "
              f"{(p - load) / n * 1e6:.2f} µs/line ({n / max(p - load, 1e-9):,.0f} lines/s)")
        if sk:
            s = med["sklearn batch (1 core)"]
            print(f"  sklearn batch: {n / s:,.0f} lines/s; sklearn / faqbot = {s / p:.2f}x "
                  f"(per-run ratios: {', '.join(f'{a / b:.2f}' for a, b in zip(times['sklearn batch (1 core)'], times['faqbot pipe (1 core)']))}; "
                  f"CPU time: {statistics.median(cpu['sklearn batch (1 core)']) / statistics.median(cpu['faqbot pipe (1 core)']):.2f}x)")
        if has_jobs:
            j = med[f"faqbot pipe --jobs {args.jobs}"]
            print(f"  --jobs {args.jobs}: {p / j:.2f}x the one-core pipe end to end; "
                  f"after the load {(p - load) / max(j - load, 1e-9):.2f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
