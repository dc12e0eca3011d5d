"""Kernel operations offered to user code through ``services`` (besides the memory store).

Each takes and returns plain data; results are tokenized by ``KernelServices`` on the way out.
"""

from __future__ import annotations

import os
from typing import Any


def register_kernel_ops(kernel: Any) -> None:
    """Register output.retrieve, output.get and sandbox.status on the kernel's services."""
    from .output.query import parse_output_args

    def output_retrieve(params: dict[str, Any]) -> dict[str, Any]:
        query = parse_output_args(str(params.get("line", "")))
        text = kernel.output_filter.retrieve(query)
        cell = kernel.output_filter.current()
        budget = kernel.output_filter.retrieval_budget(query)
        if cell is not None and budget:
            cell.set_budget(budget)  # the retrieving cell may print more than a normal one
        return {"text": text}

    def output_get(params: dict[str, Any]) -> str:
        return kernel.output_filter.output(params.get("n"), params.get("start"), params.get("end"))

    def sandbox_status(params: dict[str, Any]) -> dict[str, Any]:
        return sandbox_report(kernel)

    kernel.services.register("output.retrieve", output_retrieve)
    kernel.services.register("output.get", output_get)
    kernel.services.register("sandbox.status", sandbox_status)
    register_procedure_file_ops(kernel.services, kernel.settings)


def procedure_files_root(settings: Any) -> str:
    """Where %procedure export/import may work: the setting, else a dedicated directory.

    Not the notebook's directory by default: an exported file is agent-written code, and a
    project tree is where tools pick up files such as conftest.py or sitecustomize.py.
    """
    configured = getattr(settings, "procedure_files_root", "")
    if configured:
        return os.path.abspath(os.path.expanduser(configured))
    from jupyter_core.paths import jupyter_data_dir

    root = os.path.join(jupyter_data_dir(), "athena", "procedures")
    os.makedirs(root, exist_ok=True)
    return root


def register_procedure_file_ops(services: Any, settings: Any) -> None:
    """``procedures.export`` / ``procedures.import``: files, inside procedure_files_root only."""
    root = procedure_files_root(settings)

    def export(params: dict[str, Any]) -> list[str]:
        from .procedures.files import export_procedures

        names = params.get("names")
        return export_procedures(services.store, names, str(params["directory"]), root)

    def import_(params: dict[str, Any]) -> list[dict[str, Any]]:
        from .procedures.files import read_procedure_files

        return read_procedure_files(str(params["directory"]), root)

    services.register("procedures.export", export)
    services.register("procedures.import", import_)


def sandbox_report(kernel: Any) -> dict[str, Any]:
    """What protects this kernel's cells right now: isolation mode, OS layers, limits."""
    settings = kernel.settings
    report: dict[str, Any] = {
        "profile": settings.profile,
        "isolation": settings.isolation,
        "kernel_pid": os.getpid(),
        "cell_timeout_s": settings.cell_timeout,
        "memory_limit_mb": settings.memory_limit_mb,
        "max_output_chars": settings.max_output_chars,
        "tokenize_pii": settings.tokenize_pii,
        "python_layers": [
            "AST policy (imports, names, dunder/private attributes, magics)",
            "RestrictedPython transform with guarded getattr/getitem/write/iter/print",
            "guarded builtins and curated module proxies",
            "in-cell limits (integer size, recursion, repetition, memory)",
        ],
    }
    worker = getattr(kernel, "worker", None)
    if worker is not None:
        from .isolation import ConfinementReport
        from .worker.handle import unsafe_test_hook_enabled

        if unsafe_test_hook_enabled():
            report["warning"] = "TEST HOOK ACTIVE: cells can call unsafe_exec() in the worker"

        if worker.process is None:
            kernel._ensure_worker()
        if not worker.report:
            try:
                worker.wait_ready()
            except Exception as exc:
                report["confinement_text"] = f"the sandbox worker is not ready: {exc}"
        report["worker_pid"] = worker.process.pid if worker.process is not None else None
        report["worker_since_cell"] = worker.first_cell
        report["confinement"] = worker.report
        if worker.report:
            report["confinement_text"] = ConfinementReport.from_dict(worker.report).render()
    else:
        report["confinement"] = {
            "note": "isolation = 'inprocess': user code runs inside the kernel process; no "
            "operating-system layers apply (set AthenaSettings.isolation = 'process')"
        }
    return report
