"""Writes training/parity/wordpiece-cases.tsv: synthetic tricky strings and the ids that tweet-normalize-v1 +
BERT WordPiece give with the shipped vocab. The C# tokenizer test must reproduce every row exactly.

The strings are written here by hand (no dataset lines). Raw text goes in the first column exactly as a client
would send it; a literal backslash-u escape is six characters in the file.

Left out on purpose, because Microsoft.ML.Tokenizers 2.0.1 differs from Hugging Face there (see README.md):
format characters (Unicode Cf, e.g. U+200B zero-width space or the U+200D joiner inside emoji sequences) inside
a word, which Hugging Face deletes and Microsoft.ML.Tokenizers keeps; and literal special tokens such as "[CLS]".
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sentiment_text as st  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "models", "sentiment")
OUT = os.path.join(ROOT, "training", "parity", "wordpiece-cases.tsv")

CASES = [
    "I love this product!",
    "This is the WORST service ever!!!",
    "meh. it was ok, I guess",
    "Café crème brûlée was naïve",
    "ÉCOLE Über Ñandú Ærø Straße",
    r"I\u2019m so happy",
    r"can\u2019t wait\u002c really",
    r"\u00e9t\u00e9 is summer",
    r"\u0041BC from an escape",
    r"\ud83d\ude00 escaped emoji pair",
    r"lone \ud83d high surrogate",
    r"lone \ude00 low surrogate",
    r"\u005cu2019 is decoded only once",
    r"bad \u12G4 escape and \u20",
    "Tom &amp; Jerry &lt;3 &quot;quoted&quot; it&#39;s",
    "&amp;amp; is decoded only once, &nbsp; is not decoded",
    "<b>bold</b> &gt; plain",
    "Check https://example.com/path?q=1&x=2 now",
    "visit www.Example.org/abc, then HTTP://FOO.BAR/baz",
    "RT @someone: this is #awesome http://t.co/x1Y2z3",
    "@united my flight was delayed again @JetBlue_Help",
    "mail me at someone@example.com please",
    "@@double at and @ alone",
    "so good 😀😀",
    "great😀 day",
    "❤️ love it",
    "👍🏽 thumbs up",
    "party 🎉🎉 time",
    "so sad😢😢 today",
    ":) :( :-D ;) <3 :/ xD",
    "!!!???...,,,",
    "repeated punctuation?!?! wow",
    "sooooooo goooood",
    "supercalifragilisticexpialidocious",
    "a" * 120 + " too long",
    "b" * 100 + " exactly one hundred",
    "東京タワー is nice",
    "我爱你 means I love you",
    "don't won't it's y'all",
    "$100 off!!! 50% discount #sale #blessed",
    "#NotHappy with @Delta delays",
    "multiple    spaces\u00a0and a no-break space",
    "   leading and trailing spaces   ",
    "numbers 3.14 1,000 2nd 10x",
    "hyphenated well-known self-driving",
    "(parenthetical) [brackets] {braces}",
    "quotes “smart” ‘single’ — dash … ellipsis",
    "snake_case_word and CamelCase",
    "a.b.c u.s.a. e.g.",
    "wow!!!!!! 10/10 would buy again",
    "Ünïcödé characters",
    "Arabic مرحبا text",
    "Hindi नमस्ते text",
    "ﬁne ligature",
    "the battery died after 2 hrs :-(",
    "customer service put me on hold for 45 min. unacceptable",
    "not bad at all, actually pretty great",
    "worst. flight. ever.",
    "thanks @AmericanAir for the upgrade!!",
    " ".join(["word"] * 300),
]


def main():
    with open(os.path.join(MODEL, "config.json"), encoding="utf-8") as f:
        max_length = json.load(f)["max_length"]
    tok = st.WordPiece.from_file(os.path.join(MODEL, "vocab.txt"))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("text\tids\n")
        for text in CASES:
            assert "\t" not in text and "\n" not in text and "\r" not in text
            ids = tok.encode(text, max_length)
            f.write(text + "\t" + " ".join(map(str, ids)) + "\n")
    print(f"wrote {len(CASES)} cases to {OUT} (max_length {max_length})")


if __name__ == "__main__":
    main()
