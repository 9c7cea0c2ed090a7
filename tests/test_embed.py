"""Tests of kg.embed: the content-hash cache, model choice, and the real model behind a marker."""

from __future__ import annotations

import hashlib
import logging
import sys

import numpy as np
import pytest

from kg import embed
from kg.embed import (
    CachedEmbedder,
    embedding_cache_name,
    encode,
    load_embedder,
    model_fingerprint,
    normalise_rows,
    resolve_model,
    resolve_runtime,
    text_key,
)
from kg.errors import ModelError


class Counting:
    """An embedder that records every text it is asked to encode."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return normalise_rows(np.array([[len(t), t.count("a") + 1.0, 1.0] for t in texts]))


def test_embed_cache_encodes_each_text_once(tmp_path):
    inner = Counting()
    cached = CachedEmbedder(inner, tmp_path)
    first = cached.encode(["alpha", "beta", "alpha"])
    assert inner.seen == ["alpha", "beta"]
    again = CachedEmbedder(Counting(), tmp_path)  # a new run reads the files
    second = again.encode(["beta", "alpha"])
    assert again.inner.seen == []
    np.testing.assert_allclose(second, first[[1, 0]])
    assert len(list((tmp_path / "packs").glob("*.npy"))) == 1  # one pack for the call's new texts


def test_embed_cache_only_new_texts_reach_the_model(tmp_path):
    inner = Counting()
    cached = CachedEmbedder(inner, tmp_path)
    cached.encode(["one", "two"])
    out = cached.encode(["two", "three"])
    assert inner.seen == ["one", "two", "three"]
    assert out.shape == (2, 3)


def test_embed_cache_recomputes_a_torn_pack(tmp_path):
    inner = Counting()
    CachedEmbedder(inner, tmp_path).encode(["text"])
    (pack,) = (tmp_path / "packs").glob("*.npy")
    pack.write_bytes(pack.read_bytes()[:-4])
    CachedEmbedder(inner, tmp_path).encode(["text"])
    assert inner.seen == ["text", "text"]
    CachedEmbedder(inner, tmp_path).encode(["text"])  # the torn pack was replaced by a whole one
    assert inner.seen == ["text", "text"]


def _pack(folder, records) -> None:
    """``records`` written as a pack named by its bytes, as the cache names its own."""
    import io

    buffer = io.BytesIO()
    np.save(buffer, records)
    data = buffer.getvalue()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{hashlib.sha256(data).hexdigest()}.npy").write_bytes(data)


def _records(vectors, keys, key_type=("u1", (32,))):
    vectors = np.asarray(vectors, dtype=np.float32)
    records = np.zeros(len(keys), dtype=[("key", key_type), ("vector", np.float32, (vectors.shape[1],))])
    records["key"] = np.frombuffer(b"".join(bytes.fromhex(k) for k in keys), np.uint8).reshape(len(keys), -1)
    records["vector"] = vectors
    return records


@pytest.mark.parametrize(
    ("name", "plant"),
    [
        ("a pack of another model's length", lambda folder, key: _pack(folder, _records(np.ones((1, 4)) / 2, [key]))),
        ("a pack of NaN", lambda folder, key: _pack(folder, _records(np.full((1, 3), np.nan), [key]))),
        ("a pack of zeros", lambda folder, key: _pack(folder, _records(np.zeros((1, 3)), [key]))),
        ("a plain array", lambda folder, key: _pack(folder, np.ones((1, 3), dtype=np.float32))),
        ("a pack under another name", lambda folder, key: (
            folder.mkdir(parents=True), np.save(folder / f"{'0' * 64}.npy", _records([GOOD], [key])))),
    ],
)
def test_embed_cache_pack_that_fails_its_check_is_recomputed(tmp_path, caplog, name, plant):
    plant(tmp_path / "packs", text_key("texts"))
    inner = Counting()
    cached = CachedEmbedder(inner, tmp_path, dim=3)
    with caplog.at_level("WARNING", logger="kg.embed"):
        out = cached.encode(["texts", "texts"])
        CachedEmbedder(inner, tmp_path, dim=3).encode(["texts"])  # recomputed once, then read back
    assert inner.seen == ["texts"]
    np.testing.assert_array_equal(out, Counting().encode(["texts", "texts"]))
    assert caplog.text.count("failed its check") == 1


def test_embed_cache_reads_the_older_one_file_a_text_layout_into_a_pack(tmp_path):
    key = text_key("old")
    (tmp_path / key[:2]).mkdir()
    _entry(tmp_path / key[:2] / f"{key}.npz", GOOD, key)
    inner = Counting()
    out = CachedEmbedder(inner, tmp_path, dim=3).encode(["old", "new"])
    assert inner.seen == ["new"]
    np.testing.assert_array_equal(out[0], GOOD)
    (tmp_path / key[:2] / f"{key}.npz").unlink()  # from now on read from the pack
    again = CachedEmbedder(Counting(), tmp_path, dim=3).encode(["old", "new"])
    np.testing.assert_array_equal(again, out)


def test_embed_cache_merges_small_packs_past_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(embed, "MAX_PACKS", 3)
    texts = [f"text {n}" for n in range(8)]
    for n, text in enumerate(texts):
        CachedEmbedder(Counting(), tmp_path, dim=3).encode([text] * (n + 1))
        assert len(list((tmp_path / "packs").glob("*.npy"))) <= 3 + 1
    inner = Counting()
    out = CachedEmbedder(inner, tmp_path, dim=3).encode(texts)
    assert inner.seen == []
    np.testing.assert_array_equal(out, Counting().encode(texts))


def _entry(path, vector, key, checksum=None) -> None:
    vector = np.asarray(vector)
    digest = checksum or hashlib.sha256(np.ascontiguousarray(vector).tobytes()).hexdigest()
    with open(path, "wb") as handle:
        np.savez(handle, vector=vector, key=np.array(key), sha256=np.array(digest))


def _npy(path, vector) -> None:
    with open(path, "wb") as handle:
        np.save(handle, vector)


GOOD = normalise_rows(np.array([[5.0, 1.0, 1.0]]))[0]


@pytest.mark.parametrize(
    ("name", "plant"),
    [
        ("an empty file", lambda path, key: path.write_bytes(b"")),
        ("an old .npy vector", lambda path, key: _npy(path, GOOD)),
        ("NaN", lambda path, key: _entry(path, np.full(3, np.nan, dtype=np.float32), key)),
        ("zeros", lambda path, key: _entry(path, np.zeros(3, dtype=np.float32), key)),
        ("a vector of the wrong length", lambda path, key: _entry(path, normalise_rows(np.ones((1, 4)))[0], key)),
        ("a 2-D array", lambda path, key: _entry(path, normalise_rows(np.ones((2, 3))), key)),
        ("strings", lambda path, key: _entry(path, np.array(["a", "b", "c"]), key)),
        ("float64", lambda path, key: _entry(path, GOOD.astype(np.float64), key)),
        ("a valid vector stored under another text", lambda path, key: _entry(path, GOOD, text_key("other"))),
        ("a checksum that does not match", lambda path, key: _entry(path, GOOD, key, checksum="0" * 64)),
    ],
)
def test_embed_cache_entry_that_fails_its_check_is_recomputed(tmp_path, caplog, name, plant):
    key = text_key("texts")
    path = tmp_path / key[:2] / f"{key}.npz"
    path.parent.mkdir(parents=True)
    plant(path, key)
    inner = Counting()
    cached = CachedEmbedder(inner, tmp_path, dim=3)
    with caplog.at_level("WARNING", logger="kg.embed"):
        out = cached.encode(["texts", "texts"])
        cached.encode(["texts"])  # recomputed once, then read back
    assert inner.seen == ["texts"]
    np.testing.assert_array_equal(out, Counting().encode(["texts", "texts"]))
    assert caplog.text.count("failed its check") == 1


def test_embed_cache_empty_input(tmp_path):
    assert CachedEmbedder(Counting(), tmp_path).encode([]).shape[0] == 0


@pytest.mark.parametrize(
    ("argument", "env", "expected"),
    [("/models/a", "/models/b", "/models/a"), (None, "/models/b", "/models/b")],
)
def test_embed_resolve_model_argument_then_environment(monkeypatch, argument, env, expected):
    monkeypatch.setenv("KG_EMBEDDING_MODEL", env)
    assert resolve_model(argument) == expected


def test_embed_resolve_model_defaults_to_packaged_folder(monkeypatch):
    monkeypatch.delenv("KG_EMBEDDING_MODEL", raising=False)
    default = embed.default_model_path()
    assert resolve_model() == (str(default) if default else None)


def test_embed_without_sentence_transformers_warns_once(monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import now fails
    monkeypatch.setattr(embed, "_warned", False)
    with caplog.at_level(logging.WARNING, logger="kg.embed"):
        assert load_embedder() is None
        assert load_embedder() is None
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    assert messages[0].startswith("semantic evidence off: sentence_transformers is not installed")
    assert "install kg[semantic]" in messages[0]


@pytest.mark.semantic
def test_embed_named_model_that_cannot_load_is_an_error(tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelError, match=r"cannot load embedding model '.*no-such-model' \(from argument\) offline"):
        load_embedder(str(missing), cache_dir=tmp_path)


@pytest.mark.semantic
def test_embed_real_model_offline_with_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("KG_EMBEDDING_MODEL", raising=False)
    embedder = load_embedder(cache_dir=tmp_path)
    assert embedder is not None
    texts = [
        "How do you prevent overfitting in a neural network?",
        "What techniques reduce overfitting of deep networks?",
        "What is the capital of France?",
    ]
    vectors = embedder.encode(texts)
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sims = vectors @ vectors.T
    assert sims[0, 1] > 0.6 > sims[0, 2]

    def refuse(*args, **kwargs):
        raise AssertionError("the model was called for cached texts")

    monkeypatch.setattr(embedder.inner.model, "encode", refuse)
    np.testing.assert_allclose(embedder.encode(texts[::-1]), vectors[::-1], atol=1e-6)


@pytest.mark.semantic
def test_embed_counted_batches_give_the_vectors_of_one_call(tmp_path, monkeypatch):
    monkeypatch.delenv("KG_EMBEDDING_MODEL", raising=False)
    embedder = load_embedder(cache_dir=tmp_path)
    assert isinstance(embedder, CachedEmbedder)
    model = embedder.inner
    # lengths that tie and differ, across more than one batch
    texts = [f"{'Why does dropout reduce overfitting ' * (k % 5 + 1)}case {k}." for k in range(150)]
    done: list[int] = []
    counted = encode(model, texts, done.append)
    assert np.array_equal(counted, model.encode(texts))
    assert done[-1] == 150 and done == sorted(done) and len(done) >= 3
    done.clear()
    assert np.array_equal(encode(embedder, texts, done.append), counted)
    assert done[-1] == 150 and done == sorted(done)


def test_embed_cache_name_names_the_runtime(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text('{"hidden_size": 3}')
    float32, int8 = embedding_cache_name(str(model), "float32"), embedding_cache_name(str(model), "int8")
    assert float32 == model_fingerprint(str(model))  # caches written before runtimes existed stay valid
    assert int8 != float32 and int8.startswith(float32 + "-int8-")
    assert embedding_cache_name(str(model), "bf16").startswith(float32 + "-bf16-")
    (model / "config.json").write_text('{"hidden_size": 4}')
    assert embedding_cache_name(str(model), "int8") != int8  # another model, another int8 cache


@pytest.mark.parametrize(
    ("argument", "env", "auto", "native", "expected"),
    [
        (None, None, ("bf16",), {"bf16", "int8"}, "bf16"),
        (None, None, ("bf16",), {"int8"}, "float32"),
        (None, None, ("int8", "bf16"), {"bf16"}, "bf16"),
        (None, None, (), {"bf16", "int8"}, "float32"),
        (None, "auto", ("bf16",), {"bf16"}, "bf16"),
        (None, "float32", ("bf16",), {"bf16"}, "float32"),
        (None, " Float32 ", ("bf16",), {"bf16"}, "float32"),
        ("float32", "int8", ("bf16",), {"bf16", "int8"}, "float32"),
        ("int8", "float32", ("bf16",), {"int8"}, "int8"),
    ],
)
def test_embed_resolve_runtime_argument_then_environment_then_cpu(monkeypatch, argument, env, auto, native, expected):
    monkeypatch.setattr(embed, "AUTO", auto)
    monkeypatch.setattr(embed, "int8_supported", lambda: "int8" in native)
    monkeypatch.setattr(embed, "bf16_supported", lambda: "bf16" in native)
    if env is None:
        monkeypatch.delenv("KG_EMBEDDING_RUNTIME", raising=False)
    else:
        monkeypatch.setenv("KG_EMBEDDING_RUNTIME", env)
    assert resolve_runtime(argument) == expected


@pytest.mark.parametrize(
    ("argument", "env", "message"),
    [
        (None, "int4", r"runtime 'int4' \(from KG_EMBEDDING_RUNTIME\); use one of auto, float32, bf16, int8"),
        ("onnx", None, r"unknown embedding runtime 'onnx' \(from argument\)"),
        (None, "int8", r"embedding runtime 'int8' \(from KG_EMBEDDING_RUNTIME\) needs an x86-64 CPU with AVX512-VNNI"),
        ("bf16", None, r"embedding runtime 'bf16' \(from argument\) needs an x86-64 CPU with AVX512-BF16 or AMX"),
    ],
)
def test_embed_resolve_runtime_refuses_what_cannot_run(monkeypatch, argument, env, message):
    monkeypatch.setattr(embed, "int8_supported", lambda: False)
    monkeypatch.setattr(embed, "bf16_supported", lambda: False)
    if env is None:
        monkeypatch.delenv("KG_EMBEDDING_RUNTIME", raising=False)
    else:
        monkeypatch.setenv("KG_EMBEDDING_RUNTIME", env)
    with pytest.raises(ModelError, match=message):
        resolve_runtime(argument)


@pytest.mark.parametrize(
    ("machine", "flags", "int8", "bf16"),
    [
        ("x86_64", {"avx2", "avx512_vnni", "amx_bf16"}, True, True),
        ("x86_64", {"avx2", "avx512_bf16"}, False, True),
        ("x86_64", {"avx2", "fma"}, False, False),
        ("arm64", {"avx512_vnni", "avx512_bf16"}, False, False),  # fbgemm's kernels are x86 only
    ],
)
def test_embed_native_runtimes_follow_the_cpu_flags(monkeypatch, machine, flags, int8, bf16):
    monkeypatch.setattr(embed.platform, "machine", lambda: machine)
    monkeypatch.setattr(embed, "cpu_flags", lambda: frozenset(flags))
    assert (embed.int8_supported(), embed.bf16_supported()) == (int8, bf16)


@pytest.mark.semantic
def test_embed_int8_linear_is_close_to_the_float_layer():
    torch = pytest.importorskip("torch")
    from kg.int8 import int8_linear, quantise_linears

    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Sequential(torch.nn.Linear(32, 8)))
    x = torch.randn(5, 7, 64)
    with torch.inference_mode():
        want = net(x)
        assert quantise_linears(net) == 2
        got = net(x)
    assert all(type(m) is not torch.nn.Linear for m in net.modules())
    assert isinstance(net[0], int8_linear())
    assert got.shape == want.shape and got.dtype == torch.float32
    error = (got - want).norm() / want.norm()
    assert error > 0  # rounded, so not equal
    if embed.int8_supported():
        # close where kg runs int8; without VNNI fbgemm's 16-bit sums saturate on 8-bit inputs (kg.int8),
        # which is why kg never runs int8 there
        assert error < 0.05


INT8_TEXTS = [
    "How do you prevent overfitting in a neural network?",
    "What techniques reduce overfitting of deep networks?",
    "What is the capital of France?",
    "Explain the difference between bagging and boosting.",
    "ExpressRoute connections do not go over the public Internet and offer more reliability and lower latency.",
    "What does the `this` keyword refer to inside an arrow function in JavaScript?",
    "How do you find which process listens on a TCP port on a Linux server?",
    "Dropout randomly drops units during training, so the network cannot rely on any one of them. " * 6,
]


@pytest.mark.semantic
@pytest.mark.parametrize(("runtime", "mean", "least"), [("bf16", 0.999, 0.995), ("int8", 0.99, 0.97)])
def test_embed_fast_runtime_agrees_with_float32(tmp_path, monkeypatch, runtime, mean, least):
    if not embed._supported(runtime):
        pytest.skip(f"this CPU does not run {runtime} natively; kg does not use it here")
    monkeypatch.delenv("KG_EMBEDDING_MODEL", raising=False)
    plain = load_embedder(cache_dir=tmp_path, runtime="float32")
    fast = load_embedder(cache_dir=tmp_path, runtime=runtime)
    assert isinstance(plain, CachedEmbedder) and isinstance(fast, CachedEmbedder)
    assert fast.directory != plain.directory
    assert embed.describe(fast)["runtime"] == runtime
    reference = plain.encode(INT8_TEXTS)
    vectors = fast.encode(INT8_TEXTS)  # same cache root: float32 vectors must not be read back as int8 ones
    assert sum(len(np.load(p)) for p in (fast.directory / "packs").glob("*.npy")) == len(INT8_TEXTS)
    assert vectors.shape == (len(INT8_TEXTS), 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert not np.array_equal(vectors, reference)
    cosines = np.einsum("ij,ij->i", vectors, reference)
    assert cosines.mean() >= mean and cosines.min() >= least
    sims = vectors @ vectors.T
    assert sims[0, 1] > 0.6 > sims[0, 2]


@pytest.mark.semantic
@pytest.mark.parametrize("runtime", ["float32", "bf16"])
def test_embed_a_texts_vector_does_not_depend_on_the_texts_beside_it(tmp_path, monkeypatch, runtime):
    from kg.embed import bf16_supported

    if runtime == "bf16" and not bf16_supported():
        pytest.skip("this CPU has no native bf16")
    monkeypatch.delenv("KG_EMBEDDING_MODEL", raising=False)
    embedder = load_embedder(cache_dir=tmp_path, runtime=runtime)
    assert isinstance(embedder, CachedEmbedder)
    model = embedder.inner
    text = "Why does dropout reduce overfitting in deep networks?"
    alone = model.encode([text])[0]
    # shorter and longer texts, and texts of its own length, in one call and across batches
    others = [f"{'A much longer answer about regularisation and weight decay. ' * (k % 7)}Case {k}." for k in range(90)]
    twin = "Why does dropout reduce underfitting in deep nets?"
    for beside in ([*others[:3], text], [text, *others], [*others, twin, text]):
        assert np.array_equal(model.encode(beside)[beside.index(text)], alone)


def test_embed_batches_pad_to_a_multiple_of_the_step_longest_first(monkeypatch):
    from kg import embed
    from kg.embed import SentenceTransformerEmbedder

    class Tokenizer:
        def __call__(self, texts, truncation, max_length):
            return {"input_ids": [t.split()[:max_length] for t in texts]}

    class Model:
        tokenizer = Tokenizer()
        max_seq_length = 5

    monkeypatch.setattr(embed, "PAD_TO", 2)
    embedder = SentenceTransformerEmbedder(Model(), "words", batch_size=2)
    texts = ["a b", "a b c d e f", "a", "b c d", "c d", " x y z w "]
    batches = [(length, b.tolist()) for length, b in embedder.batches(texts)]
    # 5 pieces (cut at the window), then 4 (3 and 4 pieces), then 2 (1 and 2 pieces), 2 a batch
    assert batches == [(5, [1]), (4, [3, 5]), (2, [0, 2]), (2, [4])]
