#!/usr/bin/env python3
"""How well the top confidence separates right in-scope answers from out-of-scope
messages on ../shared/devsets/mini, whatever the threshold: top-1, AUC (right in-scope vs OOS),
and the in-scope share answered right at the best threshold letting at most 5/10/20 % of OOS through.
usage: scripts/devset-separation.py BOT [INTENTS_DIR]"""
import json, re, subprocess, sys, glob, os
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bot = sys.argv[1]; kb = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, 'intents')
D = os.path.join(ROOT, '..', 'shared', 'devsets', 'mini')
faq = json.load(open(f'{D}/faq.json'))
id2key = {}
for f in glob.glob(f'{kb}/*.ron'):
    s = open(f).read()
    for m in re.finditer(r'id: "(\w+)".*?answer: (?:r#"(.*?)"#|"((?:[^"\\]|\\.)*)")', s, re.S):
        ans = (m.group(2) or m.group(3) or '').replace('\\"', '"')
        for e in faq:
            if ans.strip().startswith(e['answer_prefix'][:40]):
                id2key[m.group(1)] = e['key']
qs = [json.loads(l) for l in open(f'{D}/questions.jsonl')]
oos = [json.loads(l) for l in open(f'{D}/oos.jsonl')]
texts = [q['text'] for q in qs] + [o['text'] for o in oos]
args = [bot, '--stateless', '--json'] + (['--intents', kb] if len(sys.argv) > 2 else [])
out = subprocess.run(args, input='\n'.join(t.replace('\n', ' ') for t in texts) + '\n', capture_output=True, text=True).stdout
rows = [json.loads(l) for l in out.splitlines() if l.strip()]
assert len(rows) == len(texts), (len(rows), len(texts))
def top(r):
    if r.get('intent'): return r['intent'], r.get('confidence') or 0.0
    a = r.get('alternatives') or []
    if a: return a[0]['intent'], a[0]['confidence']
    return r.get('intent'), r.get('confidence') or 0.0
ins = []
for q, r in zip(qs, rows[:len(qs)]):
    keys = q['key'] if isinstance(q['key'], list) else [q['key']]
    i, c = top(r)
    ins.append((c, id2key.get(i) in keys))
outs = [top(r)[1] for r in rows[len(qs):]]
n = len(ins)
top1 = sum(ok for _, ok in ins) / n
# threshold sweep: fraction right-and-above vs oos-above
best = []
for t in sorted(set([c for c, _ in ins] + outs + [0.0, 1.01])):
    right = sum(1 for c, ok in ins if ok and c >= t) / n
    wrong = sum(1 for c, ok in ins if not ok and c >= t) / n
    oa = sum(1 for c in outs if c >= t) / len(outs)
    best.append((t, right, wrong, oa))
def at_oos(lim):
    c = [b for b in best if b[3] <= lim]
    b = max(c, key=lambda b: b[1])
    return f'right {b[1]:.3f} wrong {b[2]:.3f} @t={b[0]:.2f}'
# AUC: correct in-scope vs oos
pos = [c for c, ok in ins if ok]
auc = sum((p > o) + 0.5 * (p == o) for p in pos for o in outs) / (len(pos) * len(outs))
print(f'top1 {top1:.3f} | AUC(right vs oos) {auc:.3f} | oos<=5%: {at_oos(0.05)} | oos<=10%: {at_oos(0.10)} | oos<=20%: {at_oos(0.20)}')
