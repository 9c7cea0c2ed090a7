"""Character n-gram TF-IDF, now :mod:`kg.similar.ngrams`; this path is kept for one release."""

from __future__ import annotations

from kg.similar.ngrams import CharNgrams

__all__ = ["CharNgrams"]
