#!/usr/bin/env python3
"""Score FAQ spreadsheets the way a business would use them: import, then ask.

Usage: scripts/sheet-figures.py BOT DIR... [-v] [--json OUT] [--small-talk]

Each DIR holds faq.csv (question, answer, alternates; see
tests/fixtures/devsheets/README.md) and questions.jsonl (one
{"text": ..., "intent": ID or null} per line, ID as `faqbot import` makes it).
A DIR without faq.csv but with sheet subdirectories stands for all of them,
so `scripts/sheet-figures.py BOT tests/fixtures/devsheets` scores every
development sheet.

For every sheet: `BOT import DIR/faq.csv --out TMP` at the default settings (with
--small-talk, `import --small-talk`, the README's import option for greetings, thanks and goodbyes),
then questions.jsonl piped through `BOT --intents TMP --stateless --json`.
Replies are read as scripts/calibration-figures.py reads them:

* answered = the reply's intent when its kind is "answer" (or "handoff" with
  an intent); anything else (fallback, clarify) is no answer;
* top-1 = the answered intent, else the first alternative.

Printed per sheet and in total (counts over all sheets' lines):
in-scope answered right, answered wrong, top-1 right, and out-of-scope lines
left unanswered. With -v, every line as
OK/-- LABEL KIND INTENT CONFIDENCE TEXT (OK = right answer for an in-scope
line, no answer for an out-of-scope one). --json OUT writes the figures and
the lines. Exit status 2 when a sheet is malformed (missing file, a label
that is not an intent id of the imported sheet). Standard library only.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile


# Replies are read exactly as calibration-figures.py reads them (one copy
# of pipe, top_of, answered, ids_of, load_jsonl).
_spec = importlib.util.spec_from_file_location(
    "calibration_figures", os.path.join(os.path.dirname(os.path.abspath(__file__)), "calibration-figures.py")
)
cf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cf)
load_jsonl, pipe, top_of, answered, ids_of = cf.load_jsonl, cf.pipe, cf.top_of, cf.answered, cf.ids_of


def sheet_dirs(paths):
    """The sheet directories: each DIR with a faq.csv, else its subdirectories that have one."""
    out = []
    for d in paths:
        if os.path.exists(os.path.join(d, "faq.csv")):
            out.append(d)
            continue
        subs = []
        if os.path.isdir(d):
            subs = sorted(
                os.path.join(d, s) for s in os.listdir(d) if os.path.exists(os.path.join(d, s, "faq.csv"))
            )
        if not subs:
            print(f"sheet-figures: {d}: no faq.csv (nor subdirectories with one)", file=sys.stderr)
            sys.exit(2)
        out.extend(subs)
    return out


def score_sheet(bot, d, tmp, small_talk=False):
    name = os.path.basename(os.path.normpath(d))
    qpath = os.path.join(d, "questions.jsonl")
    if not os.path.exists(qpath):
        print(f"sheet-figures: {d}: no questions.jsonl", file=sys.stderr)
        sys.exit(2)
    kb = os.path.join(tmp, name)
    n = 1
    while os.path.exists(kb):  # two DIRs with the same name
        n += 1
        kb = os.path.join(tmp, f"{name}-{n}")
    flags = ["--small-talk"] if small_talk else []
    subprocess.run([bot, "import", os.path.join(d, "faq.csv"), "--out", kb, *flags], check=True, capture_output=True)
    ids = ids_of(bot, kb)
    rows = load_jsonl(qpath)
    bad = sorted({r["intent"] for r in rows if r.get("intent") is not None and r["intent"] not in ids})
    if bad:
        print(f"sheet-figures: {qpath}: labels that are not intent ids of the imported sheet: {bad}", file=sys.stderr)
        sys.exit(2)
    reps = pipe(bot, kb, [r["text"] for r in rows])
    c = dict(in_scope=0, right=0, wrong=0, top1=0, oos=0, oos_unanswered=0)
    lines = []
    for row, r in zip(rows, reps):
        lab = row.get("intent")
        a = answered(r)
        t, conf = top_of(r)
        if lab is None:
            c["oos"] += 1
            ok = a is None
            c["oos_unanswered"] += ok
        else:
            c["in_scope"] += 1
            ok = a == lab
            c["right"] += ok
            c["wrong"] += a is not None and a != lab
            c["top1"] += t == lab
        lines.append(
            dict(ok=ok, label=lab, kind=r["kind"], intent=a if a is not None else t,
                 confidence=conf, text=row["text"])
        )
    return name, c, lines


def frac(a, b):
    return f"{a:>3}/{b:<3} {a / b:.3f}" if b else f"{a:>3}/{b:<3}   -  "


def main():
    ap = argparse.ArgumentParser(description="Score FAQ spreadsheets (faq.csv + questions.jsonl).")
    ap.add_argument("bot")
    ap.add_argument("dirs", nargs="+", metavar="DIR")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every line")
    ap.add_argument("--json", metavar="OUT", help="write figures and lines as JSON")
    ap.add_argument("--small-talk", action="store_true", help="import with --small-talk (greeting, thanks and goodbye intents)")
    a = ap.parse_args()
    bot = os.path.abspath(a.bot)
    tmp = tempfile.mkdtemp(prefix="sheet-figures-")
    res = {}
    total = dict(in_scope=0, right=0, wrong=0, top1=0, oos=0, oos_unanswered=0)
    for d in sheet_dirs(a.dirs):
        name, c, lines = score_sheet(bot, d, tmp, a.small_talk)
        while name in res:
            name += "'"
        res[name] = dict(dir=d, **c, lines=lines)
        for k in total:
            total[k] += c[k]
        if a.verbose:
            print(f"== {name}")
            for l in lines:
                print(
                    f"{'OK' if l['ok'] else '--'} {str(l['label']):45} {l['kind']:8} "
                    f"{str(l['intent']):45} {l['confidence']:.3f} {l['text']}"
                )
    hdr = f"{'sheet':22} {'in-scope right':>15} {'in-scope wrong':>15} {'top-1':>15} {'oos unanswered':>15}"
    print(hdr)
    for name, c in list(res.items()) + [("total", total)]:
        print(
            f"{name:22} {frac(c['right'], c['in_scope']):>15} {frac(c['wrong'], c['in_scope']):>15} "
            f"{frac(c['top1'], c['in_scope']):>15} {frac(c['oos_unanswered'], c['oos']):>15}"
        )
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"bot": bot, "sheets": res, "total": total}, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
