"""Text normalisation ("tweet-normalize-v1") and BERT WordPiece tokenisation.

This module is the reference for what the C# worker does before it runs the model, so every rule here must stay
byte-for-byte in step with Sentiment.Model (the parity file training/parity/wordpiece-cases.tsv is the check).
The tokeniser re-implements Hugging Face's BertTokenizer (do_lower_case=True, tokenize_chinese_chars=True,
strip_accents following lower case) because transformers is not available as a Debian package here.
"""

import re
import unicodedata

PREPROCESSING = "tweet-normalize-v1"

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
SPECIAL_TOKENS = [PAD, UNK, CLS, SEP, MASK]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})")
_ENTITY = re.compile(r"&(amp|lt|gt|quot|#39);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "#39": "'"}
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@\w+")
_SPACES = re.compile(r"\s+")


def decode_unicode_escapes(text):
    """Decodes literal \\uXXXX sequences in one left-to-right pass.

    A high surrogate directly followed by a low surrogate escape becomes one character; an unpaired surrogate
    escape is left as the literal text, because a lone surrogate is not a valid character in either runtime.
    """
    matches = list(_ESCAPE.finditer(text))
    if not matches:
        return text
    out = []
    pos = 0
    i = 0
    while i < len(matches):
        m = matches[i]
        out.append(text[pos:m.start()])
        cp = int(m.group(1), 16)
        if 0xD800 <= cp <= 0xDBFF:
            nxt = matches[i + 1] if i + 1 < len(matches) else None
            if nxt is not None and nxt.start() == m.end():
                low = int(nxt.group(1), 16)
                if 0xDC00 <= low <= 0xDFFF:
                    out.append(chr(0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)))
                    pos = nxt.end()
                    i += 2
                    continue
            out.append(m.group(0))
        elif 0xDC00 <= cp <= 0xDFFF:
            out.append(m.group(0))
        else:
            out.append(chr(cp))
        pos = m.end()
        i += 1
    out.append(text[pos:])
    return "".join(out)


def normalize(text):
    """tweet-normalize-v1: escapes, HTML entities, URLs, mentions, whitespace (in this order)."""
    text = decode_unicode_escapes(text)
    text = _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)
    text = _URL.sub("http", text)
    text = _MENTION.sub("@user", text)
    text = _SPACES.sub(" ", text).strip()
    return text


# ---- Hugging Face BasicTokenizer (transformers.models.bert.tokenization_bert), lower-casing variant ----

def _is_whitespace(ch):
    if ch in (" ", "\t", "\n", "\r"):
        return True
    return unicodedata.category(ch) == "Zs"


def _is_control(ch):
    if ch in ("\t", "\n", "\r"):
        return False
    return unicodedata.category(ch).startswith("C")


def _is_punctuation(ch):
    cp = ord(ch)
    if (33 <= cp <= 47) or (58 <= cp <= 64) or (91 <= cp <= 96) or (123 <= cp <= 126):
        return True
    return unicodedata.category(ch).startswith("P")


def _is_chinese_char(cp):
    return ((0x4E00 <= cp <= 0x9FFF) or (0x3400 <= cp <= 0x4DBF) or (0x20000 <= cp <= 0x2A6DF)
            or (0x2A700 <= cp <= 0x2B73F) or (0x2B740 <= cp <= 0x2B81F) or (0x2B820 <= cp <= 0x2CEAF)
            or (0xF900 <= cp <= 0xFAFF) or (0x2F800 <= cp <= 0x2FA1F))


def _clean_text(text):
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        out.append(" " if _is_whitespace(ch) else ch)
    return "".join(out)


def _tokenize_chinese_chars(text):
    out = []
    for ch in text:
        if _is_chinese_char(ord(ch)):
            out.extend((" ", ch, " "))
        else:
            out.append(ch)
    return "".join(out)


def _strip_accents(text):
    text = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def _split_on_punc(text):
    out = []
    start_new = True
    for ch in text:
        if _is_punctuation(ch):
            out.append([ch])
            start_new = True
        else:
            if start_new:
                out.append([])
            start_new = False
            out[-1].append(ch)
    return ["".join(x) for x in out]


def basic_tokenize(text):
    text = _clean_text(text)
    text = _tokenize_chinese_chars(text)
    text = unicodedata.normalize("NFC", text)
    tokens = []
    for tok in text.strip().split():
        tok = _strip_accents(tok.lower())
        tokens.extend(_split_on_punc(tok))
    return " ".join(tokens).strip().split()


class WordPiece:
    """Greedy longest-match-first WordPiece over a vocab list (index = id)."""

    def __init__(self, vocab, max_chars_per_word=100):
        self.vocab = list(vocab)
        self.ids = {t: i for i, t in enumerate(self.vocab)}
        self.unk_id = self.ids[UNK]
        self.cls_id = self.ids[CLS]
        self.sep_id = self.ids[SEP]
        self.pad_id = self.ids[PAD]
        self.max_chars = max_chars_per_word
        self._cache = {}

    @classmethod
    def from_file(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls([line.rstrip("\n") for line in f])

    def word_ids(self, word):
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        if len(word) > self.max_chars:
            res = [self.unk_id]
        else:
            res = []
            start = 0
            while start < len(word):
                end = len(word)
                cur = None
                while start < end:
                    sub = word[start:end]
                    if start > 0:
                        sub = "##" + sub
                    if sub in self.ids:
                        cur = self.ids[sub]
                        break
                    end -= 1
                if cur is None:
                    res = [self.unk_id]
                    break
                res.append(cur)
                start = end
        if len(self._cache) < 2_000_000:
            self._cache[word] = res
        return res

    def encode(self, text, max_length, already_normalized=False):
        """normalise (unless told otherwise) + basic tokenise + WordPiece; returns [CLS] ... [SEP], truncated."""
        if not already_normalized:
            text = normalize(text)
        ids = [self.cls_id]
        for word in basic_tokenize(text):
            ids.extend(self.word_ids(word))
            if len(ids) >= max_length - 1:
                break
        ids = ids[:max_length - 1]
        ids.append(self.sep_id)
        return ids
