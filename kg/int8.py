"""int8 matrix products for the Linear layers of a torch model on the CPU, for faster sentence embeddings.

Each ``nn.Linear`` becomes an ``Int8Linear``: its weights are rounded once to int8, one scale per output
row (symmetric, per channel), and each call rounds its input to 8 bits with one scale for the whole
input (dynamic, per tensor) before fbgemm multiplies them. torch's own ``quantize_dynamic`` does the
same with 7-bit inputs (``reduce_range``), which fbgemm needs on CPUs without VNNI to keep its 16-bit
sums from saturating; on all-MiniLM-L6-v2 those cost agreement (mean cosine to the float32 vectors
0.978 against 0.994 with 8 bits, ``bench/embed_speed.py``), so kg runs int8 only on a CPU with
AVX512-VNNI (:func:`kg.embed.int8_supported`), and only when asked for (``KG_EMBEDDING_RUNTIME=int8``):
even 8 bits moved pair AP by up to 0.006 on the labelled banks.

torch is imported inside the functions, so that kg imports (and its doctests run) without the
``semantic`` extra.
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import Any

#: Names the arithmetic, for the embedding cache's key: vectors of another scheme are not reused.
SCHEME = "int8 per-channel symmetric weights, 8-bit per-tensor dynamic inputs, fbgemm"

ENGINES = frozenset({"x86", "fbgemm"})  # torch's quantized engines whose kernels this was measured on


@cache
def int8_linear() -> type:
    """The ``Int8Linear`` module class: ``x @ W.T + b`` with ``W`` rounded per row and ``x`` per call."""
    import torch
    from torch import nn

    class Int8Linear(nn.Module):
        def __init__(self, linear: nn.Linear) -> None:
            super().__init__()
            self.in_features, self.out_features = linear.in_features, linear.out_features
            weight = linear.weight.detach().float()
            scale = (weight.abs().amax(dim=1) / 127.0).clamp(min=1e-12).double()
            zero = torch.zeros_like(scale, dtype=torch.long)
            bias = None if linear.bias is None else linear.bias.detach().float()
            with warnings.catch_warnings():
                # torch marks its quantized tensors deprecated in favour of torchao, which has no fbgemm
                # CPU kernel for this; the warning is about a future release, not about these results.
                warnings.filterwarnings("ignore", message=r"torch\.quantize_per_tensor, torch\.quantize_per_channel")
                qweight = torch.quantize_per_channel(weight, scale, zero, 0, torch.qint8)
                self._packed = torch.ops.quantized.linear_prepack(qweight, bias)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.ops.quantized.linear_dynamic(x, self._packed, reduce_range=False)

        def extra_repr(self) -> str:
            return f"in_features={self.in_features}, out_features={self.out_features}, int8"

    return Int8Linear


def engine_ready() -> bool:
    """Whether torch's quantized engine is one whose int8 kernels ``Int8Linear`` was checked on."""
    import torch

    return torch.backends.quantized.engine in ENGINES


def quantise_linears(model: Any) -> int:
    """Replace every ``nn.Linear`` inside the torch module ``model`` by an ``Int8Linear``, in place.

    Returns how many were replaced. The model must be used for inference only from then on: the
    int8 weights are packed for fbgemm and carry no gradient.
    """
    from torch import nn

    make = int8_linear()
    count = 0
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, nn.Linear):
                setattr(parent, name, make(child))
                count += 1
    return count


__all__ = ["SCHEME", "engine_ready", "int8_linear", "quantise_linears"]
