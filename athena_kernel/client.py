"""A small agent-side client: start a kernel with jupyter_client, run cells, get compact results.

Example::

    from athena_kernel.client import AthenaClient
    with AthenaClient("athena") as kernel:
        cell = kernel.run("memory.remember('the build is green')")
        print(cell.text())
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from queue import Empty
from typing import Any

from jupyter_client.manager import KernelManager

_ANSI = None


def _strip_ansi(text: str) -> str:
    global _ANSI
    if _ANSI is None:
        import re

        _ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
    return _ANSI.sub("", text)


@dataclass
class CellResult:
    """Everything one ``execute_request`` produced, as seen by the client."""

    status: str
    execution_count: int | None
    stdout: str = ""
    stderr: str = ""
    result: dict[str, Any] | None = None  #: execute_result MIME bundle
    displays: list[dict[str, Any]] = field(default_factory=list)  #: display_data bundles
    error: dict[str, Any] | None = None  #: ename, evalue, traceback
    reply: dict[str, Any] = field(default_factory=dict)  #: execute_reply content
    reply_metadata: dict[str, Any] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)  #: raw iopub messages
    bytes_received: int = 0  #: JSON bytes of every iopub content and the reply content
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the cell ran without error."""
        return self.status == "ok"

    @property
    def value(self) -> str | None:
        """The ``text/plain`` of the cell's last-expression result, if any."""
        return None if self.result is None else self.result.get("text/plain")

    def text(self) -> str:
        """All output as compact plain text (what an agent would read)."""
        parts = []
        if self.stdout:
            parts.append(self.stdout.rstrip("\n"))
        if self.stderr:
            parts.append("[stderr] " + self.stderr.rstrip("\n"))
        for bundle in self.displays:
            parts.append(str(bundle.get("text/plain", sorted(bundle))))
        if self.result is not None:
            parts.append(str(self.result.get("text/plain", sorted(self.result))))
        if self.error is not None:
            tb = "\n".join(_strip_ansi(line) for line in self.error.get("traceback", []))
            parts.append(tb or f"{self.error.get('ename')}: {self.error.get('evalue')}")
        return "\n".join(parts)


class AthenaClient:
    """Start a kernel from an installed kernelspec and run cells against it."""

    def __init__(
        self,
        kernel_name: str = "athena",
        *,
        env: dict[str, str] | None = None,
        startup_timeout: float = 60.0,
    ) -> None:
        self.kernel_name = kernel_name
        self.env = env
        self.startup_timeout = startup_timeout
        self.km: KernelManager | None = None
        self.kc: Any = None

    # ------------------------------------------------------------------ life cycle
    def start(self) -> AthenaClient:
        """Start the kernel and wait until it answers ``kernel_info``."""
        self.km = KernelManager(kernel_name=self.kernel_name)
        kwargs: dict[str, Any] = {}
        if self.env is not None:
            import os

            kwargs["env"] = {**os.environ, **self.env}
        self.km.start_kernel(**kwargs)
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=self.startup_timeout)
        except RuntimeError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Shut the kernel down."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            self.km.shutdown_kernel(now=False)
            self.km = None

    def restart(self) -> None:
        """Restart the kernel (user variables are lost; the memory store is not)."""
        assert self.km is not None, "kernel not started"
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=self.startup_timeout)

    def interrupt(self) -> None:
        """Interrupt the running cell (SIGINT, as JupyterLab's stop button)."""
        assert self.km is not None, "kernel not started"
        self.km.interrupt_kernel()

    def __enter__(self) -> AthenaClient:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ requests
    def send_execute(
        self,
        code: str,
        *,
        metadata: dict[str, Any] | None = None,
        silent: bool = False,
        store_history: bool = True,
        user_expressions: dict[str, str] | None = None,
        stop_on_error: bool = True,
    ) -> str:
        """Send an ``execute_request`` (with request metadata) and return its msg_id."""
        content = {
            "code": code,
            "silent": silent,
            "store_history": store_history,
            "user_expressions": user_expressions or {},
            "allow_stdin": False,
            "stop_on_error": stop_on_error,
        }
        # KernelClient.execute() cannot send request metadata; build the message ourselves.
        msg = self.kc.session.msg("execute_request", content, metadata=metadata or {})
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def collect(self, msg_id: str, *, timeout: float = 60.0) -> CellResult:
        """Gather iopub output and the shell reply of request ``msg_id``."""
        deadline = time.monotonic() + timeout
        cell = CellResult(status="unknown", execution_count=None)
        idle = False
        while not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no idle status for {msg_id} within {timeout} s")
            try:
                msg = self.kc.get_iopub_msg(timeout=remaining)
            except Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            mtype, content = msg["msg_type"], msg["content"]
            if mtype == "status":
                idle = content["execution_state"] == "idle"
                continue
            cell.messages.append(msg)
            cell.bytes_received += len(json.dumps(content))
            if mtype == "stream":
                if content["name"] == "stdout":
                    cell.stdout += content["text"]
                else:
                    cell.stderr += content["text"]
            elif mtype == "execute_result":
                cell.result = content["data"]
                cell.execution_count = content.get("execution_count")
            elif mtype == "display_data":
                cell.displays.append(content["data"])
            elif mtype == "error":
                cell.error = content
        while True:
            remaining = max(deadline - time.monotonic(), 0.1)
            reply = self.kc.get_shell_msg(timeout=remaining)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        cell.reply = reply["content"]
        cell.reply_metadata = reply.get("metadata", {})
        cell.bytes_received += len(json.dumps(reply["content"]))
        cell.status = reply["content"]["status"]
        cell.execution_count = reply["content"].get("execution_count", cell.execution_count)
        if cell.error is None and cell.status == "error":
            cell.error = {k: reply["content"].get(k) for k in ("ename", "evalue", "traceback")}
        return cell

    def run(
        self,
        code: str,
        *,
        timeout: float = 60.0,
        max_output_chars: int | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> CellResult:
        """Execute ``code`` and return its :class:`CellResult`.

        ``max_output_chars`` sets this request's output budget
        (``{"athena": {"max_output_chars": N}}`` in the request metadata).
        """
        meta = dict(metadata or {})
        if max_output_chars is not None:
            meta.setdefault("athena", {})["max_output_chars"] = max_output_chars
        start = time.perf_counter()
        msg_id = self.send_execute(code, metadata=meta, **kwargs)
        cell = self.collect(msg_id, timeout=timeout)
        cell.seconds = time.perf_counter() - start
        return cell

    def complete(self, code: str, cursor_pos: int | None = None) -> dict[str, Any]:
        """``complete_request``; returns the reply content (matches, cursor_start, ...)."""
        msg_id = self.kc.complete(code, cursor_pos)
        return self._shell_reply(msg_id)["content"]

    def inspect(self, code: str, cursor_pos: int | None = None, detail: int = 0) -> dict[str, Any]:
        """``inspect_request``; returns the reply content."""
        msg_id = self.kc.inspect(code, cursor_pos, detail)
        return self._shell_reply(msg_id)["content"]

    def kernel_info(self) -> dict[str, Any]:
        """``kernel_info_request``; returns the reply content."""
        msg_id = self.kc.kernel_info()
        return self._shell_reply(msg_id)["content"]

    def _shell_reply(self, msg_id: str, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.1))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply
