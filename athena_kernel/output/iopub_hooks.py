"""Thin adapters between ipykernel's output hooks (which see Jupyter message dicts) and an
:class:`~.output_filter.OutputFilter`. No ipykernel import: messages are plain dicts.

Wiring in the kernel (after ``super().__init__()``)::

    hooks = IOPubHooks(output_filter, send=lambda piece, parent: self.session.send(
        self.iopub_socket, piece.msg_type, piece.content, parent=parent))
    self.iopub_thread.schedule(lambda: sys.stdout.register_hook(hooks.stream_hook))  # + stderr
    self.shell.display_pub.register_hook(hooks.display_hook)
    self.shell.displayhook.register_hook(hooks.display_hook)
    # do_execute start: hooks.begin(parent_header, execution_count, cell_meta)
    # _showtraceback override: ename, evalue, stb = hooks.error(parent, ename, evalue, stb)
    # finish_metadata (after ipykernel flushed the streams): stats = hooks.finish(parent);
    # reply["ename"/"evalue"/"traceback"] = hooks.reply_error(parent, ...);
    # reply metadata["athena"]["output"] = stats
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .cell import BUNDLE_KINDS, CellOutput, Piece
from .output_filter import OutputFilter

Send = Callable[[Piece, Mapping[str, Any]], None]


def _msg_type(msg: Mapping[str, Any]) -> str:
    header = msg.get("header") or {}
    return str(header.get("msg_type") or msg.get("msg_type") or "")


def parent_key(msg_or_parent: Mapping[str, Any] | None) -> str | None:
    """The execution key of a message (its parent's ``msg_id``) or of a parent header."""
    if not msg_or_parent:
        return None
    parent = msg_or_parent.get("parent_header", msg_or_parent)
    if not isinstance(parent, Mapping):
        return None
    key = parent.get("msg_id")
    return str(key) if key else None


class IOPubHooks:
    """Hook functions for the five output roads, all routed to one :class:`OutputFilter`.

    ``send(piece, parent_header)`` must publish a :class:`~.cell.Piece` on IOPub; it is called
    for output released out of band (incomplete lines before a display, the truncation marker
    and tail at the end, held output before an error).
    """

    def __init__(self, output_filter: OutputFilter, send: Send) -> None:
        self.filter = output_filter
        self._send = send

    def _cell(self, parent: Mapping[str, Any] | None) -> CellOutput:
        return self.filter.cell(parent_key(parent))

    def _send_all(self, pieces: list[Piece], parent: Mapping[str, Any]) -> None:
        for piece in pieces:
            self._send(piece, parent)

    def begin(
        self,
        parent: Mapping[str, Any],
        execution_count: int | None,
        request_metadata: Any = None,
    ) -> CellOutput:
        """Start of ``do_execute``: begin the execution (keyed by the request's ``msg_id``) and
        send notices about bad request options at once, before the cell's own output."""
        key = parent_key(parent)
        if key is None:
            raise ValueError("parent header has no msg_id; pass the execute_request's header")
        cell = self.filter.begin(key, execution_count, request_metadata)
        self._send_all(cell.release_partial(), parent)
        return cell

    def stream_hook(self, msg: dict[str, Any]) -> dict[str, Any] | None:
        """``sys.stdout``/``sys.stderr`` hook (register on the IOPub thread)."""
        if _msg_type(msg) != "stream":
            return msg
        content = msg.get("content") or {}
        text = self._cell(msg.get("parent_header")).stream(
            str(content.get("name", "stdout")), str(content.get("text", ""))
        )
        if text is None:
            return None
        msg["content"] = {**content, "text": text}
        return msg

    def display_hook(self, msg: dict[str, Any]) -> dict[str, Any] | None:
        """Hook for ``display_pub`` and ``displayhook`` (display_data, update_display_data,
        execute_result; clear_output passes after incomplete lines are released)."""
        kind = _msg_type(msg)
        parent = msg.get("parent_header") or {}
        cell = self._cell(parent)
        self._send_all(cell.release_partial(), parent)
        if kind not in BUNDLE_KINDS:
            return msg
        content = msg.get("content") or {}
        extra = {k: v for k, v in content.items() if k not in ("data", "metadata")}
        result = cell.bundle(kind, content.get("data") or {}, content.get("metadata") or {}, extra)
        if result is None:
            return None
        data, metadata = result
        msg["content"] = {**content, "data": data, "metadata": metadata}
        return msg

    def error(
        self, parent: Mapping[str, Any], ename: str, evalue: str, traceback: list[str]
    ) -> tuple[str, str, list[str]]:
        """For ``_showtraceback``: send held output first, then return the filtered error."""
        cell = self._cell(parent)
        self._send_all(cell.flush(), parent)
        return cell.error(ename, evalue, traceback)

    def reply_error(
        self, parent: Mapping[str, Any], ename: str, evalue: str, traceback: list[str]
    ) -> tuple[str, str, list[str]]:
        """The execute_reply's error fields, filtered exactly like the error message was."""
        return self._cell(parent).reply_error(ename, evalue, traceback)

    def finish(self, parent: Mapping[str, Any]) -> dict[str, Any]:
        """End of ``do_execute``: send what is still held, end the execution, return stats."""
        key = parent_key(parent)
        cell = self._cell(parent)
        self._send_all(cell.finish(), parent)
        if key is not None and self.filter.get(key) is cell:
            return self.filter.end(key)
        return cell.stats()
