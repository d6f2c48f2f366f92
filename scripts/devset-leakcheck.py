#!/usr/bin/env python3
"""Flags intent examples/keywords/tests that look like copies or light edits of devset sentences.
Usage: scripts/devset-leakcheck.py [REPO_DIR] [threshold]

The MINI development set (../shared/devsets/mini) measures only while its
sentences stay out of the project: this lists every string of intents/,
tests/ and data/ that comes close to one of its sentences (difflib ratio of
the lower-cased words, default 0.8)."""
import json, re, sys, os, glob, difflib
repo = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
thr = float(sys.argv[2]) if len(sys.argv) > 2 else 0.8
dev = []
D = next((p for p in (os.path.join(repo, "..", "shared", "devsets", "mini"), os.path.join(repo, "..", "..", "shared", "devsets", "mini")) if os.path.isdir(p)), "../shared/devsets/mini")
for f in ("questions.jsonl", "oos.jsonl"):
    for l in open(os.path.join(D, f)):
        if l.strip(): dev.append(json.loads(l)["text"])
for l in open(os.path.join(D, "dialogues.jsonl")):
    if l.strip():
        for t in json.loads(l)["turns"]: dev.append(t["user"])
norm = lambda s: " ".join(re.findall(r"[a-z0-9]+", s.lower()))
devn = [(norm(d), d) for d in dev if len(norm(d).split()) >= 4]
files = glob.glob(os.path.join(repo, "intents/*.ron")) + glob.glob(os.path.join(repo, "tests/**/*.ron"), recursive=True) + glob.glob(os.path.join(repo, "tests/**/*.jsonl"), recursive=True) + glob.glob(os.path.join(repo, "data/**/*.txt"), recursive=True)
strs = []
for f in files:
    for m in re.finditer(r'"((?:[^"\\]|\\.){12,})"', open(f, errors="replace").read()):
        strs.append((f, m.group(1)))
hits = 0
for f, s in strs:
    n = norm(s)
    if len(n.split()) < 4: continue
    for dn, d in devn:
        r = difflib.SequenceMatcher(None, n, dn).ratio()
        if r >= thr:
            hits += 1
            print(f"{r:.2f} {os.path.relpath(f, repo)}: {s!r}\n      devset: {d!r}")
print(f"{hits} suspicious strings (ratio >= {thr})")
