"""Training: the loss weights, one member's training loop (batching, schedule, best-epoch selection), the member
ensemble, and choosing the n-gram share and the output-bias calibration on validation."""

import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from common import WORK, log
from data import SST_SENTENCES
from emoji_table import EMOJI_WORDS, SKIN_TONES
from evaluation import evaluate, scores
from model import CnnNet, Ensemble, GruNet, NgramNet, make_batch


def loss_weights(train, args):
    """Per-class weights for the tweets' 3-class loss (inverse frequency ** --balance, mean 1 over the tweets) and
    per-source example weights."""
    tw_counts = np.bincount([y for y, _ in train["tweets"]], minlength=3).astype(np.float64)
    cw = (tw_counts.sum() / (3 * tw_counts)) ** args.balance
    cw = cw / (cw * tw_counts).sum() * tw_counts.sum()
    class_w = torch.tensor(cw, dtype=torch.float32)
    log("tweet class weights", cw.round(3).tolist())
    src_w = {"tweets": 1.0, "sst2": args.w_sst, "amazon": args.w_amazon}
    return class_w, src_w


def train_members(args, kinds, vocab, emb, lex, data, valid, class_w, src_w, tok):
    """Trains each member in turn (member k seeded with seed + 1000·k), then fills in the emoji vectors and
    quantizes its embedding table."""
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
    return members, histories, best_epochs


def choose_ensemble(args, kinds, members, valid):
    """The ensemble with the chosen n-gram share and calibrated output bias; also the validation figures before
    the bias (raw), the share and the bias offsets. Writes the uncalibrated validation logits to training/.work/."""
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
    return model, raw, share, bias


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
