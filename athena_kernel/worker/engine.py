"""The execution engine in the worker: a sandboxed IPython shell answering kernel requests."""

from __future__ import annotations

import signal
import sys
from typing import Any

from ..cell_timer import CellTimeoutError, timeout_message
from ..config import AthenaSettings
from .channel import ChannelServices, WorkerChannel
from .shell import ChannelDisplayHook, ChannelDisplayPublisher, ChannelStream, WorkerShell

#: Cells run during warm-up, before confinement: they make IPython import what it imports
#: lazily (tracebacks, displays, magics, completion, inspection), while files are still readable.
WARM_UP_CELLS = (
    "1 + 1",
    "print('warm')",
    "x = [i for i in range(10)]\nx",
    "1 / 0",
    "undefined_name",
    "def f(a, b=2):\n    '''doc'''\n    return a + b\nf(1)",
    "%time y = 1",
    "display({'text/plain': 'd', 'text/html': '<b>d</b>'}, raw=True)",
    "from IPython.display import HTML, Markdown, clear_output\nclear_output()",
    "'é'.encode('latin-1'); 'x'.encode('utf-16'); 'x'.encode('cp1252'); b'x'.decode('ascii')",
    "import json, re, math, datetime, collections, itertools, statistics, random",
    "%reset -f",
)


