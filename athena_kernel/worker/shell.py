"""The worker's IPython shell: every output becomes a message to the kernel instead of a write."""

from __future__ import annotations

import io
import sys
import time
from typing import Any

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets import Any as AnyTrait
from traitlets import Type

from .channel import WorkerChannel

#: A stream buffer is sent at this size, or at a newline when this long passed since the last send.
_FLUSH_CHARS = 16_384
_FLUSH_SECONDS = 0.02


class ChannelStream(io.TextIOBase):
    """``sys.stdout``/``sys.stderr`` of the worker: text is batched into ``stream`` messages."""

    def __init__(self, channel: WorkerChannel, name: str) -> None:
        super().__init__()
        self._channel = channel
        self.name = name
        self._parts: list[str] = []
        self._size = 0
        self._last = time.monotonic()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:  # type: ignore[override]
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if not text:
            return 0
        self._parts.append(text)
        self._size += len(text)
        now = time.monotonic()
        if self._size >= _FLUSH_CHARS or ("\n" in text and now - self._last >= _FLUSH_SECONDS):
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._parts:
            text = "".join(self._parts)
            self._parts.clear()
            self._size = 0
            self._last = time.monotonic()
            self._channel.send("stream", name=self.name, text=text)


def flush_streams() -> None:
    """Send whatever the worker's stdout/stderr hold (before any other message)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, ChannelStream):
            stream.flush()


class ChannelDisplayHook(DisplayHook):
    """The last-expression result goes to the kernel as a ``result`` message."""

    channel: WorkerChannel | None = None

    def start_displayhook(self) -> None:
        self._data: dict[str, Any] = {}
        self._metadata: dict[str, Any] = {}

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict: dict[str, Any], md_dict: Any = None) -> None:
        self._data = format_dict
        self._metadata = md_dict or {}

    def finish_displayhook(self) -> None:
        flush_streams()
        if self._data and self.channel is not None:
            self.channel.send(
                "result",
                execution_count=self.prompt_count,
                data=_jsonable(self._data),
                metadata=_jsonable(self._metadata),
            )
        self._data = {}


class ChannelDisplayPublisher(DisplayPublisher):
    """``display()`` and ``clear_output()`` go to the kernel as messages."""

    channel: WorkerChannel | None = None

    def publish(  # type: ignore[override]
        self,
        data: dict[str, Any],
        metadata: dict[str, Any] | None = None,
        source: Any = None,
        *,
        transient: dict[str, Any] | None = None,
        update: bool = False,
        **kwargs: Any,
    ) -> None:
        flush_streams()
        if self.channel is not None:
            self.channel.send(
                "display",
                data=_jsonable(data),
                metadata=_jsonable(metadata or {}),
                transient=_jsonable(transient or {}),
                update=bool(update),
            )

    def clear_output(self, wait: bool = False) -> None:
        flush_streams()
        if self.channel is not None:
            self.channel.send("clear_output", wait=bool(wait))


class WorkerShell(InteractiveShell):
    """An InteractiveShell whose outputs travel to the kernel over the worker's channel."""

    displayhook_class = Type(ChannelDisplayHook)
    display_pub_class = Type(ChannelDisplayPublisher)
    channel = AnyTrait(None, allow_none=True)

    def init_io(self) -> None:  # streams are installed by the engine, not by IPython
        pass

    def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
        flush_streams()
        if self.channel is not None:
            self.channel.send(
                "error", ename=etype.__name__, evalue=str(evalue), traceback=list(stb)
            )
        self._last_traceback = list(stb)

    def payload_page(
        self, text: Any, start: int = 0, screen_lines: int = 0, pager_cmd: Any = None
    ) -> None:
        """Pager output becomes an execute_reply payload (what Jupyter shows in its pager)."""
        data = text if isinstance(text, dict) else {"text/plain": text}
        self.payload_manager.write_payload(
            {"source": "page", "data": _jsonable(data), "start": max(0, start)}
        )

    def ask_exit(self) -> None:  # `exit`/`quit` must not end the worker
        print("exit is not available in an Athena kernel: restart the kernel instead")

    def enable_gui(self, gui: str | None = None) -> None:
        raise RuntimeError("GUI event loops are not available in the sandbox")


def _jsonable(value: Any) -> Any:
    """Bundles are JSON already, except bytes (binary MIME data) which Jupyter base64-encodes."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        import base64

        return base64.b64encode(bytes(value)).decode("ascii")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)
