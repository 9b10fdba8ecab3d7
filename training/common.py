"""What every training module shares: the label order, the repository paths and the log line."""

import os
import time

# The model's output order; config.json's id2label and the C# side follow it.
LABELS = ["negative", "neutral", "positive"]
LABEL_ID = {l: i for i, l in enumerate(LABELS)}

# The repository root is the parent of training/, so a copy of training/ + models/ elsewhere writes into itself.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRAINING = os.path.join(ROOT, "training")
CACHE = os.path.join(TRAINING, ".cache")  # npm downloads and the parsed word vectors (git-ignored)
WORK = os.path.join(TRAINING, ".work")  # scratch outputs: held-out sentences, logits for checking (git-ignored)


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)
