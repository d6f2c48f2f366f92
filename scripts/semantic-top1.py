#!/usr/bin/env python3
"""Feeds labelled questions to examples/semantic_top1.rs as JSON lines.

Usage:
    scripts/semantic-top1.py tests/semantic/paraphrases.tsv | cargo run ... --example semantic_top1
    scripts/semantic-top1.py ../shared/devsets/mini [--bot target/release/faqbot] | cargo run ...

A .tsv file: `intent<TAB>question` lines (# comments). A directory: the MINI
development set, read at run time and never copied anywhere; its answer keys
are mapped to intent ids by answer prefix through `faqbot intents --json`;
its oos.jsonl lines are passed as out-of-scope (empty intent list).
"""
import json
import os
import subprocess
import sys


def main():
    src = sys.argv[1]
    bot = "target/release/faqbot"
    if "--bot" in sys.argv:
        bot = sys.argv[sys.argv.index("--bot") + 1]
    out = sys.stdout
    if not os.path.isdir(src):
        for line in open(src, encoding="utf-8"):
            if not line.strip() or line.startswith("#"):
                continue
            intent, text = line.rstrip("\n").split("\t", 1)
            out.write(json.dumps({"text": text, "intents": [intent]}) + "\n")
        return
    faq = json.load(open(os.path.join(src, "faq.json"), encoding="utf-8"))
    doc = json.loads(subprocess.run([bot, "intents", "--json"], capture_output=True, check=True).stdout)
    items = doc if isinstance(doc, list) else doc.get("intents", [])
    key2ids = {}
    for f in faq:
        p = f["answer_prefix"].strip()
        key2ids[f["key"]] = [it["id"] for it in items if (it.get("answer") or "").strip().startswith(p)]
    for line in open(os.path.join(src, "questions.jsonl"), encoding="utf-8"):
        q = json.loads(line)
        keys = q["key"] if isinstance(q["key"], list) else [q["key"]]
        ids = sorted({i for k in keys for i in key2ids.get(k, [])})
        if ids:
            out.write(json.dumps({"text": q["text"], "intents": ids}) + "\n")
    for line in open(os.path.join(src, "oos.jsonl"), encoding="utf-8"):
        o = json.loads(line)
        out.write(json.dumps({"text": o["text"], "intents": []}) + "\n")


if __name__ == "__main__":
    main()