class WorkerEngine:
    """Owns the worker's shell and serves the kernel's requests until ``shutdown``."""

    def __init__(
        self, channel: WorkerChannel, settings: AthenaSettings, *, unsafe_test_hook: bool = False
    ) -> None:
        self.channel = channel
        self.settings = settings
        self.unsafe_test_hook = unsafe_test_hook
        self._executing = False
        self.services = ChannelServices(channel)
        self.timeout_seconds = float(settings.cell_timeout or 0)
        self.shell = self._make_shell()
        self.sandbox: Any = None
        self._install()

    # ------------------------------------------------------------------ set-up
    def _make_shell(self) -> WorkerShell:
        from traitlets.config import Config

        config = Config()
        config.HistoryManager.enabled = False  # no history thread, no sqlite file: kernel keeps it
        config.InteractiveShell.colors = "neutral"
        config.InteractiveShell.autocall = 0
        config.Completer.use_jedi = False  # jedi reads files; the confined worker cannot
        # .instance(): IPython's display(), clear_output() and the pager look the shell up
        shell = WorkerShell.instance(config=config, channel=self.channel)
        ChannelDisplayHook.channel = self.channel
        ChannelDisplayPublisher.channel = self.channel
        shell.displayhook.channel = self.channel
        shell.display_pub.channel = self.channel
        from IPython.core import page

        # `obj?` and the pager go back as execute_reply payloads, as in ipykernel
        shell.set_hook("show_in_pager", page.as_hook(shell.payload_page), 99)
        sys.stdout = ChannelStream(self.channel, "stdout")
        sys.stderr = ChannelStream(self.channel, "stderr")
        return shell

    def _install(self) -> None:
        from ..bindings import bind_engine
        from ..output.formatter import install_summary_formatter

        extra = {"unsafe_exec": unsafe_exec} if self.unsafe_test_hook else None
        self.bindings = bind_engine(
            self.shell, self.settings, self.services, sandboxed=True, extra_names=extra
        )
        self.sandbox = self.bindings.sandbox
        # big values are summarised here, where the objects are; the kernel sends each cell's
        # budget with the execute request and counts what was summarised from ``done``
        self.value_budget: int | None = self.settings.max_output_chars
        self.values_summarized = 0
        install_summary_formatter(self.shell, lambda: self.value_budget, self._note_summary)

    def _note_summary(self) -> None:
        self.values_summarized += 1

    def warm(self) -> None:
        """Run the warm-up cells with output muted (before the worker is confined)."""
        self.channel.muted = True
        try:
            warm_memory_api()
            for code in WARM_UP_CELLS:
                self.shell.run_cell(code, store_history=False, silent=False)
            self.complete({"code": "import ma", "cursor_pos": 9})
            self.complete({"code": "x = [1]\nx.ap", "cursor_pos": 12})
            self.inspect({"code": "len", "cursor_pos": 3, "detail_level": 0})
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            self.channel.muted = False
        self.shell.execution_count = 1

    # ------------------------------------------------------------------ serving
    def serve(self) -> None:
        """Answer requests until ``shutdown`` (or the kernel closes the socket)."""
        signal.signal(signal.SIGINT, self._on_interrupt)
        signal.signal(signal.SIGUSR1, self._on_time_limit)
        while True:
            msg = self.channel.receive()
            kind = msg.get("type")
            if kind == "execute":
                self.execute(msg)
            elif kind == "complete":
                self.channel.send("complete_reply", id=msg.get("id"), content=self.complete(msg))
            elif kind == "inspect":
                self.channel.send("inspect_reply", id=msg.get("id"), content=self.inspect(msg))
            elif kind == "shutdown":
                return

    def _on_interrupt(self, signum: int, frame: Any) -> None:
        if self._executing:  # between cells an interrupt means nothing (as in ipykernel)
            raise KeyboardInterrupt

    def _on_time_limit(self, signum: int, frame: Any) -> None:
        if self._executing:
            raise CellTimeoutError(timeout_message(self.timeout_seconds))

    def execute(self, msg: dict[str, Any]) -> None:
        """Run one cell and send its ``done`` message."""
        shell = self.shell
        count = msg.get("execution_count")
        if isinstance(count, int) and count > 0:
            shell.execution_count = count
        self.timeout_seconds = float(msg.get("timeout", self.timeout_seconds) or 0)
        budget = msg.get("value_budget")
        self.value_budget = budget if isinstance(budget, int) and budget > 0 else None
        self.values_summarized = 0
        shell._last_traceback = None
        self._executing = True
        try:
            result = shell.run_cell(
                msg.get("code", ""),
                store_history=bool(msg.get("store_history", True)),
                silent=bool(msg.get("silent", False)),
            )
        except KeyboardInterrupt as exc:  # interrupted outside user code (between statements)
            from IPython.core.interactiveshell import ExecutionInfo, ExecutionResult

            result = ExecutionResult(ExecutionInfo(msg.get("code", ""), False, False, False, None))
            result.error_in_exec = exc
            shell.showtraceback()
        finally:
            self._executing = False
        sys.stdout.flush()
        sys.stderr.flush()
        done: dict[str, Any] = {
            "id": msg.get("id"),
            "execution_count": shell.execution_count - 1,
            "values_summarized": self.values_summarized,
        }
        error = result.error_before_exec or result.error_in_exec
        if result.success:
            done["status"] = "ok"
            done["user_expressions"] = _jsonable_expressions(
                shell.user_expressions(msg.get("user_expressions") or {})
            )
        else:
            done["status"] = "error"
            done["ename"] = type(error).__name__ if error is not None else "Error"
            done["evalue"] = str(error) if error is not None else ""
            done["traceback"] = list(shell._last_traceback or [])
            done["user_expressions"] = {}
            if isinstance(error, CellTimeoutError):
                done["rule"] = "limit.timeout"
            else:
                done["rule"] = self.bindings.rule_for(error)
        done["payload"] = shell.payload_manager.read_payload()
        shell.payload_manager.clear_payload()
        self.channel.send("done", **done)

    def complete(self, msg: dict[str, Any]) -> dict[str, Any]:
        """Completions of the user's names, as ipykernel's ``complete_reply`` content."""
        from IPython.core.completer import provisionalcompleter, rectify_completions

        code = str(msg.get("code", ""))
        cursor_pos = msg.get("cursor_pos")
        cursor_pos = len(code) if cursor_pos is None else int(cursor_pos)
        try:
            with provisionalcompleter():
                raw = self.shell.Completer.completions(code, cursor_pos)
                completions = list(rectify_completions(code, raw))
        except Exception:
            completions = []
        if completions:
            start, end = completions[0].start, completions[0].end
        else:
            start = end = cursor_pos
        return {
            "matches": [c.text for c in completions],
            "cursor_start": start,
            "cursor_end": end,
            "metadata": {
                "_jupyter_types_experimental": [
                    {
                        "start": c.start,
                        "end": c.end,
                        "text": c.text,
                        "type": c.type,
                        "signature": c.signature,
                    }
                    for c in completions
                ]
            },
            "status": "ok",
        }

    def inspect(self, msg: dict[str, Any]) -> dict[str, Any]:
        """``inspect_reply`` content for the name at the cursor (the user's objects)."""
        from IPython.utils.tokenutil import token_at_cursor

        code = str(msg.get("code", ""))
        cursor_pos = msg.get("cursor_pos")
        cursor_pos = len(code) if cursor_pos is None else int(cursor_pos)
        name = token_at_cursor(code, cursor_pos)
        reply: dict[str, Any] = {"status": "ok", "data": {}, "metadata": {}, "found": False}
        try:
            bundle = self.shell.object_inspect_mime(
                name, detail_level=int(msg.get("detail_level", 0) or 0)
            )
            bundle.pop("text/html", None)
            reply["data"] = _jsonable_bundle(bundle)
            reply["found"] = True
        except Exception:
            pass
        return reply


