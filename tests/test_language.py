"""Files in another language than English: only names written alike in every language are concepts."""

from __future__ import annotations

import logging

import pytest

from kg.extract import extract
from kg.extract.language import foreign_sources, language_of
from kg.parse import parse_text
from kg.pipeline import build_bank

SPANISH = """# Preguntas sobre redes

## ¿Qué es una dirección IP?

Es el número que identifica a cada equipo dentro de una red. Sin ella los paquetes no llegan a su destino.

## ¿Para qué sirve el protocolo DHCP?

Asigna las direcciones de forma automática cuando un equipo se conecta, así nadie tiene que escribirlas a mano.

## ¿Por qué mi conexión es tan lenta por la noche?

Muchos vecinos usan la misma línea a la vez. TCP is a transport protocol, y el router reparte el ancho de banda.
"""

ENGLISH = """## What is dropout?

Dropout randomly zeroes activations during training, which reduces overfitting in large networks.
"""


@pytest.mark.model
def test_file_in_another_language_gives_only_names_written_alike(nlp, caplog) -> None:
    items = parse_text(SPANISH, "redes.md") + parse_text(ENGLISH, "dl.md")
    with caplog.at_level(logging.WARNING, logger="kg.extract"):
        found = extract(items, nlp)
    labels = {c.id: c.label for c in found.concepts}
    said: dict[str, set[str]] = {}
    for m in found.mentions:
        said.setdefault(m.item, set()).add(labels[m.concept])
    spanish = set().union(*(said.get(it.id, set()) for it in items[:3]))
    assert {"IP", "DHCP", "TCP"} <= spanish, spanish
    assert all(label.isupper() for label in spanish), spanish  # no "dirección", "ancho de banda", "vecinos"
    assert {"dropout", "overfitting"} <= said[items[3].id]
    assert "redes.md: the text is in another language than English ('es')" in caplog.text
    assert "dl.md" not in caplog.text


@pytest.mark.model
def test_file_in_another_language_states_no_relation(nlp) -> None:
    # "TCP is a transport protocol" would be read as TCP is-a protocol in an English file
    english = build_bank(parse_text("## What is TCP?\n\nTCP is a transport protocol.\n", "tcp.md"), nlp)
    assert english.relations
    assert not build_bank(parse_text(SPANISH, "redes.md"), nlp).relations


@pytest.mark.model
def test_latin_names_glued_to_chinese_text_are_concepts(nlp) -> None:
    md = "".join(f"## {q}\n\n{a}\n\n" for q, a in [
        ("HTTP与HTTPS有什么区别？", "HTTPS在HTTP的基础上加入了TLS加密，默认端口是443。"),
        ("什么是DNS？", "DNS把域名解析成IP地址，通常使用UDP的53端口。"),
    ])
    found = extract(parse_text(md, "wangluo.md"), nlp)
    assert {"HTTP", "HTTPS", "TLS", "DNS", "IP", "UDP"} <= {c.label for c in found.concepts}
    assert all(c.label.isascii() for c in found.concepts)


def test_language_of_a_file_is_read_from_all_its_text() -> None:
    # one short question cannot be told apart ("Flink vs Spark?"); the file's text can
    assert language_of("Flink vs Spark?") == "en"
    assert language_of(SPANISH) == "es"
    assert language_of(ENGLISH * 3) == "en"


def test_foreign_sources_name_each_file_once() -> None:
    items = parse_text(SPANISH, "a/redes.md") + parse_text(ENGLISH, "b/dl.md")
    assert foreign_sources(items, warn=False) == {"a/redes.md": "es"}
