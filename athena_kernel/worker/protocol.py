"""Messages between the kernel and its sandbox worker (plain JSON over ``athena_kernel.wire``).

kernel -> worker
    ``execute``  {id, code, silent, store_history, user_expressions, execution_count}
    ``complete`` {id, code, cursor_pos}          ``inspect`` {id, code, cursor_pos, detail_level}
    ``reply``    {id, result} | {id, error: {type, message}}   (answer to a worker ``call``)
    ``shutdown`` {}
worker -> kernel
    ``ready``    {pid, report}                   (after warm-up and confinement)
    ``stream``   {name, text}                    ``display`` {data, metadata, transient, update}
    ``clear_output`` {wait}                      ``result``  {execution_count, data, metadata}
    ``error``    {ename, evalue, traceback}      ``call``    {id, op, params}
    ``done``     {id, status, execution_count, ename?, evalue?, traceback?, user_expressions,
                  payload, rule?}
    ``complete_reply`` / ``inspect_reply`` {id, content}

Interrupts travel as signals (SIGINT: the user's interrupt; SIGUSR1: the cell's time limit), not
as messages: a busy worker cannot read its socket.
"""

from __future__ import annotations

from typing import Any

#: Cap of one message in either direction (a display bundle or a memory result).
MAX_MESSAGE_BYTES = 64 * 1024 * 1024

#: Exception types a kernel-side failure may come back as in the worker (anything else is
#: raised as :class:`KernelCallError`). Names only: the worker re-creates them from builtins
#: and the memory error hierarchy, never from data the kernel sends.
PORTABLE_ERRORS = (
    "ValueError",
    "TypeError",
    "KeyError",
    "LookupError",
    "PermissionError",
    "FileNotFoundError",
    "NotADirectoryError",
    "TimeoutError",
    "RuntimeError",
)


class KernelCallError(RuntimeError):
    """A call to the trusted kernel failed with an error that has no equivalent here."""


def error_payload(exc: BaseException) -> dict[str, Any]:
    """Describe an exception as plain data (its class name, module and message)."""
    cls = type(exc)
    return {"type": cls.__name__, "module": cls.__module__, "message": str(exc)}


def rebuild_error(payload: dict[str, Any]) -> BaseException:
    """Turn :func:`error_payload` data back into an exception of a known, safe class."""
    name = str(payload.get("type", ""))
    module = str(payload.get("module", ""))
    message = str(payload.get("message", ""))
    if module.startswith("athena_kernel.memory"):
        from ..memory import errors as memory_errors

        cls = getattr(memory_errors, name, None)
        if isinstance(cls, type) and issubclass(cls, Exception):
            return cls(message)
    if name == "UsageError":
        from IPython.core.error import UsageError

        return UsageError(message)
    if name in PORTABLE_ERRORS:
        import builtins

        return getattr(builtins, name)(message)
    return KernelCallError(f"{name}: {message}")
