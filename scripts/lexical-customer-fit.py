#!/usr/bin/env python3
"""Fit the lexical calibration's coefficients to customers' questions of
imported FAQ sheets, and score what they would decide: an experiment of
session 36 (docs/confidence.md, "Fitted to customers: measured, not kept").

Usage: scripts/lexical-customer-fit.py BOT [DIR...] [--loso] [--test DIR...]

BOT is a release build of faqbot (without the semantic model: the
lexical calibration is what is fitted). Each DIR is a sheet (faq.csv and
questions.jsonl, as in tests/fixtures/devsheets/README.md) or a directory
of sheets; the default is the development sheets: tests/fixtures/devsheets,
tests/fixtures/qa-sheets and trial 41's and 42's of
tests/fixtures/trial-sheets (never the test sheets: tests/fixtures/spreadsheet*
and trials 43's and 44's of tests/fixtures/trial-sheets).

Per sheet: `BOT import faq.csv --out TMP`, then per question `BOT --intents
TMP explain --json TEXT`; its `calibration.top_features` (the model's
features of the top intent) is one sample, right when the top is the
question's intent (an out-of-scope question's top is never right). The fit
is the one faqbot runs at load (src/matcher/calibrate/mod.rs, `fit`): a
logistic regression by Newton's method with the Gaussian prior PRIOR,
strength 1 per coefficient, b1, b2, b3 kept >= 0; b4 (foreign words) is
kept at the prior's -1.0 (customers' questions have almost no foreign
words beyond their sheets' typical share, so they say nothing of it).

Prints the coefficients, and for the sheets (and every --test sheet)
what the decision at the default threshold 0.65 and margin 0.03 would be
with them, beside the knowledge base's own fit: in-scope answered right,
answered wrong, out-of-scope answered, and the net value of the answers
at the threshold's own price of a mistake (a right answer +1, a wrong or
out-of-scope one -0.65/0.35: answering at p >= 0.65 is worth it exactly
when the right answers are at least 65 %). The variant scored answers at
the higher of the two estimates when the sheet's fit saw fewer than 60
in-scope samples (a sparse knowledge base). --loso also scores each sheet
with coefficients fitted to the others. Standard library only.
"""
import importlib.util
import math
import os
import sys

# The development sheets, how a directory becomes sheets, asking each
# question of an imported sheet, and the linear solver are
# fusion-customer-fit.py's (one copy).
_spec = importlib.util.spec_from_file_location(
    "fusion_customer_fit", os.path.join(os.path.dirname(os.path.abspath(__file__)), "fusion-customer-fit.py")
)
_fusion = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fusion)
ROOT, DEFAULT, sheets_of, solve = _fusion.ROOT, _fusion.DEFAULT, _fusion.sheets_of, _fusion.solve
explanations = _fusion.explanations
# src/matcher/calibrate/mod.rs: PRIOR, PRIOR_STRENGTH; b4 stays at PRIOR[4].
SPARSE = 60
COST = 0.65 / 0.35
PRIOR = [0.5, 1.2, 1.0, 0.5, -1.0]
STRENGTH = 1.0
FREE = 4
THRESHOLD, MARGIN, CLARIFY_FLOOR = 0.65, 0.03, 0.8


