#!/usr/bin/env python3
"""How far better calibration features could take the BANKING77 held-out figure, on train data only.

Usage: scripts/separation-bound.py [BOT] [--dump CALIB_DUMP] [--out DIR] [--offsets 3,1]

Builds train-only stand-ins for the issue-13 figure "BANKING77 with 11 intents held out": from
../shared/datasets/banking77/train.jsonl (test.jsonl is never read), the 11 labels at positions
OFF, OFF + 7, ... of the sorted label list are held out (their lines are out of scope), the other
labels' lines are split 80 / 20 by a hash of the text; the knowledge base is imported (BOT import)
from the 80 %, the 20 % and the held-out lines are DIR/standinOFF/test.jsonl (the layout that
scripts/calibration-figures.py --extra reads). Then every line is ranked by
`calib_dump ranking` (examples/calib_dump.rs) and the script prints, per stand-in, the area under
the ROC curve of "the top intent is right" against every other line and the share of in-scope
lines ranked right whose score is at or above the highest threshold letting at most 15 / 20 / 25 %
of the out-of-scope lines through (so: in-scope right at out-of-scope recall >= .85 / .80 / .75),
for

* the calibrated confidence of today's load-time fit;
* logistic regressions on today's four features and on each candidate feature added, and a
  gradient-boosted model on all of them, each FITTED ON THE OTHER STAND-IN'S LINES (other held-out
  labels): these fits see real held-out-intent lines, the out-of-scope samples no load-time
  construction can beat, so they bound what any calibration of these features can reach;
* the agreement of the k nearest training lines (word 1-2-gram tf-idf cosine, weighted) with the
  top intent, the evidence of "how many of the top intent's examples are near".

With --subsets, also the ten best sets of one to three added features for the logistic fit, ranked by
the gain at recall .85 on the worse of the two stand-ins (each fitted on the other).

Needs numpy and scikit-learn. The decision figures of the stand-ins (answered right, out-of-scope
recall at the defaults) come from scripts/calibration-figures.py BOT --extra DIR/standin3 ...
"""
import argparse
import hashlib
import json
import math
import os
import re
import subprocess
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = next(
    (p for p in (os.path.join(ROOT, "..", "shared"), os.path.join(ROOT, "..", "..", "shared"))
     if os.path.isdir(p)),
    os.path.join(ROOT, "..", "shared"),
)


