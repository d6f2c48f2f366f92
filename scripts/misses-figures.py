#!/usr/bin/env python3
"""How right `faqbot misses` is about the FAQ entry each unanswered turn comes closest to.

usage: python3 scripts/misses-figures.py BOT SHEET_DIR... [--model DIR] [-v] [--json OUT]
                                          [--sweep]

For each sheet (a directory with `faq.csv` and `questions.jsonl`, the layout of
tests/fixtures/devsheets; a line's label is `"intent"`, an intent id, or `"row"`, the
row's question, `null` for out of scope) the script imports `faq.csv` into a temporary
directory (`BOT import`, default settings), pipes every question through
`BOT --intents KB --stateless --log LOG` (only the unanswered ones are logged, as in the
trials), then reads `BOT misses --intents KB LOG --json` (with `--semantic-model DIR`
on all three when `--model` is given). Each logged turn not answered now is counted by
the tier `misses` gives its closest FAQ entry (`closest.tier`: close, weak or far; a
binary from before the tiers: close when `closest.close`, weak from a raw confidence
of 0.1) and by whether that entry is the question's label (right row), another row
(wrong row) or the question is out of scope.

`--sweep` also recounts the close tier from the JSON's `confidence`, `raw_confidence`,
`fused` and `general_only` for a few alternative bars (to choose them on development
sheets).
"""
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter


def fold(t):
    return " ".join(t.strip().rstrip("?!.,;: ").lower().split())


def run(cmd, stdin=None):
    out = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr}")
    return out.stdout


def old_tier(c):
    if c.get("tier"):
        return c["tier"]
    if c["close"]:
        return "close"
    return "weak" if c["raw_confidence"] >= 0.1 else "far"


def sheet(bot, d, model, verbose):
    tmp = tempfile.mkdtemp(prefix="misses-figures-")
    kb = os.path.join(tmp, "kb")
    run([bot, "import", os.path.join(d, "faq.csv"), "--out", kb])
    extra = ["--semantic-model", model] if model else []
    intents = json.loads(run([bot, "intents", "--json", "--intents", kb]))
    by_title = {fold(i["title"]): i["id"] for i in intents}
    labels = {}
    texts = []
    for line in open(os.path.join(d, "questions.jsonl")):
        if not line.strip():
            continue
        q = json.loads(line)
        if "intent" in q:
            want = q["intent"]
        else:
            want = by_title[fold(q["row"])] if q["row"] is not None else None
        labels[fold(q["text"])] = want
        texts.append(q["text"])
    log = os.path.join(tmp, "log.jsonl")
    run([bot, "--intents", kb, "--stateless", "--log", log] + extra, "".join(t + "\n" for t in texts))
    groups = json.loads(
        run([bot, "misses", "--intents", kb, log, "--json", "--top", "100000", "--samples", "100000"] + extra)
    )
    turns = []
    for g in groups:
        for s in g["samples"]:
            if s.get("answered_by"):
                continue
            key = fold(s["text"])
            if key not in labels:
                print(f"  (not in questions.jsonl: {s['text']!r})", file=sys.stderr)
                continue
            want = labels[key]
            c = s.get("closest")
            if want is None:
                verdict = "oos"
            elif c and c["intent"] == want:
                verdict = "right"
            else:
                verdict = "wrong"
            turns.append({"text": s["text"], "label": want, "closest": c, "verdict": verdict,
                          "tier": old_tier(c) if c else "far", "count": s["count"]})
    if verbose:
        for t in sorted(turns, key=lambda t: (t["tier"], t["verdict"])):
            c = t["closest"] or {}
            print(f"  {t['tier']:5} {t['verdict']:5} {c.get('intent', '-')[:28]:28} "
                  f"conf {c.get('confidence', 0):.2f} raw {c.get('raw_confidence', 0):.2f} "
                  f"{'fused ' if c.get('fused') else ''}{c.get('general_only') or ''} "
                  f"{t['text'][:60]!r} (label {t['label']})")
    return turns


def count(turns, tier_of):
    c = Counter()
    for t in turns:
        c[(tier_of(t), t["verdict"])] += t["count"]
    return c


def line(name, c):
    cells = []
    for tier in ("close", "weak", "far"):
        cells.append(f"{tier} {c[(tier, 'right')]}/{c[(tier, 'wrong')]}/{c[(tier, 'oos')]}")
    return f"{name:28} " + "   ".join(cells)


def main():
    args = sys.argv[1:]
    model = None
    out = None
    if "--model" in args:
        k = args.index("--model")
        model = args[k + 1]
        del args[k:k + 2]
    if "--json" in args:
        k = args.index("--json")
        out = args[k + 1]
        del args[k:k + 2]
    verbose = "-v" in args
    sweep = "--sweep" in args
    args = [a for a in args if a not in ("-v", "--sweep")]
    bot, dirs = args[0], args[1:]
    print("tier right/wrong row/out of scope (logged turns not answered now)")
    total = Counter()
    every = []
    for d in dirs:
        name = d.rstrip("/")
        if verbose:
            print(name)
        turns = sheet(bot, d, model, verbose)
        every += turns
        c = count(turns, lambda t: t["tier"])
        total += c
        print(line(os.path.basename(name), c))
    print(line("total", total))
    if sweep:
        def bar(fc, fw, lc, lw, gen_fused):
            def tier(t):
                c = t["closest"]
                if not c:
                    return "far"
                general = bool(c.get("general_only"))
                if c.get("fused"):
                    if gen_fused and general:
                        return "far"
                    v, cl, wk = c["confidence"], fc, fw
                else:
                    if general:
                        return "far"
                    v, cl, wk = c["raw_confidence"], lc, lw
                return "close" if v >= cl else "weak" if v >= wk else "far"
            return tier
        for fc in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
            for gf in (False, True):
                print(line(f"fused>={fc} w.15 gen{'F' if gf else '-'}", count(every, bar(fc, 0.15, 0.2, 0.1, gf))))
    if out:
        json.dump({"total": {f"{k[0]}:{k[1]}": v for k, v in total.items()}, "turns": every},
                  open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
