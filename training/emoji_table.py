"""Common emoji and the English words whose (fine-tuned) vectors their embeddings are set to after training.

The training data has no emoji at all, so the network never sees one; giving each emoji the mean vector of words
that say what it means lets "great flight 👍" and "stuck again 😡" read like "great flight good" and
"stuck again angry" instead of hitting [UNK]. Skin-tone modifiers (which stay glued to the emoji as ## pieces)
get a zero vector: they carry no sentiment.
"""

EMOJI_WORDS = {
    "😀": "happy smile", "😃": "happy smile", "😄": "happy smile", "😁": "happy grin", "😆": "laugh happy",
    "😅": "relief laugh", "😂": "laugh funny", "🤣": "laugh funny", "🙂": "smile", "😊": "happy smile",
    "😇": "happy good", "😍": "love adore", "🥰": "love adore", "😘": "love kiss", "😋": "delicious yummy",
    "😎": "cool awesome", "🤩": "amazing wow", "🥳": "celebrate party", "😏": "smirk", "😐": "meh",
    "😑": "meh annoyed", "😶": "speechless", "🙄": "annoyed ugh", "😬": "awkward", "🤔": "thinking wonder",
    "😒": "annoyed unhappy", "😔": "sad disappointed", "😕": "confused disappointed", "🙁": "sad", "☹": "sad",
    "😟": "worried", "😢": "sad cry", "😭": "cry sad", "😤": "angry frustrated", "😠": "angry mad",
    "😡": "angry furious", "🤬": "furious angry", "😱": "shocked scared", "😨": "scared", "😰": "worried anxious",
    "😩": "tired frustrated", "😫": "tired frustrated", "😞": "disappointed sad", "😣": "frustrated",
    "😖": "frustrated upset", "🤢": "disgusting sick", "🤮": "disgusting", "😴": "bored sleepy", "🥱": "bored",
    "😳": "embarrassed shocked", "🤯": "shocked", "😉": "wink", "😜": "joke silly", "🤪": "crazy silly",
    "🙏": "thanks please", "👍": "good great", "👎": "bad", "👏": "applause great", "🙌": "celebrate great",
    "💪": "strong", "👌": "perfect ok", "🤞": "hope", "❤": "love", "♥": "love", "💕": "love", "💖": "love",
    "💙": "love", "💚": "love", "💜": "love", "🧡": "love", "💛": "love", "🖤": "love", "💔": "heartbroken sad",
    "🔥": "awesome fire", "✨": "sparkle", "🎉": "celebrate party", "💯": "perfect", "⭐": "star great",
    "🌟": "star great", "✅": "done good", "❌": "wrong no", "⚠": "warning", "💩": "crap", "🤷": "whatever",
    "🤦": "facepalm stupid", "😷": "sick", "🤒": "sick", "😈": "evil", "💀": "dead", "👋": "hello",
    "🤗": "hug happy", "😌": "relieved", "😪": "sleepy sad", "😓": "stressed", "😥": "sad disappointed",
    "🙃": "ironic", "😛": "silly", "😝": "silly", "🤤": "delicious", "🤑": "money", "🤐": "silent",
}

SKIN_TONES = ["\U0001F3FB", "\U0001F3FC", "\U0001F3FD", "\U0001F3FE", "\U0001F3FF"]
