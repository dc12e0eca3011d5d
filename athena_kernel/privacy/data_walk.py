"""Apply a function to every string in JSON-like data (dict keys and values, lists, tuples)
without recursion, so arbitrarily deep data cannot exhaust the stack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def map_strings(data: Any, fn: Callable[[str], str]) -> Any:
    """A copy of ``data`` with ``fn`` applied to every ``str`` in it, dict keys included.

    dicts, lists and tuples are rebuilt (same types); numbers, booleans, ``None`` and any
    other object are returned as they are. If two keys of a dict map to the same new key, the
    later one wins.
    """
    if isinstance(data, str):
        return fn(data)
    if not isinstance(data, (dict, list, tuple)):
        return data
    root: list[Any] = [None]
    # (source container, target container, parent target, key in parent)
    stack: list[tuple[Any, Any, Any, Any]] = []
    tuples: list[tuple[list[Any], Any, Any]] = []  # (list to freeze, parent, key)

    def start(node: Any, parent: Any, key: Any) -> None:
        target: Any = {} if isinstance(node, dict) else []
        parent[key] = target
        if isinstance(node, tuple):
            tuples.append((target, parent, key))
        stack.append((node, target, parent, key))

    start(data, root, 0)
    while stack:
        node, target, _, _ = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(target, dict):
                new_key = fn(key) if isinstance(key, str) else key
            else:
                target.append(None)
                new_key = key
            if isinstance(value, str):
                target[new_key] = fn(value)
            elif isinstance(value, (dict, list, tuple)):
                start(value, target, new_key)
            else:
                target[new_key] = value
    # freeze tuples innermost first (they were created after their parents)
    for built, parent, key in reversed(tuples):
        parent[key] = tuple(built)
    return root[0]
