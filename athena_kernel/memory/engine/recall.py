"""Ranked search across layers: the ranker's doc ids turned into hits with their rows' fields."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from ..layers import doc_layer
from .base import LayerStore
from .search_index import SearchIndex

#: How much more the ranker is asked for, per round, when an extra exact filter applies.
_OVERFETCH = 8


def ranked_hits(
    index: SearchIndex,
    stores: Mapping[str, LayerStore],
    query: str,
    *,
    limit: int,
    layers: Collection[str] | None = None,
    tags: Collection[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    allowed: Collection[int] | None = None,
) -> list[dict[str, Any]]:
    """The best ``limit`` hits as plain dicts (layer, id, score, text, timestamp, tags, metadata).

    ``allowed`` restricts results to those doc ids (an exact filter the ranker does not know,
    such as an event's session): the ranker is asked for more results until ``limit`` allowed
    ones are found or it has no more.
    """
    since_f = since.timestamp() if since is not None else None
    until_f = until.timestamp() if until is not None else None
    if allowed is not None and not allowed:
        return []
    fetch = limit if allowed is None else limit * _OVERFETCH
    while True:
        pairs = index.search(
            query, limit=fetch, layers=layers, tags=tags, since=since_f, until=until_f
        )
        chosen = pairs if allowed is None else [pair for pair in pairs if pair[0] in allowed]
        if len(chosen) >= limit or len(pairs) < fetch:
            break
        fetch *= _OVERFETCH
    chosen = chosen[:limit]
    by_layer: dict[str, list[int]] = defaultdict(list)
    for doc_id, _ in chosen:
        by_layer[doc_layer(doc_id)].append(doc_id)
    fields: dict[int, dict[str, Any]] = {}
    for layer, doc_ids in by_layer.items():
        fields.update(stores[layer].hits(doc_ids))
    return [
        {"layer": doc_layer(doc_id), "score": float(score), **fields[doc_id]}
        for doc_id, score in chosen
        if doc_id in fields
    ]
