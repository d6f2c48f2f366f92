#!/usr/bin/env python3
"""Would WordNet synonyms help small FAQs? A measurement by query rewriting (not shipped).

Usage: scripts/wordnet-synonym-probe.py BOT WORDNET_DICT DIR... [--senses N] [--both K]
       [--append] [-v]

WORDNET_DICT is WordNet 3.0's dict directory (index.*, data.*, *.exc), e.g. from Debian's
`wordnet-base` (`apt-get download wordnet-base && dpkg -x wordnet-base_*.deb wn30`, then
wn30/usr/share/wordnet). DIR is a sheet directory as scripts/sheet-figures.py reads it (faq.csv and
questions.jsonl), or a directory of such sheets.

For every sheet: `BOT import faq.csv` at the defaults; every customer question's content words
that the sheet does not use (in its questions, alternates or answers, compared by WordNet base
form) are looked up in WordNet: the lemmas of the word's first N synsets of each part of speech
(`--senses`, sense order is WordNet's, most frequent first), kept when the sheet uses every
content word of the lemma (so "elevator" -> "lift", "exam" -> "test", "checkup" -> "health
check"); with `--both K` only when the synset is also among the lemma's own first K senses ("guy"
-> "cat" is the first sense of "guy" but the second of "cat"). The best such lemma (lowest sense
rank, then fewest words) replaces the word in the question (`--append`: is written after it), and
the rewritten questions are piped through `BOT --intents KB --stateless --json`. This is an upper
estimate of a matcher stage that reads an unknown word as its WordNet synonym: the rewritten word
counts as fully known, at full weight.

Prints, per DIR: in-scope answered right, answered wrong, top-1 right (the answer or first
alternative), out-of-scope unanswered, and how many questions were rewritten; -v lists the
rewrites. Without rewriting use --senses 0. Standard library only.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
RULES = {
    "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("ies", "y")],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}
# Function and chat words never rewritten nor counted as a lemma's content (a short list of our
# own; faqbot itself reads the NLTK list through the stop-words crate).
STOP = set(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers him his how i if in into is it its just me more most my no nor
    not now of off on once only or other our out over own same she should so some such than that the
    their them then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your im ive id dont cant wont isnt arent
    doesnt didnt u ur pls please hi hello thanks thank get got also still want need like one much
    many anything something""".split()
)


class WordNet:
    """Synsets, sense order and morphy's base forms of WordNet 3.0's dict files."""

    def __init__(self, d):
        self.index, self.synsets, self.exc = {}, {}, {}
        for p, name in POS.items():
            for line in open(os.path.join(d, "index." + name), encoding="latin1"):
                if line.startswith("  "):
                    continue
                f = line.split()
                self.index[(f[0], p)] = f[4 + int(f[3]) + 2 :]
            for line in open(os.path.join(d, "data." + name), encoding="latin1"):
                if line.startswith("  "):
                    continue
                f = line.split(" | ")[0].split()
                n = int(f[3], 16)
                self.synsets[(f[0], p)] = [re.sub(r"\(.*\)$", "", f[4 + 2 * i].lower()) for i in range(n)]
            for line in open(os.path.join(d, name + ".exc"), encoding="latin1"):
                f = line.split()
                self.exc.setdefault((f[0], p), set()).update(f[1:])

    def morphy(self, w, p):
        out = {w} if (w, p) in self.index else set()
        out |= {x for x in self.exc.get((w, p), ()) if (x, p) in self.index}
        for a, b in RULES[p]:
            if w.endswith(a):
                s = w[: len(w) - len(a)] + b
                if (s, p) in self.index:
                    out.add(s)
                if a in ("ed", "ing", "er", "est") and len(s) > 2 and s[-1] == s[-2] and (s[:-1], p) in self.index:
                    out.add(s[:-1])
        return out

    def bases(self, w):
        out = {w}
        for p in POS:
            out |= self.morphy(w, p)
        return out

    def synonyms(self, w, senses, both):
        """{lemma: sense rank of the shared synset} for the word's first `senses` synsets."""
        res = {}
        for p in POS:
            for lemma in self.morphy(w, p):
                for k, off in enumerate(self.index[(lemma, p)][:senses]):
                    for x in self.synsets.get((off, p), []):
                        own = self.index.get((x, p))
                        if x != lemma and (not both or own is None or off in own[:both]):
                            res.setdefault(x, k)
        return res


