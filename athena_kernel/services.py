"""The trusted side's one entry point for user code: ``services.call(op, params) -> plain data``.

User code reaches the store, the output archive and the kernel only through this object (via the
``memory`` facade and Athena's magics). Memory operations get PII tokens in their parameters
swapped for the real values, and their results tokenized, so what is stored is real and what user
code sees is tokens. In process-isolation mode the worker's calls arrive here over its socket.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .memory.backend import Backend

KernelOp = Callable[[dict[str, Any]], Any]


#: Event types under this prefix are written by the kernel only (rejections and limit hits).
AUDIT_PREFIX = "sandbox."


class ServicesError(ValueError):
    """A call named an operation the kernel does not offer to user code."""


@functools.cache
def _memory_ops() -> frozenset[str]:
    from .memory.params import OPS

    return frozenset(OPS)


class KernelServices:
    """Dispatches ``op`` to the memory store (through the vault) or to a kernel operation."""

    def __init__(
        self,
        store: Backend,
        *,
        vault: Callable[[], Any] | None = None,
        warn: Callable[[str], None] | None = None,
        kernel_ops: dict[str, KernelOp] | None = None,
    ) -> None:
        self.store = store
        self._vault = vault  # a callable giving the vault (the kernel creates it on first use)
        self._warn = warn
        self._kernel_ops: dict[str, KernelOp] = dict(kernel_ops or {})

    def register(self, op: str, handler: KernelOp) -> None:
        """Offer a kernel operation (e.g. ``output.get``) to user code."""
        self._kernel_ops[op] = handler

    def call(self, op: str, params: dict[str, Any]) -> Any:
        """Run ``op``: a kernel operation if one is registered, else a memory store operation."""
        handler = self._kernel_ops.get(op)
        if handler is not None:
            return self._tokenized(handler(self._detokenized(op, params)))
        if op not in _memory_ops():
            # e.g. the owner's admin ops (owner.shutdown): never reachable from user code
            raise ServicesError(f"{op!r} is not an operation the kernel offers")
        if op == "events.record" and str(params.get("event_type", "")).startswith(AUDIT_PREFIX):
            raise ServicesError(
                f"event types starting with {AUDIT_PREFIX!r} are reserved for the kernel's audit "
                "trail; record your event under another event_type"
            )
        return self._tokenized(self.store.call(op, self._detokenized(op, params)))

    def audit(self, event_type: str, content: str, metadata: dict[str, Any]) -> None:
        """Record an audit event (``sandbox.*``): the kernel's own path, closed to user code."""
        self.store.call(
            "events.record",
            {
                "event_type": event_type,
                "content": content,
                "outcome": "blocked",
                "tags": ["sandbox", str(metadata.get("rule", ""))],
                "metadata": metadata,
            },
        )

    @property
    def vault(self) -> Any:
        """The PII vault, or None when tokenization is off."""
        return self._vault() if self._vault is not None else None

    def _detokenized(self, op: str, params: dict[str, Any]) -> dict[str, Any]:
        vault = self.vault
        if vault is None or not params:
            return params
        real, unknown = vault.detokenize_data(params)
        if unknown and self._warn is not None:
            names = ", ".join(sorted(set(unknown)))
            self._warn(
                f"athena: {names} passed to memory ({op}) is not a token this kernel issued; "
                "it was used as written"
            )
        return real

    def _tokenized(self, result: Any) -> Any:
        vault = self.vault
        return result if vault is None else vault.tokenize_data(result)

    def memory_backend(self) -> Backend:
        """A :class:`~athena_kernel.memory.backend.Backend` view for the ``memory`` facade."""
        return _MemoryView(self)

    def close(self) -> None:
        """Close the store connection (it reconnects on the next call)."""
        self.store.close()


class _MemoryView:
    """The memory facade's backend: memory operations only, through the vault."""

    def __init__(self, services: KernelServices) -> None:
        self._services = services

    def call(self, op: str, params: dict[str, Any]) -> Any:
        if op in self._services._kernel_ops:
            raise ServicesError(f"{op!r} is not a memory operation")
        return self._services.call(op, params)

    def close(self) -> None:
        self._services.close()
