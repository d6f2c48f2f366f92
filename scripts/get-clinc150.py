#!/usr/bin/env python3
"""Fetch CLINC150 and write it in the layout of ../shared/datasets.

    python3 scripts/get-clinc150.py OUT [--from data_full.json]

CLINC150 (Larson et al., "An Evaluation Dataset for Intent Classification
and Out-of-Scope Prediction", EMNLP 2019; github.com/clinc/oos-eval,
CC BY 3.0) has 150 intents of a virtual assistant (banking, travel,
cooking, small talk...), 100 training, 20 validation and 30 test lines
each, and out-of-scope lines (100 train, 100 validation, 1,000 test). It
is not one of the corpora faqbot was tuned on, and unlike them its test
split has many out-of-scope lines: a check that the calibration and the
decision policy generalise.

Writes two corpora, each `train.jsonl` (the in-scope training lines, no
out-of-scope ones: a team importing its FAQ has none) and `test.jsonl`
(`{"text", "intent"}`, `null` = out of scope):

* OUT/clinc150-val: the validation split as test.jsonl (3,000 in scope,
  100 out of scope); tune on this one;
* OUT/clinc150: the test split (4,500 in scope, 1,000 out of scope);
  report it, never tune on it.

Score either with `faqbot eval --intents KB OUT/clinc150-val/test.jsonl`
after `faqbot import --out KB OUT/clinc150-val/train.jsonl`, or with
`scripts/calibration-figures.py --extra OUT/clinc150-val`.

The data is not in the repository (its license asks for attribution, and
faqbot does not ship it); the file is downloaded from GitHub and checked
against the hash below, or read from `--from`. Standard library only.
"""
import argparse
import hashlib
import json
import os
import sys
import urllib.request

URL = "https://raw.githubusercontent.com/clinc/oos-eval/828f8093932c8fe6ca7936c3d2e52903b1c523de/data/data_full.json"
SHA256 = "36923c3705a59e08fe9c3883d8bc2dd966ef93e22cb78ac41171782a698d56e0"


def write(path, rows):
    with open(path, "w") as f:
        for text, intent in rows:
            f.write(json.dumps({"text": text, "intent": intent}) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--from", dest="src", help="a local copy of data_full.json")
    a = ap.parse_args()
    if a.src:
        raw = open(a.src, "rb").read()
    else:
        with urllib.request.urlopen(URL, timeout=60) as r:
            raw = r.read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHA256:
        sys.exit(f"get-clinc150: sha256 {digest}, expected {SHA256}")
    d = json.loads(raw)
    train = [(t, l) for t, l in d["train"]]
    for name, inscope, oos in (
        ("clinc150-val", d["val"], d["oos_val"]),
        ("clinc150", d["test"], d["oos_test"]),
    ):
        o = os.path.join(a.out, name)
        os.makedirs(o, exist_ok=True)
        write(os.path.join(o, "train.jsonl"), train)
        write(os.path.join(o, "test.jsonl"), [(t, l) for t, l in inscope] + [(t, None) for t, _ in oos])
        print(f"wrote {o}: {len(train)} training lines, {len(inscope)} in scope + {len(oos)} out of scope to test")


if __name__ == "__main__":
    main()
