#!/usr/bin/env python3
"""The "Must show" figures of the calibration issue (#13), as one table.

Usage: scripts/calibration-figures.py [BOT] [--datasets DIR] [--devsets DIR] [--extra DIR]... [--json OUT]

BOT defaults to target/release/faqbot. Every figure is at the DEFAULT settings
of a freshly imported knowledge base (no per-corpus threshold):

* per corpus of ../shared/datasets: knowledge base imported from train.jsonl
  (+ train_oos.jsonl), test.jsonl piped through `BOT --intents KB --stateless
  --json`; top-1 = the top-ranked intent (the answered intent, else the first
  alternative) is the label; answered right = an answer with the label, over
  the in-scope lines; OOS recall = out-of-scope lines not answered; ECE (10
  equal-width bins) of the top confidence against "top-1 is right", over the
  in-scope lines.
* each --extra DIR (same layout as a corpus of ../shared/datasets, e.g.
  scripts/get-clinc150.py's clinc150-val): one more row, scored the same way.
* BANKING77 with 11 intents held out: the labels at positions 0, 7, ..., 70
  of the sorted label list are left out of the import; their test lines are
  out of scope and must get no answer.
* ../shared/devsets/mini scored by score_mini.py, and the ECE of the MINI
  development questions (top intent right = its answer is one of the keys).
* tests/fixtures/spreadsheet: a ten-row FAQ spreadsheet (faq.csv) imported
  with `faqbot import`, scored on questions.jsonl (30 in scope, 10 out).
* sheets_test3: the three test sheets tests/fixtures/spreadsheet* pooled (90
  in scope, 30 out); sheets_dev4: the four development sheets
  tests/fixtures/devsheets/* pooled (120 in, 40 out; the defaults may be
  tuned on these, never on the test sheets); sheets_qa3: the three
  question-and-answer sheets tests/fixtures/qa-sheets/* (no alternates; 60
  in, 24 out; development sheets too).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# ../shared beside the checkout (a worktree under /work/wt/ has it two levels up).
SHARED = next(
    (p for p in (os.path.join(ROOT, "..", "shared"), os.path.join(ROOT, "..", "..", "shared"))
     if os.path.isdir(p)),
    os.path.join(ROOT, "..", "shared"),
)


def load_jsonl(p):
    with open(p, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def slug(label):
    out, gap = [], False
    for c in label.lower():
        if c.isascii() and c.isalnum():
            out.append(c)
            gap = False
        elif not gap:
            out.append("_")
            gap = True
    s = "".join(out)
    return s if s.strip("_") else "intent"


def pipe(bot, kb, texts):
    args = [bot] + (["--intents", kb] if kb else []) + ["--stateless", "--json"]
    data = "".join(t.replace("\n", " ") + "\n" for t in texts)
    p = subprocess.run(args, input=data.encode(), capture_output=True, check=True)
    out = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
    assert len(out) == len(texts), (len(out), len(texts))
    return out


def top_of(r):
    """(top intent id or None, its confidence)."""
    if r["kind"] in ("answer", "handoff") and r.get("intent"):
        return r["intent"], r["confidence"]
    alts = r.get("alternatives") or []
    return (alts[0]["intent"], alts[0]["confidence"]) if alts else (None, 0.0)


def answered(r):
    return r.get("intent") if r["kind"] in ("answer", "handoff") else None


def ece(pairs, bins=10):
    """Expected calibration error of (confidence, right) pairs, equal-width bins."""
    if not pairs:
        return None
    tot = [0] * bins
    conf = [0.0] * bins
    acc = [0.0] * bins
    for c, ok in pairs:
        b = min(int(c * bins), bins - 1)
        tot[b] += 1
        conf[b] += c
        acc[b] += 1.0 if ok else 0.0
    return sum(abs(acc[b] - conf[b]) for b in range(bins) if tot[b]) / len(pairs)


def ids_of(bot, kb):
    args = [bot] + (["--intents", kb] if kb else []) + ["intents", "--json"]
    doc = json.loads(subprocess.run(args, capture_output=True, check=True).stdout)
    items = doc if isinstance(doc, list) else doc.get("intents", [])
    return {it["id"] for it in items}


def score_rows(bot, kb, rows, detail=False):
    """Figures of one knowledge base on labelled rows; with detail, also the
    raw counts [in, top-1, right, wrong, oos, oos unanswered] and the
    (confidence, top-1 right) pairs, for pooling."""
    ids = ids_of(bot, kb)
    reps = pipe(bot, kb, [r["text"] for r in rows])
    n_in = top1 = right = n_oos = oos_rej = wrong = 0
    pairs = []
    for row, r in zip(rows, reps):
        lab = row.get("intent")
        a = answered(r)
        if lab is None:
            n_oos += 1
            oos_rej += a is None
            continue
        gold = lab if lab in ids else slug(lab)
        n_in += 1
        t, c = top_of(r)
        top1 += t == gold
        right += a == gold
        wrong += a is not None and a != gold
        pairs.append((c, t == gold))
    f = lambda a, b: a / b if b else None
    extra = {"counts": [n_in, top1, right, wrong, n_oos, oos_rej], "pairs": pairs} if detail else {}
    return {
        **extra,
        "in_scope": n_in,
        "top1": f(top1, n_in),
        "answered_right": f(right, n_in),
        "answered_wrong": f(wrong, n_in),
        "oos": n_oos,
        "oos_recall": f(oos_rej, n_oos),
        "ece": ece(pairs),
    }


def import_kb(bot, files, out):
    subprocess.run([bot, "import", "--out", out] + files, check=True, capture_output=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bot", nargs="?", default=os.path.join(ROOT, "target/release/faqbot"))
    ap.add_argument("--datasets", default=os.path.join(SHARED, "datasets"))
    ap.add_argument("--devsets", default=os.path.join(SHARED, "devsets"))
    ap.add_argument("--json")
    ap.add_argument(
        "--extra",
        action="append",
        default=[],
        help="another corpus directory in the same layout (train.jsonl, optional train_oos.jsonl, "
        "test.jsonl), scored as one more row named after it; e.g. scripts/get-clinc150.py's output",
    )
    a = ap.parse_args()
    bot = os.path.abspath(a.bot)
    res = {}
    tmp = tempfile.mkdtemp(prefix="calib-figures-")
    corpora = [(name, os.path.join(a.datasets, name)) for name in ("askubuntu", "webapps", "chatbot", "banking77")]
    corpora += [(os.path.basename(os.path.normpath(d)), d) for d in a.extra]
    for name, d in corpora:
        files = [os.path.join(d, "train.jsonl")]
        if os.path.exists(os.path.join(d, "train_oos.jsonl")):
            files.append(os.path.join(d, "train_oos.jsonl"))
        kb = import_kb(bot, files, os.path.join(tmp, name))
        res[name] = score_rows(bot, kb, load_jsonl(os.path.join(d, "test.jsonl")))

    # BANKING77 with 11 intents held out.
    d = os.path.join(a.datasets, "banking77")
    train = load_jsonl(os.path.join(d, "train.jsonl"))
    labels = sorted({r["intent"] for r in train})
    held = set(labels[0::7])
    assert len(held) == 11, len(held)
    kept = os.path.join(tmp, "banking77_heldout_train.jsonl")
    with open(kept, "w") as f:
        for r in train:
            if r["intent"] not in held:
                f.write(json.dumps(r) + "\n")
    kb = import_kb(bot, [kept], os.path.join(tmp, "banking77_heldout"))
    test = [
        {"text": r["text"], "intent": None if r["intent"] in held else r["intent"]}
        for r in load_jsonl(os.path.join(d, "test.jsonl"))
    ]
    res["banking77_heldout11"] = score_rows(bot, kb, test)

    # MINI development set.
    p = subprocess.run(
        [sys.executable, os.path.join(a.devsets, "score_mini.py"), bot],
        capture_output=True,
        check=True,
    )
    txt = p.stdout.decode()
    mini = json.loads(txt[: txt.rindex("}") + 1])
    faq = json.load(open(os.path.join(a.devsets, "mini", "faq.json")))
    prefix = {f["key"]: f["answer_prefix"] for f in faq}
    listing = json.loads(
        subprocess.run([bot, "intents", "--json"], capture_output=True, check=True).stdout
    )
    listing = listing if isinstance(listing, list) else listing.get("intents", [])
    id2key = {}
    for it in listing:
        for k, pre in prefix.items():
            if pre in (it.get("answer") or ""):
                id2key[it["id"]] = k
    qs = load_jsonl(os.path.join(a.devsets, "mini", "questions.jsonl"))
    reps = pipe(bot, None, [q["text"] for q in qs])
    pairs = []
    for q, r in zip(qs, reps):
        keys = q["key"] if isinstance(q["key"], list) else [q["key"]]
        t, c = top_of(r)
        pairs.append((c, id2key.get(t) in keys))
    res["mini"] = {
        "questions_right": mini["questions"]["top1"],
        "questions_wrong": mini["questions"]["wrong_answer_rate"],
        "oos_no_faq_answer": mini["oos"]["no_faq_answer"],
        "dialogues_right": round(mini["dialogues"]["all_turns_ok"] * mini["dialogues"]["n"]),
        "dialogues": mini["dialogues"]["n"],
        "top1": sum(ok for _, ok in pairs) / len(pairs),
        "ece": ece(pairs),
    }

    # The spreadsheet of tests/fixtures/spreadsheet.
    sp = os.path.join(ROOT, "tests", "fixtures", "spreadsheet")
    if os.path.exists(os.path.join(sp, "faq.csv")):
        kb = import_kb(bot, [os.path.join(sp, "faq.csv")], os.path.join(tmp, "spreadsheet"))
        res["spreadsheet"] = score_rows(bot, kb, load_jsonl(os.path.join(sp, "questions.jsonl")))

    # Every ten-row sheet pooled: the three test sheets (tests/fixtures/spreadsheet*),
    # and the four development sheets (tests/fixtures/devsheets/*, tuned on).
    groups = {
        "sheets_test3": sorted(
            os.path.join(ROOT, "tests", "fixtures", d)
            for d in os.listdir(os.path.join(ROOT, "tests", "fixtures"))
            if d.startswith("spreadsheet")
        ),
        "sheets_dev4": sorted(
            os.path.join(ROOT, "tests", "fixtures", "devsheets", d)
            for d in os.listdir(os.path.join(ROOT, "tests", "fixtures", "devsheets"))
            if os.path.exists(os.path.join(ROOT, "tests", "fixtures", "devsheets", d, "faq.csv"))
        ) if os.path.isdir(os.path.join(ROOT, "tests", "fixtures", "devsheets")) else [],
        # Question-and-answer sheets without alternates (trial 27; tuned on since).
        "sheets_qa3": sorted(
            os.path.join(ROOT, "tests", "fixtures", "qa-sheets", d)
            for d in os.listdir(os.path.join(ROOT, "tests", "fixtures", "qa-sheets"))
            if os.path.exists(os.path.join(ROOT, "tests", "fixtures", "qa-sheets", d, "faq.csv"))
        ) if os.path.isdir(os.path.join(ROOT, "tests", "fixtures", "qa-sheets")) else [],
    }
    for name, dirs in groups.items():
        if not dirs:
            continue
        counts, pairs = [0] * 6, []
        for d in dirs:
            kb = import_kb(bot, [os.path.join(d, "faq.csv")], os.path.join(tmp, name + os.path.basename(d)))
            r = score_rows(bot, kb, load_jsonl(os.path.join(d, "questions.jsonl")), detail=True)
            counts = [x + y for x, y in zip(counts, r["counts"])]
            pairs += r["pairs"]
        n_in, top1, right, wrong, n_oos, oos_rej = counts
        res[name] = {
            "sheets": len(dirs),
            "in_scope": n_in,
            "top1": top1 / n_in,
            "answered_right": right / n_in,
            "answered_wrong": wrong / n_in,
            "oos": n_oos,
            "oos_recall": oos_rej / n_oos if n_oos else None,
            "ece": ece(pairs),
        }
    fmt = lambda v: "-" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))
    print(f"{'corpus':22} {'top-1':>6} {'ans.right':>9} {'ans.wrong':>9} {'oos-rec':>7} {'ECE':>6}")
    for name in [c for c, _ in corpora] + [
        "banking77_heldout11", "spreadsheet", "sheets_test3", "sheets_dev4", "sheets_qa3"
    ]:
        if name in res:
            r = res[name]
            print(
                f"{name:22} {fmt(r['top1']):>6} {fmt(r['answered_right']):>9} "
                f"{fmt(r['answered_wrong']):>9} {fmt(r['oos_recall']):>7} {fmt(r['ece']):>6}"
            )
    m = res["mini"]
    print(
        f"mini devset: questions right {fmt(m['questions_right'])}, wrong {fmt(m['questions_wrong'])}, "
        f"OOS no FAQ answer {fmt(m['oos_no_faq_answer'])}, dialogues {m['dialogues_right']}/{m['dialogues']}, "
        f"top-1 {fmt(m['top1'])}, ECE {fmt(m['ece'])}"
    )
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
