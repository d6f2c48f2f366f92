#!/usr/bin/env python3
"""Fit the semantic fusion's coefficients for sparse knowledge bases to
customers' questions (`CUSTOMER_COEFFICIENTS` in src/semantic/fusion/constants.rs).

Usage: FAQBOT_SEMANTIC_MODEL=DIR scripts/fusion-customer-fit.py BOT [DIR...] [--loso]

BOT is a release build with the feature `semantic`; DIR the model (see
scripts/get-semantic-model.sh). Each DIR is a sheet (faq.csv and
questions.jsonl, as in tests/fixtures/devsheets/README.md) or a directory
of sheets; the default is the development sheets: tests/fixtures/devsheets,
tests/fixtures/qa-sheets and trial 41's and 42's of
tests/fixtures/trial-sheets (never the test sheets: tests/fixtures/spreadsheet*
and trial 43's printshop and boathire).

Per sheet: `BOT import faq.csv --out TMP`, then per question `BOT --intents
TMP explain --json TEXT`; when the semantic stage ran, each of its
`semantic_candidates` is one sample, right when it is the question's
intent (an out-of-scope question's candidates are all wrong). The fit is
the one faqbot runs at load (src/semantic/fit.rs): a logistic regression
by Newton's method with the Gaussian prior PRIOR, strength 2 per
coefficient, the slopes kept >= 0. Prints the coefficients; --loso also
refits without each sheet in turn and prints how far each coefficient
moves. Standard library only; about one second per question.
"""
import json
import math
import os
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DEFAULT = [
    "tests/fixtures/devsheets",
    "tests/fixtures/qa-sheets",
    "tests/fixtures/trial-sheets/escaperoom",
    "tests/fixtures/trial-sheets/removals",
    "tests/fixtures/trial-sheets/tattoo",
    "tests/fixtures/trial-sheets/windows",
]
# src/semantic/fusion/constants.rs: PRIOR, PRIOR_STRENGTH.
PRIOR = [-6.0, 0.5, 6.0, 2.0, 6.0, 3.0]
STRENGTH = 2.0


def sheets_of(dirs):
    out = []
    for d in dirs:
        if os.path.exists(os.path.join(d, "faq.csv")):
            out.append(d)
        else:
            out += sorted(
                os.path.join(d, s)
                for s in os.listdir(d)
                if os.path.exists(os.path.join(d, s, "faq.csv"))
            )
    return out


def explanations(bot, sheet, prefix="fit-"):
    """(question, `explain --json` of it) for every question of `sheet`,
    asked of `BOT import faq.csv` in a scratch directory."""
    kb = tempfile.mkdtemp(prefix=prefix)
    subprocess.run(
        [bot, "import", os.path.join(sheet, "faq.csv"), "--out", kb, "--force"],
        check=True,
        capture_output=True,
    )
    for line in open(os.path.join(sheet, "questions.jsonl"), encoding="utf-8"):
        if not line.strip():
            continue
        q = json.loads(line)
        p = subprocess.run(
            [bot, "--intents", kb, "explain", "--json", "--", q["text"]],
            check=True,
            capture_output=True,
            text=True,
        )
        yield q, json.loads(p.stdout)


def samples_of(bot, sheet):
    """(features, right) of every candidate of every question of `sheet`."""
    rows = []
    for q, d in explanations(bot, sheet, "fusion-fit-"):
        for c in d.get("semantic_candidates", []):
            rows.append((c["features"], q["intent"] is not None and c["intent"] == q["intent"]))
    return rows


def solve(h, g):
    """h x = g by Gaussian elimination with partial pivoting."""
    n = len(g)
    a = [row[:] + [g[i]] for i, row in enumerate(h)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(a[r][c]))
        if abs(a[p][c]) < 1e-12:
            return None
        a[c], a[p] = a[p], a[c]
        for r in range(c + 1, n):
            f = a[r][c] / a[c][c]
            for k in range(c, n + 1):
                a[r][k] -= f * a[c][k]
    x = [0.0] * n
    for r in reversed(range(n)):
        x[r] = (a[r][n] - sum(a[r][k] * x[k] for k in range(r + 1, n))) / a[r][r]
    return x


def fit(rows):
    b = PRIOR[:]
    k = len(b)
    for _ in range(25):
        g = [STRENGTH * (b[i] - PRIOR[i]) for i in range(k)]
        h = [[STRENGTH if i == j else 0.0 for j in range(k)] for i in range(k)]
        for x, right in rows:
            z = sum(bi * xi for bi, xi in zip(b, x))
            p = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
            y = 1.0 if right else 0.0
            for i in range(k):
                g[i] += (p - y) * x[i]
                for j in range(k):
                    h[i][j] += p * (1.0 - p) * x[i] * x[j]
        step = solve(h, g)
        if step is None:
            break
        b = [bi - si for bi, si in zip(b, step)]
        b = b[:1] + [max(v, 0.0) for v in b[1:]]
        if all(abs(s) < 1e-6 for s in step):
            break
    return b


def main():
    args = sys.argv[1:]
    loso = "--loso" in args
    args = [a for a in args if a != "--loso"]
    if not args or not os.environ.get("FAQBOT_SEMANTIC_MODEL"):
        sys.exit(__doc__)
    bot = args[0]
    sheets = sheets_of(args[1:] or [os.path.join(ROOT, d) for d in DEFAULT])
    per = {}
    for s in sheets:
        per[s] = samples_of(bot, s)
        print(f"{os.path.basename(s):22} {len(per[s]):5} candidates", file=sys.stderr)
    rows = [r for s in sheets for r in per[s]]
    b = fit(rows)
    print(f"{len(sheets)} sheets, {len(rows)} candidates")
    print("CUSTOMER_COEFFICIENTS = [" + ", ".join(f"{v:.2f}" for v in b) + "]")
    if loso:
        drift = 0.0
        for s in sheets:
            bs = fit([r for o in sheets if o != s for r in per[o]])
            d = max(abs(x - y) for x, y in zip(b, bs))
            drift = max(drift, d)
            print(f"  without {os.path.basename(s):22} [" + ", ".join(f"{v:.2f}" for v in bs) + f"]  moves {d:.2f}")
        print(f"largest move: {drift:.2f}")


if __name__ == "__main__":
    main()
