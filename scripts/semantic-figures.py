#!/usr/bin/env python3
"""Must-show figures of the semantic stage (issue 14), with and without the model.

Usage:
  cargo build --release --features semantic --example semantic_latency
  python3 scripts/semantic-figures.py target/release/faqbot MODEL_DIR [--json OUT] [--skip corpora,server]

* spreadsheets: tests/fixtures/spreadsheet, spreadsheet-gym, spreadsheet-bikeshop, each imported
  with `faqbot import` and scored in pipe mode on its questions.jsonl (30 in scope, 10 out):
  in-scope answered right, out-of-scope unanswered, top-1.
* mini: ../shared/devsets/score_mini.py with and without FAQBOT_SEMANTIC_MODEL.
* corpora: scripts/calibration-figures.py with and without FAQBOT_SEMANTIC_MODEL.
* latency: the BANKING77 knowledge base (train split imported), its test questions:
  target/release/examples/semantic_latency (the bot's respond path in process: load times with
  an empty and a warm embedding cache, p50/p99, share that ran the model, peak memory), and
  `faqbot serve` over HTTP (p50/p99 per request, one client).
The embedding cache is FAQBOT_CACHE_DIR when set (then the latency example does not measure a load
with an empty cache), else a temporary directory (the first load embeds everything).
"""
import argparse
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("cf", os.path.join(ROOT, "scripts", "calibration-figures.py"))
cf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cf)
# ../shared beside the checkout, or two levels up from a worktree (as calibration-figures.py finds it).
SHARED = cf.SHARED

SHEETS = ("spreadsheet", "spreadsheet-gym", "spreadsheet-bikeshop")


def with_model(model):
    env = dict(os.environ)
    if model:
        env["FAQBOT_SEMANTIC_MODEL"] = model
    else:
        env.pop("FAQBOT_SEMANTIC_MODEL", None)
    return env


def spreadsheets(bot, tmp):
    out = {}
    for name in SHEETS:
        d = os.path.join(ROOT, "tests", "fixtures", name)
        kb = cf.import_kb(bot, [os.path.join(d, "faq.csv")], os.path.join(tmp, name))
        out[name] = cf.score_rows(bot, kb, cf.load_jsonl(os.path.join(d, "questions.jsonl")))
    return out


def mini(bot):
    p = subprocess.run([sys.executable, os.path.join(SHARED, "devsets", "score_mini.py"), bot],
                       capture_output=True, check=True)
    txt = p.stdout.decode()
    return json.loads(txt[: txt.rindex("}") + 1])


def corpora(bot, tmp):
    out = os.path.join(tmp, "cf.json")
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "calibration-figures.py"), bot, "--json", out],
                   check=True, capture_output=True)
    return json.load(open(out))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def server(bot, kb, texts, model):
    port = free_port()
    args = [bot, "--intents", kb] + (["--semantic-model", model] if model else []) + [
        "serve", "--addr", f"127.0.0.1:{port}"]
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=with_model(None))
    try:
        for _ in range(1200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.5)
        times = []
        for t in texts:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/chat",
                                         data=json.dumps({"message": t}).encode(),
                                         headers={"content-type": "application/json"})
            s = time.perf_counter()
            urllib.request.urlopen(req, timeout=60).read()
            times.append((time.perf_counter() - s) * 1e3)
        times.sort()
        q = lambda f: times[round((len(times) - 1) * f)]
        return {"requests": len(times), "p50_ms": q(0.5), "p99_ms": q(0.99)}
    finally:
        p.terminate()
        p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bot")
    ap.add_argument("model")
    ap.add_argument("--json")
    ap.add_argument("--skip", default="")
    a = ap.parse_args()
    skip = set(a.skip.split(","))
    bot, model = os.path.abspath(a.bot), os.path.abspath(a.model)
    tmp = tempfile.mkdtemp(prefix="semantic-figures-")
    given_cache = os.environ.get("FAQBOT_CACHE_DIR")
    if not given_cache:
        os.environ["FAQBOT_CACHE_DIR"] = os.path.join(tmp, "cache")
    res = {}
    for label, m in (("without", None), ("with", model)):
        os.environ.pop("FAQBOT_SEMANTIC_MODEL", None)
        if m:
            os.environ["FAQBOT_SEMANTIC_MODEL"] = m
        r = res.setdefault(label, {})
        if "spreadsheets" not in skip:
            r["spreadsheets"] = spreadsheets(bot, os.path.join(tmp, label))
        if "mini" not in skip:
            r["mini"] = mini(bot)
        if "corpora" not in skip:
            r["corpora"] = corpora(bot, tmp)
    os.environ.pop("FAQBOT_SEMANTIC_MODEL", None)
    d = os.path.join(SHARED, "datasets", "banking77")
    kb = cf.import_kb(bot, [os.path.join(d, "train.jsonl")], os.path.join(tmp, "banking77-kb"))
    test = os.path.join(d, "test.jsonl")
    if "latency" not in skip:
        ex = os.path.join(os.path.dirname(bot), "examples", "semantic_latency")
        extra = [os.path.join(given_cache, "semantic")] if given_cache else []
        p = subprocess.run([ex, kb, test, model] + extra, capture_output=True, check=True)
        res["latency_in_process"] = json.loads(p.stdout)
    if "server" not in skip:
        texts = [r["text"] for r in cf.load_jsonl(test)][:600]
        res["server"] = {"without": server(bot, kb, texts, None), "with": server(bot, kb, texts, model)}
    print(json.dumps(res, indent=1))
    if a.json:
        json.dump(res, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