def standin(out, off):
    """Writes DIR/standinOFF/{train,test}.jsonl; returns the directory."""
    rows = [json.loads(l) for l in open(os.path.join(SHARED, "datasets", "banking77", "train.jsonl"))]
    labels = sorted({r["intent"] for r in rows})
    held = set(labels[off::7][:11])
    d = os.path.join(out, f"standin{off}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "train.jsonl"), "w") as tr, open(os.path.join(d, "test.jsonl"), "w") as te:
        for r in rows:
            if r["intent"] in held:
                te.write(json.dumps({"text": r["text"], "intent": None}) + "\n")
            elif int(hashlib.md5(r["text"].encode()).hexdigest(), 16) % 5 == 0:
                te.write(json.dumps(r) + "\n")
            else:
                tr.write(json.dumps(r) + "\n")
    return d


def slug(label):
    s = re.sub(r"[^a-z0-9]+", "_", label.lower())
    return s if s.strip("_") else "intent"


def lg(p):
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def features(o):
    r = o["r"]
    g = lambda k, i=0, d=0.0: r[i][k] if len(r) > i else d
    nears = [max(x["near"], 0.0) for x in r[:3]]
    raw1, raw2, l1, l2 = g("raw"), g("raw", 1), g("l"), g("l", 1)
    return {
        # today's four (calibrate::Observation::features)
        "raw": lg(raw1),
        "margin": lg(0.5 + 0.5 * (raw1 - raw2) * o["fam"]),
        "familiarity": o["fam"],
        "foreign": o["foreign"],
        # candidates
        "nearest": nears[0] if nears else 0.0,
        "nearest lead": (nears[0] - max(nears[1:])) if len(nears) > 1 else (nears[0] if nears else 0.0),
        "word lead": l1 - l2,
        "word ratio": l2 / l1 if l1 > 0 else 1.0,
        "coverage": g("cov"),
        "runner-up coverage": g("cov", 1),
        "content words": min(o["content"], 15) / 15,
        "everyday share": o["everyday"],
        "third raw": g("raw", 2),
    }


TODAY = ["raw", "margin", "familiarity", "foreign"]


def right(o):
    return bool(o["r"]) and o["gold"] is not None and o["r"][0]["id"] in (o["gold"], slug(o["gold"]))


def at_recall(score, ok, oos, target):
    idx = np.argsort(-score, kind="stable")
    s, r, x = score[idx], ok[idx], oos[idx]
    n_in, n_oos = (~oos).sum(), oos.sum()
    cr, co = np.cumsum(r), np.cumsum(x)
    best = 0.0
    for k in range(len(s)):
        if k + 1 < len(s) and s[k + 1] == s[k]:
            continue
        if 1 - co[k] / n_oos >= target:
            best = max(best, cr[k] / n_in)
    return best


def row(name, obs, score):
    ok = np.array([right(o) for o in obs])
    oos = np.array([o["gold"] is None for o in obs])
    cells = [f"{roc_auc_score(ok, score):.3f}"] + [f"{at_recall(score, ok, oos, t):.3f}" for t in (.85, .80, .75)]
    print(f"| {name} | " + " | ".join(cells) + " |")


def knn(d, obs, k):
    tr = [json.loads(l) for l in open(os.path.join(d, "train.jsonl"))]
    te = [json.loads(l) for l in open(os.path.join(d, "test.jsonl"))]
    v = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit([r["text"] for r in tr])
    sims = (v.transform([r["text"] for r in te]) @ v.transform([r["text"] for r in tr]).T).toarray()
    labs = np.array([slug(r["intent"]) for r in tr])
    out = []
    for i, o in enumerate(obs):
        top = o["r"][0]["id"] if o["r"] else None
        nn = np.argsort(-sims[i])[:k]
        w = sims[i, nn]
        out.append(float((w * (labs[nn] == top)).sum() / max(w.sum(), 1e-9)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bot", nargs="?", default=os.path.join(ROOT, "target/release/faqbot"))
    ap.add_argument("--dump", default=os.path.join(ROOT, "target/release/examples/calib_dump"))
    ap.add_argument("--out", default="/tmp/separation-bound")
    ap.add_argument("--offsets", default="3,1")
    ap.add_argument("--subsets", action="store_true")
    a = ap.parse_args()
    env = dict(os.environ, FAQBOT_CACHE="off")
    sets = []
    for off in [int(x) for x in a.offsets.split(",")]:
        d = standin(a.out, off)
        kb = os.path.join(d, "kb")
        subprocess.run([a.bot, "import", "--force", "--out", kb, os.path.join(d, "train.jsonl")], check=True,
                       capture_output=True, env=env)
        out = subprocess.run([a.dump, "ranking", kb, os.path.join(d, "test.jsonl")], check=True,
                             capture_output=True, env=env).stdout.decode()
        obs = [json.loads(l) for l in out.splitlines() if l.strip()]
        for o, nn in zip(obs, knn(d, obs, 10)):
            o["agree"] = nn
        sets.append((f"standin{off}", obs))
    cands = [k for k in features(sets[0][1][0]) if k not in TODAY]
    X = lambda obs, ks: np.array([[features(o)[k] if k != "agreement of 10 nearest" else o["agree"]
                                   for k in ks] for o in obs])
    y = lambda obs: np.array([right(o) for o in obs])
    for (name, obs), (other, tr) in zip(sets, sets[1:] + sets[:1]):
        ok = y(obs)
        oos = np.array([o["gold"] is None for o in obs])
        print(f"\n{name}: {len(obs)} lines, {oos.sum()} out of scope, top-1 {ok[~oos].mean():.3f}; "
              f"fits on {other}\n")
        print("| score | AUC | right at OOS recall .85 | .80 | .75 |\n| --- | --- | --- | --- | --- |")
        row("today's confidence", obs, np.array([o["r"][0]["p"] if o["r"] else 0.0 for o in obs]))
        variants = [("today's four, refitted", TODAY)]
        variants += [(f"+ {c}", TODAY + [c]) for c in cands + ["agreement of 10 nearest"]]
        variants += [("+ all", TODAY + cands + ["agreement of 10 nearest"])]
        for label, ks in variants:
            m = LogisticRegression(C=10, max_iter=3000).fit(X(tr, ks), y(tr))
            row(label, obs, m.predict_proba(X(obs, ks))[:, 1])
        ks = TODAY + cands + ["agreement of 10 nearest"]
        m = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=15,
                                           random_state=0).fit(X(tr, ks), y(tr))
        row("gradient boosting, all", obs, m.predict_proba(X(obs, ks))[:, 1])
    if a.subsets and len(sets) == 2:
        subsets(sets, cands, X, y)


def subsets(sets, cands, X, y):
    """The ten best sets of one to three added features (see the module doc)."""
    import itertools

    def at85(ks):
        out = []
        for (_, obs), (_, tr) in ((sets[0], sets[1]), (sets[1], sets[0])):
            m = LogisticRegression(C=10, max_iter=3000).fit(X(tr, ks), y(tr))
            oos = np.array([o["gold"] is None for o in obs])
            out.append(at_recall(m.predict_proba(X(obs, ks))[:, 1], y(obs), oos, .85))
        return out

    base = at85(TODAY)
    res = []
    for r in (1, 2, 3):
        for c in itertools.combinations(cands + ["agreement of 10 nearest"], r):
            v = at85(TODAY + list(c))
            res.append((min(v[0] - base[0], v[1] - base[1]), c, v))
    res.sort(key=lambda x: -x[0])
    print(f"\ntoday's four refitted: right at recall .85 {base[0]:.3f} / {base[1]:.3f}\n")
    print("| added | gain (worse stand-in) | right at .85 |\n| --- | --- | --- |")
    for g, c, v in res[:10]:
        print(f"| {', '.join(c)} | {g:+.3f} | {v[0]:.3f} / {v[1]:.3f} |")


if __name__ == "__main__":
    sys.exit(main())
