"""Scoring a model on validation files: logits (predict), per-file figures (scores, evaluate) and softmax."""

import numpy as np
import torch

from common import LABELS
from model import make_batch


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