def words(s):
    return re.findall(r"[a-z]+", s.lower())


def vocabulary(wn, faq):
    v = set()
    for row in csv.reader(open(faq, encoding="utf-8")):
        for cell in row:
            v |= set(words(cell))
    return v | {b for w in v for b in wn.bases(w)}


def rewrite(wn, text, vocab, args):
    out, changed = [], []
    for w in re.findall(r"[A-Za-z]+|[^A-Za-z]+", text):
        lw = w.lower()
        if not lw.isalpha() or lw in STOP or len(lw) < 3 or wn.bases(lw) & vocab:
            out.append(w)
            continue
        cands = []
        for lemma, rank in wn.synonyms(lw, args.senses, args.both).items():
            parts = re.split("[_-]", lemma)
            content = [x for x in parts if x not in STOP]
            if content and all(wn.bases(x) & vocab for x in content):
                cands.append((rank, len(parts), lemma))
        if not cands:
            out.append(w)
            continue
        syn = min(cands)[2].replace("_", " ").replace("-", " ")
        changed.append((lw, syn))
        out.append(w + " " + syn if args.append else syn)
    return "".join(out), changed


def sheets(d):
    if os.path.exists(os.path.join(d, "faq.csv")):
        return [d]
    return [os.path.join(d, s) for s in sorted(os.listdir(d)) if os.path.exists(os.path.join(d, s, "faq.csv"))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bot")
    ap.add_argument("wordnet")
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--senses", type=int, default=1)
    ap.add_argument("--both", type=int, default=0)
    ap.add_argument("--append", action="store_true")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    wn = WordNet(args.wordnet)
    for d in args.dirs:
        t = dict(right=0, wrong=0, top1=0, oos=0, n_in=0, n_oos=0, rewritten=0)
        for sd in sheets(d):
            kb = tempfile.mkdtemp(prefix="wnprobe")
            subprocess.run([args.bot, "import", os.path.join(sd, "faq.csv"), "--out", kb, "--force"], capture_output=True, check=True)
            vocab = vocabulary(wn, os.path.join(sd, "faq.csv"))
            qs = [json.loads(line) for line in open(os.path.join(sd, "questions.jsonl"), encoding="utf-8") if line.strip()]
            texts = []
            for q in qs:
                text, changed = rewrite(wn, q["text"], vocab, args) if args.senses else (q["text"], [])
                t["rewritten"] += bool(changed)
                if changed and args.v:
                    print("  ", os.path.basename(sd), changed, "|", q["text"])
                texts.append(text)
            run = subprocess.run([args.bot, "--intents", kb, "--stateless", "--json"], input="\n".join(texts) + "\n", capture_output=True, text=True, check=True)
            for q, line in zip(qs, run.stdout.splitlines()):
                r = json.loads(line)
                ans = r["intent"] if r["kind"] == "answer" else None
                top = ans or (r["alternatives"][0]["intent"] if r.get("alternatives") else None)
                if q["intent"]:
                    t["n_in"] += 1
                    t["right"] += ans == q["intent"]
                    t["wrong"] += bool(ans and ans != q["intent"])
                    t["top1"] += top == q["intent"]
                else:
                    t["n_oos"] += 1
                    t["oos"] += ans is None
        print(
            f"{d}: right {t['right']}/{t['n_in']}, wrong {t['wrong']}, top-1 {t['top1']}, "
            f"out of scope unanswered {t['oos']}/{t['n_oos']}, rewritten {t['rewritten']}"
        )


if __name__ == "__main__":
    sys.exit(main())
