"""Keeps Athena's names (``memory``, ``apis``, ``procedures`` ...) bound in a shell's namespace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class NamespaceBinder:
    """Binds named objects into ``shell.user_ns`` and re-binds them before every cell.

    ``%reset -f`` and ``del memory`` remove user names; calling :meth:`bind` (the kernel does it
    in ``pre_run_cell``) puts the same objects back. Objects are created on first bind by their
    factories and are hidden from ``%who`` like IPython's own names.
    """

    def __init__(self, shell: Any, factories: dict[str, Callable[[], Any]]) -> None:
        self.shell = shell
        self._factories = dict(factories)
        self._objects: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        """The object bound as ``name`` (created on first use)."""
        if name not in self._objects:
            self._objects[name] = self._factories[name]()
        return self._objects[name]

    def add(self, name: str, factory: Callable[[], Any]) -> None:
        """Register another name (bound from the next :meth:`bind` on)."""
        self._factories[name] = factory
        self._objects.pop(name, None)

    def bind(self) -> None:
        """(Re-)bind every name whose binding is missing or was replaced."""
        ns = self.shell.user_ns
        hidden = self.shell.user_ns_hidden
        for name in self._factories:
            obj = self.get(name)
            if ns.get(name) is not obj:
                ns[name] = obj
            hidden[name] = obj

    def unbind(self) -> None:
        """Remove the bound names (those still bound to Athena's objects) from the namespace."""
        ns = self.shell.user_ns
        for name, obj in self._objects.items():
            if ns.get(name) is obj:
                del ns[name]
            self.shell.user_ns_hidden.pop(name, None)

    def close(self) -> None:
        """Close bound objects that have a ``close()`` (e.g. the memory store connection)."""
        for obj in self._objects.values():
            closer = getattr(obj, "close", None)
            if callable(closer):
                try:
                    closer()
                except Exception:
                    pass
