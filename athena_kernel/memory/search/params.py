"""Ranking parameters of :class:`~.bm25.BM25Ranker` (stored in snapshots)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

__all__ = ["BM25Params"]


@dataclass(frozen=True)
class BM25Params:
    """BM25+ scoring and query options.

    Defaults are the published ones, not tuned on evaluation data: ``k1=1.2, b=0.75``
    (Robertson et al.) and the BM25+ lower bound ``delta=1.0`` (Lv & Zhai, CIKM 2011), which
    keeps a matching term worth something in long documents and favours documents that match
    more of the query's distinct terms.
    """

    k1: float = 1.2  #: term-frequency saturation (0 = binary match)
    b: float = 0.75  #: document-length normalisation (0 = none, 1 = full)
    delta: float = 1.0  #: BM25+ bonus per matched query term, in units of its idf (0 = BM25)
    #: try words one typo away for query words the index has never seen
    fuzzy: bool = True
    fuzzy_weight: float = 0.5  #: weight of a typo-corrected query term (1 = like the original)
    fuzzy_min_chars: int = 5  #: shorter words are not corrected (too many neighbours)

    def __post_init__(self) -> None:
        checks = {
            "k1": (self.k1, 0.0, 100.0),
            "b": (self.b, 0.0, 1.0),
            "delta": (self.delta, 0.0, 100.0),
            "fuzzy_weight": (self.fuzzy_weight, 0.0, 1.0),
        }
        for name, (value, lo, hi) in checks.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"BM25Params.{name} must be a number, not {type(value).__name__}")
            if not (math.isfinite(value) and lo <= value <= hi):
                raise ValueError(f"BM25Params.{name}={value!r} is out of range [{lo}, {hi}]")
        if not isinstance(self.fuzzy, bool):
            raise TypeError("BM25Params.fuzzy must be True or False")
        if (
            isinstance(self.fuzzy_min_chars, bool)
            or not isinstance(self.fuzzy_min_chars, int)
            or self.fuzzy_min_chars < 1
        ):
            raise ValueError("BM25Params.fuzzy_min_chars must be an integer >= 1")

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form, for snapshots."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BM25Params:
        """Inverse of :meth:`to_dict`; unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown BM25Params fields: {sorted(unknown)}")
        return cls(**data)
