"""A small CNN for the 8x8 handwritten digits of sklearn.datasets.load_digits, written as plain
PyTorch: this file runs unchanged under real torch and under webtensor.

Trained by scripts/train_digits_cnn.py (real torch); the weights ship next to this file as
digits_cnn.safetensors (WEIGHTS). Load them with your library's safetensors loader:
`model.load_state_dict(load_file(WEIGHTS))`.
"""
import os

import torch
import torch.nn.functional as F
from torch import nn

WEIGHTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "digits_cnn.safetensors")
CLASSES = 10


class DigitsCNN(nn.Module):
    """[batch, 1, 8, 8] images (pixel values 0..16 as load_digits gives them) -> [batch, 10]
    logits."""

    def __init__(self, width=16, hidden=32, dropout=0.1):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, width, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # 4x4
            nn.Conv2d(width, 2 * width, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(2 * width * 2 * 2, hidden), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(hidden, CLASSES),
        )

    def forward(self, images):
        return self.classifier(self.features(images / 16.0))


def to_images(pixels):
    """load_digits' flat rows [batch, 64] (a tensor) -> [batch, 1, 8, 8] float32."""
    return pixels.to(torch.float32).reshape(-1, 1, 8, 8)


@torch.no_grad()
def predict(model, images):
    """(class ids [batch], probabilities [batch, 10])."""
    probs = F.softmax(model(images), dim=-1)
    return probs.argmax(dim=-1), probs
