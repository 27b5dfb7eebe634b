"""A teacher/student distillation with KD, feature and attention losses (the seed-003 incident).

The teacher's logits are large (it was trained without any logit penalty), so in fp16
softmax(logits / T) overflows at T = 2; the three loss terms have raw scales that differ by
orders of magnitude, so alpha 0.7 / 0.1 / 0.1 is not the balance the gradient sees.

    cfglint probe examples/probe/distillation/broken.json --entry examples/probe/distillation/train.py:probe_target
"""

from __future__ import annotations

import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from cfglint.probe import ProbeTarget

VOCAB, LENGTH = 64, 16


class TinyLM(nn.Module):
    """Embedding, one self-attention layer and an output head; returns logits, hidden states, attention."""

    def __init__(self, width: int, logit_scale: float = 1.0) -> None:
        super().__init__()
        self.embed = nn.Embedding(VOCAB, width)
        self.attention = nn.MultiheadAttention(width, num_heads=2, batch_first=True)
        self.hidden = nn.Linear(width, width)
        self.head = nn.Linear(width, VOCAB)
        self.logit_scale = logit_scale

    def forward(self, tokens: torch.Tensor):
        x = self.embed(tokens)
        attended, weights = self.attention(x, x, x, need_weights=True)
        hidden = torch.tanh(self.hidden(attended))
        return self.head(hidden) * self.logit_scale, hidden, weights


def build(config: dict):
    torch.manual_seed(0)
    teacher = TinyLM(64, logit_scale=600000.0).eval()
    for parameter in teacher.parameters():
        parameter.requires_grad_(False)
    student = TinyLM(32)
    student.project = nn.Linear(32, 64)  # student features mapped to the teacher's width
    return teacher, student


def batches(count: int = 8, size: int = 16) -> list[torch.Tensor]:
    generator = torch.Generator().manual_seed(1)
    return [torch.randint(0, VOCAB, (size, LENGTH), generator=generator) for _ in range(count)]


def components(teacher, student, tokens: torch.Tensor, temperature: float) -> dict[str, torch.Tensor]:
    """The three UNWEIGHTED loss terms, as the training loop computes them."""
    with torch.no_grad(), torch.autocast("cpu", enabled=False):  # the frozen teacher runs in fp32
        teacher_logits, teacher_hidden, teacher_attention = teacher(tokens)
    logits, hidden, attention = student(tokens)
    kd = F.kl_div(F.log_softmax(logits / temperature, -1), F.softmax(teacher_logits / temperature, -1), reduction="batchmean") * temperature**2
    feature = (student.project(hidden) - teacher_hidden).pow(2).sum(-1).mean()  # summed over the width: large
    attention_loss = (attention - teacher_attention).pow(2).mean()  # tiny
    return {"kd": kd, "feature": feature, "attention": attention_loss}


def train(config: dict, steps: int) -> dict:
    """Train for `steps`; return the gradient shares of the weighted terms and whether KD stays finite in fp16."""
    teacher, student = build(config)
    data = batches()
    temperature = config["temperature"]
    weights = {name: config[f"alpha_{name}"] for name in ("kd", "feature", "attention")}
    optimizer = torch.optim.AdamW(student.parameters(), lr=config["learning_rate"], weight_decay=config.get("weight_decay", 0.0))
    params = [p for p in student.parameters() if p.requires_grad]
    shares = {}
    for step in range(steps):
        parts = components(teacher, student, data[step % len(data)], temperature)
        norms = {}
        for name, value in parts.items():
            grads = torch.autograd.grad(weights[name] * value, params, retain_graph=True, allow_unused=True)
            norms[name] = math.sqrt(sum(float(g.pow(2).sum()) for g in grads if g is not None))
        total = sum(norms.values())
        shares = {name: norm / total for name, norm in norms.items()}
        optimizer.zero_grad()
        sum(weights[name] * value for name, value in parts.items()).backward()
        torch.nn.utils.clip_grad_norm_(params, config.get("max_grad_norm", math.inf))
        optimizer.step()
    with torch.no_grad():
        logits, _, _ = student(data[0])
        teacher_logits, _, _ = teacher(data[0])
        half = (teacher_logits / temperature).half()
        kd_finite = bool(torch.isfinite(half).all())
    return {"gradient_shares": shares, "kd_finite_fp16": kd_finite}


def probe_target(config: dict) -> ProbeTarget:
    teacher, student = build(config)
    data = batches()
    temperature = config["temperature"]

    def logits(tokens):
        with torch.no_grad():
            return student(tokens)[0], teacher(tokens)[0]

    return ProbeTarget(
        model=student,
        batch=data[0],
        batches=data,
        loss_components=lambda tokens: components(teacher, student, tokens, temperature),
        distillation_logits=logits,
    )


if __name__ == "__main__":
    import json

    with open(sys.argv[1]) as handle:
        print(train(json.load(handle), steps=30))
