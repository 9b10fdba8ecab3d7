"""The networks (torch nn.Modules): the embedding table, the CNN, BiGRU and n-gram members, the ensemble that is
exported as one ONNX graph, and the padded batch format they all take."""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


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

def make_batch(seqs):
    """Id sequences -> input_ids and attention_mask [B, T], right-padded with 0 ([PAD]) to the longest: the
    layout the ONNX graph takes and GruNet's reversal assumes."""
    T = max(len(s) for s in seqs)
    ids = np.zeros((len(seqs), T), dtype=np.int64)
    am = np.zeros((len(seqs), T), dtype=np.int64)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = s
        am[i, :len(s)] = 1
    return torch.from_numpy(ids), torch.from_numpy(am)
