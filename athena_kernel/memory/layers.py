"""The memory layers: their public names, the small codes the ranker sees, and search doc ids.

A search document id packs the layer into its low 3 bits: ``doc_id = sequence * 8 + code``, so
ids increase with insertion order (what snapshot replay relies on) and a hit's layer is known
without a lookup.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import InvalidArgumentError

#: public layer name -> ranker layer code
LAYER_CODES: dict[str, int] = {
    "semantic": 1,
    "events": 2,
    "tasks": 3,
    "graph": 4,
    "procedures": 5,
    "plans": 6,
}
LAYER_NAMES: dict[int, str] = {code: name for name, code in LAYER_CODES.items()}
_LAYER_BITS = 3


def make_doc_id(sequence: int, layer: str) -> int:
    """The search doc id of the ``sequence``-th document, in ``layer``."""
    return (sequence << _LAYER_BITS) | LAYER_CODES[layer]


def doc_sequence(doc_id: int) -> int:
    """The insertion sequence number packed into a doc id."""
    return doc_id >> _LAYER_BITS


def doc_layer_code(doc_id: int) -> int:
    """The ranker layer code packed into a doc id."""
    return doc_id & ((1 << _LAYER_BITS) - 1)


def doc_layer(doc_id: int) -> str:
    """The layer name packed into a doc id."""
    return LAYER_NAMES[doc_layer_code(doc_id)]


def check_layers(value: object, *, argument: str = "layers") -> list[str] | None:
    """Validate a ``layers`` filter: ``None`` (all) or names from :data:`LAYER_CODES`."""
    if value is None:
        return None
    items: Iterable[object] = [value] if isinstance(value, str) else value  # type: ignore[assignment]
    try:
        names = list(items)
    except TypeError:
        raise InvalidArgumentError(
            f"{argument} must be a list of layer names ({', '.join(LAYER_CODES)}); "
            f"got {type(value).__name__}"
        ) from None
    result: list[str] = []
    for name in names:
        if name not in LAYER_CODES:
            raise InvalidArgumentError(
                f"{argument} must contain only {', '.join(LAYER_CODES)}; got {name!r}"
            )
        if name not in result:
            result.append(str(name))
    if not result:
        raise InvalidArgumentError(
            f"{argument} must name at least one layer ({', '.join(LAYER_CODES)}) or be None "
            "for all layers; got an empty list"
        )
    return result
