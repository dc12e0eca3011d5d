"""``%apis --search``: ranked matches across every namespace and function (BM25, pure Python)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from ..memory.search.analyzer import Analyzer
from .catalog import ApiFunction, Catalog

_ANALYZER = Analyzer()
K1, B = 1.2, 0.75
#: Words of a function's own name count this many times (a name match is the strongest signal).
NAME_WEIGHT = 3
#: Matches scoring below this share of the best one are noise (one common word in passing).
MIN_RELATIVE_SCORE = 0.3


@dataclass(frozen=True)
class Match:
    """One search result."""

    function: ApiFunction
    score: float


def _document(f: ApiFunction) -> list[str]:
    name_words = " ".join([f.name.replace("_", " "), f.path.replace(".", " ").replace("_", " ")])
    text = " ".join(
        [
            f.summary,
            f.description,
            " ".join(f"{p.name.replace('_', ' ')} {p.description}" for p in f.params),
            f.returns_doc,
        ]
    )
    return _ANALYZER.terms(name_words) * NAME_WEIGHT + _ANALYZER.terms(text)


def search(catalog: Catalog, query: str, *, limit: int = 8) -> list[Match]:
    """The functions best matching ``query``, best first (empty for a query of stop words)."""
    terms = _ANALYZER.terms(query)
    if not terms:
        return []
    functions = list(catalog.functions())
    docs = [Counter(_document(f)) for f in functions]
    if not docs:
        return []
    avg_len = sum(sum(d.values()) for d in docs) / len(docs)
    n = len(docs)
    df = Counter(t for d in docs for t in set(d))
    matches = []
    for f, d in zip(functions, docs):
        length = sum(d.values())
        score = 0.0
        for t in set(terms):
            tf = d.get(t, 0)
            if not tf:
                continue
            idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg_len))
        if score > 0:
            matches.append(Match(f, score))
    matches.sort(key=lambda m: (-m.score, m.function.path))
    if not matches:
        return []
    floor = matches[0].score * MIN_RELATIVE_SCORE
    return [m for m in matches if m.score >= floor][:limit]
