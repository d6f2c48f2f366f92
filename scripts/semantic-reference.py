#!/usr/bin/env python3
"""Reference sentence embeddings for all-MiniLM-L6-v2 (or all-mpnet-base-v2), computed with numpy.

An independent implementation of the model's forward pass (BERT encoder,
6 layers, hidden 384, 12 heads, GELU, mean pooling over the attention mask,
L2 normalisation), used to check faqbot's Rust forward pass
(`src/semantic/`) against it: tests/semantic/reference.json is its output.

Usage:
    scripts/semantic-reference.py MODEL_DIR < sentences.txt > reference.json

A MODEL_DIR whose config.json says "model_type": "mpnet" (all-mpnet-base-v2)
is run as MPNet: no token types, position ids from the padding id + 1, a
relative position bias (32 buckets, max distance 128) added to every layer's
attention scores, at most 384 tokens; tests/semantic/reference-mpnet.json is
its output.

MODEL_DIR is the directory printed by scripts/get-semantic-model.sh.
Needs the PyPI packages `numpy` and `tokenizers` (pip install numpy tokenizers).
"""
import json
import math
import struct
import sys

import numpy as np
from tokenizers import Tokenizer


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {"F32": np.float32, "I64": np.int64, "F16": np.float16}
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        arr = np.frombuffer(data[a:b], dtype=dtypes[meta["dtype"]]).reshape(meta["shape"])
        out[name] = arr.astype(np.float64) if meta["dtype"] != "I64" else arr
    return out


def layer_norm(x, w, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu(x):
    # BERT's exact GELU (erf form), as in transformers' "gelu".
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


# The weight names of one layer's attention, per architecture: query, key,
# value, output dense, and the layer norm after the attention.
BERT_ATTENTION = ("attention.self.query", "attention.self.key", "attention.self.value",
                  "attention.output.dense", "attention.output.LayerNorm")
MPNET_ATTENTION = ("attention.attn.q", "attention.attn.k", "attention.attn.v",
                   "attention.attn.o", "attention.LayerNorm")


def encode(w, x, heads, layers, names, eps=1e-12, bias=0.0):
    """The post-layer-norm transformer layers on `x` ([n, d]), the attention's
    weights named by `names`, `bias` added to every layer's attention scores;
    mean pooling and L2 norm of the result."""
    n, d = x.shape
    hd = d // heads
    q_name, k_name, v_name, o_name, ln_name = names
    for i in range(layers):
        p = f"encoder.layer.{i}."
        lin = lambda t, name: t @ w[p + name + ".weight"].T + w[p + name + ".bias"]
        q = lin(x, q_name).reshape(n, heads, hd).transpose(1, 0, 2)
        k = lin(x, k_name).reshape(n, heads, hd).transpose(1, 0, 2)
        v = lin(x, v_name).reshape(n, heads, hd).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(hd) + bias
        s = np.exp(s - s.max(-1, keepdims=True))
        s = s / s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(1, 0, 2).reshape(n, d)
        x = layer_norm(lin(ctx, o_name) + x, w[p + ln_name + ".weight"], w[p + ln_name + ".bias"], eps)
        h = gelu(lin(x, "intermediate.dense"))
        x = layer_norm(lin(h, "output.dense") + x,
                       w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    m = x.mean(0)
    return m / np.linalg.norm(m)


def embed(w, ids, heads=12, layers=6):
    n = len(ids)
    x = w["embeddings.word_embeddings.weight"][ids]
    x = x + w["embeddings.position_embeddings.weight"][:n]
    x = x + w["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    return encode(w, x, heads, layers, BERT_ATTENTION)


def relative_bucket(rel, buckets=32, max_distance=128):
    """transformers' MPNet relative_position_bucket for one key - query distance."""
    half = buckets // 2
    n = -rel
    ret = half if n < 0 else 0
    n = abs(n)
    max_exact = half // 2
    if n < max_exact:
        return ret + n
    large = max_exact + int(math.log(n / max_exact) / math.log(max_distance / max_exact) * (half - max_exact))
    return ret + min(large, half - 1)


def embed_mpnet(w, cfg, ids):
    n = len(ids)
    heads, layers, eps = cfg["num_attention_heads"], cfg["num_hidden_layers"], cfg["layer_norm_eps"]
    first = cfg["pad_token_id"] + 1
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][first:first + n]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    table = w["encoder.relative_attention_bias.weight"]  # [buckets, heads]
    buckets = np.array([[relative_bucket(j - i, table.shape[0]) for j in range(n)] for i in range(n)])
    bias = table[buckets].transpose(2, 0, 1)  # [heads, n, n]
    return encode(w, x, heads, layers, MPNET_ATTENTION, eps, bias)


def main():
    model_dir = sys.argv[1]
    w = load_safetensors(f"{model_dir}/model.safetensors")
    cfg = json.load(open(f"{model_dir}/config.json"))
    mpnet = cfg.get("model_type") == "mpnet"
    if mpnet:
        w = {k.removeprefix("mpnet."): v for k, v in w.items()}
    tok = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
    tok.no_padding()
    if mpnet:
        tok.enable_truncation(384)
    out = []
    for line in sys.stdin:
        s = line.rstrip("\n")
        if not s:
            continue
        ids = tok.encode(s).ids
        e = embed_mpnet(w, cfg, ids) if mpnet else embed(w, ids)
        out.append({"text": s, "embedding": [round(float(v), 6) for v in e]})
    name = "all-mpnet-base-v2" if mpnet else "all-MiniLM-L6-v2"
    json.dump({"model": name, "sentences": out}, sys.stdout, indent=None)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