def unsafe_exec(source: str) -> None:
    """TEST HOOK ONLY (ATHENA_UNSAFE_TEST_HOOK=1): run ``source`` as plain Python in the worker.

    It stands for a complete escape from the Python-level sandbox, so tests can check that the
    operating-system layers alone still hold. Never enabled in normal operation.
    """
    import builtins

    exec(compile(source, "<unsafe_exec>", "exec"), {"__builtins__": builtins})


def warm_memory_api() -> None:
    """Call every public ``memory`` method once, against a backend that answers nothing.

    Input validation and result parsing import modules lazily (pydantic's plugin loader pulls
    in importlib.metadata, error formatting more); after confinement those files are
    unreadable. No store is opened: DuckDB would start threads, and confinement needs one.
    """
    import importlib.metadata  # noqa: F401  (pydantic's plugin loader, on first validation)
    import inspect

    from ..memory import Memory

    class _Silent:
        def call(self, op: str, params: dict[str, Any]) -> Any:
            return None

        def close(self) -> None:
            pass

    memory = Memory(_Silent())
    calls = [
        lambda: memory.remember("warm up", tags=["warm"], metadata={"k": 1}, importance=0.5),
        lambda: memory.remember(""),  # a validation error, formatted
        lambda: memory.recall(
            "warm",
            limit=1,
            tags=["warm"],
            layers=["semantic"],
            since="2024-01-01",
            until="2030-01-01",
        ),
        lambda: memory.get("mem_000000000000"),
        lambda: memory.update("mem_000000000000", content="warmed"),
        lambda: memory.forget("mem_000000000000"),
        lambda: memory.events.record("warm", "warming", outcome="ok", at="2024-01-01T00:00"),
        lambda: memory.events.recent(1),
        lambda: memory.tasks.create("warm", due="2030-01-01", priority="high"),
        lambda: memory.tasks.create("warm", priority="nope"),
        lambda: memory.graph.add_entity("a", "thing"),
        lambda: memory.graph.relate("a", "b", "near"),
        lambda: memory.procedures.save("warm", "def warm(memory):\n    return 1\n"),
        lambda: memory.plans.create("warm", ["one", "two"]),
        lambda: memory.consolidate(dry_run=True),
        lambda: memory.stats(),
    ]
    for call in calls:
        try:
            call()
        except Exception:
            pass
    for obj in (memory, memory.events, memory.tasks, memory.graph, memory.procedures, memory.plans):
        for name, member in inspect.getmembers(type(obj), inspect.isfunction):
            if not name.startswith("_"):
                inspect.signature(member)


def _jsonable_bundle(bundle: dict[str, Any]) -> dict[str, Any]:
    from .shell import _jsonable

    return _jsonable(bundle)


def _jsonable_expressions(values: dict[str, Any]) -> dict[str, Any]:
    from .shell import _jsonable

    return _jsonable(values)
