"""AthenaKernel: IPythonKernel with ``memory`` bound and every cell run through the pipeline.

validate -> execute sandboxed (in this process, or in a confined worker process) -> filter
output -> tokenize PII. See docs/architecture.md.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from ipykernel.ipkernel import IPythonKernel
from ipykernel.zmqshell import ZMQInteractiveShell
from traitlets import Type

from . import __version__
from .cell_timer import CellTimeoutError, CellTimer
from .config import AthenaSettings


class AthenaShell(ZMQInteractiveShell):
    """The kernel's shell: tracebacks go through Athena's output filter before anyone sees them."""

    #: set by the kernel: ``(parent, ename, evalue, stb) -> (ename, evalue, stb)``
    error_filter: Any = None

    def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
        if self.error_filter is None:
            return super()._showtraceback(etype, evalue, stb)
        sys.stdout.flush()  # held stream output goes out before the error
        sys.stderr.flush()
        dh = self.displayhook
        ename, evalue_text, stb = self.error_filter(
            dh.parent_header, etype.__name__, str(evalue), stb
        )
        if getattr(dh, "msg", None) is not None:
            self._last_traceback_during_displayhook = True
        topic = dh.topic.replace(b"execute_result", b"error") if dh.topic else None
        content = {"traceback": stb, "ename": ename, "evalue": evalue_text}
        dh.session.send(dh.pub_socket, "error", content, dh.parent_header, ident=topic)
        # the execute_reply (and ipykernel's log line) use this: already filtered
        self._last_traceback = stb
        return None


class AthenaKernel(IPythonKernel):
    """The Athena kernel (see docs/architecture.md)."""

    implementation = "athena_kernel"
    implementation_version = __version__
    banner = (
        f"Athena Kernel {__version__} — Python with a pre-bound `memory` API.\n"
        "Type %apis to discover the API, %procedure to manage saved procedures."
    )
    shell_class = Type(AthenaShell)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = AthenaSettings(parent=self)
        self.log.info(
            "Athena kernel %s: profile=%s isolation=%s store=%s",
            __version__,
            self.settings.profile,
            self.settings.isolation,
            self.settings.resolved_store_path(),
        )
        self._pending_finish: dict[str, dict[str, Any]] = {}
        self._last_error: BaseException | None = None
        self._setup_privacy()
        self._setup_services()
        self._setup_output()
        self.engine: Any = None
        self.worker: Any = None
        if self.settings.isolation == "process":
            from .worker.handle import WorkerHandle

            # spawned once the kernel serves requests (see start()): start-up stays fast, and
            # the worker warms up while the client is still connecting
            self.worker = WorkerHandle(self.settings, log=self.log)
        else:
            from .bindings import bind_engine

            self.engine = bind_engine(self.shell, self.settings, self.services, sandboxed=True)
            self.shell.events.register("post_run_cell", self._after_cell_inprocess)
        _stop_raw_fd_echo()

    # ------------------------------------------------------------------ set-up
    def _setup_privacy(self) -> None:
        self._vault: Any = None  # created on first use: its detectors cost ~40 ms to load

    @property
    def vault(self) -> Any:
        """The PII vault (None when tokenization is off). Lives in this process only."""
        if self._vault is None and self.settings.tokenize_pii:
            from .privacy import Vault

            self._vault = Vault.from_settings(self.settings)
        return self._vault

    def _tokenize_text(self, text: str) -> str:
        vault = self.vault
        return vault.tokenize(text) if vault is not None else text

    def _setup_services(self) -> None:
        from .kernel_ops import register_kernel_ops
        from .memory import open_backend
        from .services import KernelServices

        store = open_backend(self.settings.resolved_store_path())
        vault = (lambda: self.vault) if self.settings.tokenize_pii else None
        self.services = KernelServices(store, vault=vault, warn=self._warn_user)
        register_kernel_ops(self)

    def _setup_output(self) -> None:
        from .output import OutputFilter
        from .output.formatter import install_summary_formatter
        from .output.iopub_hooks import IOPubHooks

        transform = self._tokenize_text if self.settings.tokenize_pii else None
        self.output_filter = OutputFilter.from_settings(self.settings, text_transform=transform)
        self.hooks = IOPubHooks(self.output_filter, send=self._send_piece)

        def register_stream_hooks() -> None:
            for stream in (sys.stdout, sys.stderr):
                register = getattr(stream, "register_hook", None)
                if register is not None:
                    register(self.hooks.stream_hook)

        # stream hooks are per-thread and must live on the IOPub thread, or they never fire
        self.iopub_thread.schedule(register_stream_hooks)
        self.shell.display_pub.register_hook(self.hooks.display_hook)
        self.shell.displayhook.register_hook(self.hooks.display_hook)
        self.shell.error_filter = self.hooks.error
        install_summary_formatter(
            self.shell, self.output_filter.value_budget, self.output_filter.note_value_summarized
        )

    def start(self) -> None:
        super().start()
        if self.worker is not None and self.worker.process is None:
            # after the first replies go out; the main thread owns the worker (it must: the
            # worker dies with the thread that spawned it)
            self.io_loop.call_later(0.2, self._ensure_worker)

    def _ensure_worker(self) -> None:
        if self.worker is not None and self.worker.process is None:
            self._start_worker()

    def _start_worker(self) -> None:
        self.worker.start(next_cell=self.execution_count + 1)

    def _send_piece(self, piece: Any, parent: Any) -> None:
        self.session.send(self.iopub_socket, piece.msg_type, piece.content, parent=parent)

    def _publish(self, msg_type: str, content: dict[str, Any], parent: Any) -> None:
        """Send a message built from worker output through the same hooks as local output."""
        msg = self.session.msg(msg_type, content, parent=parent)
        hook = self.hooks.stream_hook if msg_type == "stream" else self.hooks.display_hook
        filtered = hook(msg)
        if filtered is not None:
            self.session.send(self.iopub_socket, filtered)

    def _warn_user(self, text: str) -> None:
        print(text, file=sys.stderr)

    def _tokenize(self, data: Any) -> Any:
        vault = self.vault
        return vault.tokenize_data(data) if vault is not None else data

    # ------------------------------------------------------------------ execution
    async def do_execute(  # type: ignore[override]
        self,
        code: str,
        silent: bool,
        store_history: bool = True,
        user_expressions: dict[str, Any] | None = None,
        allow_stdin: bool = False,
        *,
        cell_meta: dict[str, Any] | None = None,
        cell_id: str | None = None,
    ) -> dict[str, Any]:
        parent = self.get_parent("shell").get("header", {})
        count = self.execution_count
        self.hooks.begin(parent, None if silent else count, cell_meta)
        if self.worker is not None:
            self._ensure_worker()
            reply, rule = self._execute_in_worker(
                code, parent, count, silent, store_history, user_expressions or {}
            )
        else:
            self._last_error = None
            with CellTimer(self.settings.cell_timeout) as timer:
                reply = await super().do_execute(
                    code,
                    silent,
                    store_history=store_history,
                    user_expressions=user_expressions,
                    allow_stdin=allow_stdin,
                    cell_meta=cell_meta,
                    cell_id=cell_id,
                )
            rule = "limit.timeout" if timer.fired else self.engine.rule_for(self._last_error)
        if reply.get("status") == "error":
            reply["ename"], reply["evalue"], reply["traceback"] = self.hooks.reply_error(
                parent, reply.get("ename", ""), reply.get("evalue", ""), reply.get("traceback", [])
            )
        for key in ("user_expressions", "payload"):
            if reply.get(key):
                reply[key] = self._tokenize(reply[key])
        if parent.get("msg_id"):
            # the filter's figures are taken in finish_metadata: ipykernel flushes stdout and
            # stderr between do_execute and it, so the filter has seen every byte by then
            self._pending_finish[parent["msg_id"]] = {"parent": parent, "rule": rule}
        if rule:
            self._audit(rule, count, reply)
        return reply

    def _after_cell_inprocess(self, result: Any) -> None:
        self._last_error = result.error_before_exec or result.error_in_exec

    def _execute_in_worker(
        self,
        code: str,
        parent: dict[str, Any],
        count: int,
        silent: bool,
        store_history: bool,
        user_expressions: dict[str, Any],
    ) -> tuple[dict[str, Any], str | None]:
        from .worker.handle import CellEvents, WorkerDied, WorkerError

        def on_error(msg: dict[str, Any]) -> None:
            ename, evalue, tb = self.hooks.error(
                parent,
                str(msg.get("ename", "")),
                str(msg.get("evalue", "")),
                [str(line) for line in msg.get("traceback", [])],
            )
            self.session.send(
                self.iopub_socket,
                "error",
                {"ename": ename, "evalue": evalue, "traceback": tb},
                parent=parent,
            )

        def on_display(msg: dict[str, Any]) -> None:
            content = {
                "data": msg["data"],
                "metadata": msg.get("metadata") or {},
                "transient": msg.get("transient") or {},
            }
            self._publish(
                "update_display_data" if msg.get("update") else "display_data", content, parent
            )

        result_text: list[str] = []

        def on_result(msg: dict[str, Any]) -> None:
            data = msg["data"]
            if isinstance(data.get("text/plain"), str):
                result_text.append(data["text/plain"])
            self._publish(
                "execute_result",
                {"execution_count": count, "data": data, "metadata": msg.get("metadata") or {}},
                parent,
            )

        events = CellEvents(
            stream=lambda name, text: self._publish("stream", {"name": name, "text": text}, parent),
            display=on_display,
            result=on_result,
            error=on_error,
            clear_output=lambda wait: self._publish("clear_output", {"wait": wait}, parent),
            call=self.services.call,
        )
        if store_history and not silent:
            self.shell.history_manager.store_inputs(count, code, code)
        previous = signal.signal(signal.SIGINT, lambda signum, frame: self.worker.interrupt())
        rule: str | None = None
        try:
            done = self.worker.execute(
                code,
                execution_count=count,
                silent=silent,
                store_history=store_history,
                user_expressions=user_expressions,
                events=events,
                timeout=self.settings.cell_timeout,
                grace=self.settings.interrupt_grace,
                value_budget=self.output_filter.value_budget(),
            )
            rule = done.get("rule") if isinstance(done.get("rule"), str) else None
            summarized = done.get("values_summarized")
            for _ in range(summarized if isinstance(summarized, int) else 0):
                self.output_filter.note_value_summarized()
            reply: dict[str, Any] = {
                "status": "ok" if done.get("status") == "ok" else "error",
                "execution_count": count,
                "user_expressions": done.get("user_expressions") or {},
                "payload": done.get("payload") or [],
            }
            if reply["status"] == "error":
                reply.update(
                    ename=str(done.get("ename", "")),
                    evalue=str(done.get("evalue", "")),
                    traceback=[str(x) for x in done.get("traceback", [])],
                )
        except (WorkerDied, WorkerError) as died:
            reply, rule = self._worker_lost(died, parent, count)
        finally:
            signal.signal(signal.SIGINT, previous)
        if store_history and not silent:
            if result_text:
                self.shell.history_manager.output_hist_reprs[count] = result_text[-1]
            self.shell.execution_count = count + 1
        return reply, rule

    def _worker_lost(
        self, died: Exception, parent: dict[str, Any], count: int
    ) -> tuple[dict[str, Any], str]:
        """Report a worker that died during the cell, and start a fresh one."""
        kind = getattr(died, "kind", "crash")
        lost = self.worker.first_cell
        names = {
            "timeout": ("CellTimeoutError", "limit.timeout"),
            "memory": ("MemoryLimitError", "limit.memory"),
            "cpu": ("CPULimitError", "limit.cpu"),
            "protocol": ("SandboxProtocolError", "sandbox.protocol"),
        }
        ename, rule = names.get(kind, ("WorkerCrashedError", "sandbox.crash"))
        if kind == "memory":
            message = f"the cell exceeded its {self.settings.memory_limit_mb} MB memory limit"
        else:
            message = str(died)
        evalue = (
            f"{message}; the worker was restarted and variables defined since cell [{lost}] "
            "are lost (memory is intact)"
        )
        self._start_worker()
        fe, fv, tb = self.hooks.error(parent, ename, evalue, [f"{ename}: {evalue}"])
        self.session.send(
            self.iopub_socket, "error", {"ename": fe, "evalue": fv, "traceback": tb}, parent=parent
        )
        reply = {
            "status": "error",
            "execution_count": count,
            "ename": ename,
            "evalue": evalue,
            "traceback": [f"{ename}: {evalue}"],
            "user_expressions": {},
            "payload": [],
        }
        return reply, rule

    def _audit(self, rule: str, count: int, reply: dict[str, Any]) -> None:
        """Record a rejection or limit hit as an episodic event (queryable audit trail)."""
        if not self.settings.audit_events:
            return
        kind = "sandbox.limit" if rule.startswith("limit.") else "sandbox.rejected"
        try:
            self.services.audit(
                kind,
                f"cell [{count}] {rule}: {reply.get('evalue', '')}"[:2000],
                {"rule": rule, "execution_count": count},
            )
        except Exception as exc:  # auditing must never break the cell's reply
            self.log.warning("could not record sandbox event %s: %s", rule, exc)

    def finish_metadata(self, parent: Any, metadata: Any, reply_content: Any) -> Any:
        """End the cell's output (send what the filter still holds) and put its figures in the
        reply's metadata. Runs after ipykernel's own flush of stdout and stderr."""
        metadata = super().finish_metadata(parent, metadata, reply_content)
        pending = self._pending_finish.pop(parent.get("header", {}).get("msg_id"), None)
        if pending is not None:
            stats = self.hooks.finish(pending["parent"])
            rule = pending["rule"]
            metadata["athena"] = {"output": stats, **({"rule": rule} if rule else {})}
        return metadata

    def _publish_execute_input(self, code: str, parent: Any, execution_count: int) -> None:
        # the rebroadcast input reaches every client on iopub: tokenized like any output
        super()._publish_execute_input(self._tokenize(code), parent, execution_count)

    # ------------------------------------------------------------------ other replies
    def do_inspect(self, code: str, cursor_pos: int, detail_level: int = 0, omit_sections=()):  # type: ignore[override]
        if self.worker is not None:
            self._ensure_worker()
            try:
                reply = self.worker.inspect(code, cursor_pos, detail_level)
            except Exception:
                reply = {"status": "ok", "data": {}, "metadata": {}, "found": False}
        else:
            reply = super().do_inspect(code, cursor_pos, detail_level, omit_sections)
        reply["data"] = self._tokenize(reply.get("data", {}))
        return reply

    def do_complete(self, code: str, cursor_pos: int) -> dict[str, Any]:  # type: ignore[override]
        if self.worker is not None:
            self._ensure_worker()
            try:
                reply = self.worker.complete(code, cursor_pos)
            except Exception:
                pos = len(code) if cursor_pos is None else cursor_pos
                reply = {
                    "matches": [],
                    "cursor_start": pos,
                    "cursor_end": pos,
                    "metadata": {},
                    "status": "ok",
                }
        else:
            reply = super().do_complete(code, cursor_pos)
        reply["matches"] = self._tokenize(reply.get("matches", []))
        if reply.get("metadata"):
            reply["metadata"] = self._tokenize(reply["metadata"])
        return reply

    def do_history(self, *args: Any, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        reply = super().do_history(*args, **kwargs)
        # IPython numbers the current session 0 in range queries but by its real number in tail
        # and search; the messaging spec wants the real number everywhere.
        current = self.shell.history_manager.session_number
        history = [(entry[0] or current, *entry[1:]) for entry in reply.get("history", [])]
        reply["history"] = self._tokenize(history)
        return reply

    async def do_debug_request(self, msg: Any) -> dict[str, Any]:  # type: ignore[override]
        # The debugger evaluates arbitrary expressions in the kernel, past the sandbox.
        return {
            "type": "response",
            "request_seq": msg.get("seq", 0),
            "success": False,
            "command": msg.get("command", ""),
            "message": "debugging is disabled in Athena kernels (it would bypass the sandbox)",
        }

    def do_apply(self, content: Any, bufs: Any, msg_id: str, reply_metadata: Any) -> Any:  # type: ignore[override]
        # apply_request unpickles and runs functions: never in an Athena kernel.
        return (
            {
                "status": "error",
                "ename": "NotImplementedError",
                "evalue": "apply_request is disabled in Athena kernels",
                "traceback": [],
            },
            [],
        )

    # ------------------------------------------------------------------ protocol
    @property
    def kernel_info(self) -> dict[str, Any]:  # type: ignore[override]
        info = dict(super().kernel_info)
        info["implementation"] = self.implementation
        info["implementation_version"] = self.implementation_version
        info["debugger"] = False
        return info

    def do_shutdown(self, restart: bool) -> dict[str, Any]:  # type: ignore[override]
        if self.worker is not None:
            self.worker.shutdown()
        self.services.close()
        return super().do_shutdown(restart)


def _stop_raw_fd_echo() -> None:
    """Stop ipykernel echoing raw fd 1/2 writes to the kernel's own stdout/stderr (its log).

    Output written straight to the file descriptors (C extensions) is still captured and sent
    through the filter; only the unfiltered copy to the log is dropped.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "_original_stdstream_copy", None) is not None:
            stream._original_stdstream_copy = devnull


__all__ = ["AthenaKernel", "AthenaShell", "CellTimeoutError"]