def samples_of(bot, sheet):
    """One dict per question of `sheet`: features, right, in scope, own coefficients, margin."""
    rows = []
    for q, d in explanations(bot, sheet, "lexical-fit-"):
        x = d["calibration"]["top_features"]
        if x is None:
            continue
        top = d["ranking"][0]["intent"]
        rows.append(
            {
                "x": x,
                "right": q["intent"] is not None and top == q["intent"],
                "in_scope": q["intent"] is not None,
                "own": d["calibration"]["coefficients"],
                "sparse": d["calibration"]["in_scope_samples"] < SPARSE,
                "margin": d["margin"],
            }
        )
    return rows


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def fit(rows):
    b = PRIOR[:]
    for _ in range(30):
        g = [STRENGTH * (b[i] - PRIOR[i]) for i in range(FREE)]
        h = [[STRENGTH if i == j else 0.0 for j in range(FREE)] for i in range(FREE)]
        for r in rows:
            x = r["x"]
            p = sigmoid(sum(bi * xi for bi, xi in zip(b, x)))
            y = 1.0 if r["right"] else 0.0
            for i in range(FREE):
                g[i] += (p - y) * x[i]
                for j in range(FREE):
                    h[i][j] += p * (1.0 - p) * x[i] * x[j]
        step = solve(h, g)
        if step is None:
            break
        b = [bi - si for bi, si in zip(b[:FREE], step)] + b[FREE:]
        b = [b[0]] + [max(v, 0.0) for v in b[1:FREE]] + b[FREE:]
        if all(abs(s) < 1e-7 for s in step):
            break
    return b


def decide(rows, b):
    """(right, wrong, out-of-scope answered) at the defaults: the higher of
    the own fit's and b's estimate (b only where the sheet is sparse)."""
    right = wrong = oos = 0
    for r in rows:
        p = sigmoid(sum(c * x for c, x in zip(r["own"], r["x"])))
        if b is not None and r["sparse"]:
            p = max(p, sigmoid(sum(c * x for c, x in zip(b, r["x"]))))
        raw = sigmoid(r["x"][1])
        m = r["margin"]
        close = m is not None and m < MARGIN and raw - m >= CLARIFY_FLOOR * raw
        if p >= THRESHOLD and not close:
            if not r["in_scope"]:
                oos += 1
            elif r["right"]:
                right += 1
            else:
                wrong += 1
    return right, wrong, oos


def report(name, rows, b):
    n_in = sum(r["in_scope"] for r in rows)
    own, new = decide(rows, None), decide(rows, b)
    value = lambda d: d[0] - COST * (d[1] + d[2])
    print(f"  {name:22} own fit {own[0]:3}/{own[1]:2}/{own[2]:2} ({value(own):6.1f})"
          f"   higher of the two {new[0]:3}/{new[1]:2}/{new[2]:2} ({value(new):6.1f})"
          f"   of {n_in} in scope, {len(rows) - n_in} out")
    return own, new


def main():
    args = sys.argv[1:]
    loso = "--loso" in args
    args = [a for a in args if a != "--loso"]
    test = []
    if "--test" in args:
        k = args.index("--test")
        args, test = args[:k], args[k + 1 :]
    if not args:
        sys.exit(__doc__)
    bot = args[0]
    sheets = sheets_of(args[1:] or [os.path.join(ROOT, d) for d in DEFAULT])
    per = {s: samples_of(bot, s) for s in sheets}
    rows = [r for s in sheets for r in per[s]]
    b = fit(rows)
    print(f"{len(sheets)} sheets, {len(rows)} questions")
    print("coefficients fitted to customers = [" + ", ".join(f"{v:.2f}" for v in b) + "]")
    print("answered right/wrong/out-of-scope at the defaults, development sheets:")
    for s in sheets:
        report(os.path.basename(s), per[s], b)
    report("total", rows, b)
    if loso:
        print("each development sheet with coefficients fitted to the others:")
        tot_own, tot_new = [0, 0, 0], [0, 0, 0]
        for s in sheets:
            bs = fit([r for o in sheets if o != s for r in per[o]])
            own, new = report(os.path.basename(s), per[s], bs)
            tot_own = [a + c for a, c in zip(tot_own, own)]
            tot_new = [a + c for a, c in zip(tot_new, new)]
        value = lambda d: d[0] - COST * (d[1] + d[2])
        print(f"  {'total':22} own fit {tot_own} ({value(tot_own):.1f})   higher of the two {tot_new} ({value(tot_new):.1f})")
    if test:
        print("test sheets:")
        trows = []
        for s in sheets_of(test):
            r = samples_of(bot, s)
            trows += r
            report(os.path.basename(s), r, b)
        report("total", trows, b)


if __name__ == "__main__":
    main()
