"""Athena's settings: one traitlets class shared by the kernel, the worker and the extension.

Every setting can be given (lowest to highest precedence) as a profile default, in a Jupyter
config file (``c.AthenaSettings.cell_timeout = 60``), on the kernel's command line or kernelspec
argv (``--AthenaSettings.cell_timeout=60``) or in an environment variable
(``ATHENA_CELL_TIMEOUT=60``).
The environment wins so that a launcher can isolate a kernel (e.g. ``ATHENA_STORE``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from traitlets import Bool, Enum, Float, Int, List, Unicode, default
from traitlets.config import Configurable

PROFILES = ("agent", "human")

#: Modules user code may import, each handed out as a curated proxy (see docs/security.md).
DEFAULT_ALLOWED_MODULES = [
    "math",
    "cmath",
    "statistics",
    "json",
    "re",
    "datetime",
    "time",
    "collections",
    "itertools",
    "functools",
    "operator",
    "random",
    "decimal",
    "fractions",
    "textwrap",
    "string",
    "heapq",
    "bisect",
    "uuid",
    "hashlib",
    "base64",
    "dataclasses",
    "enum",
    "copy",
    "pprint",
    "difflib",
    "unicodedata",
    "csv",
    "zoneinfo",
    "calendar",
    "numbers",
]

#: Magics that run in every profile: Athena's own and harmless timing/introspection helpers.
DEFAULT_ALLOWED_MAGICS = [
    "apis",
    "procedure",
    "output",
    "sandbox",
    "time",
    "timeit",
    "who",
    "whos",
    "who_ls",
    "capture",
    "pinfo",
    "pinfo2",
    "psearch",
    "pdoc",
    "pdef",
    "psource",
    "pfile",
    "lsmagic",
    "magic",
    "precision",
    "xmode",
    "page",
    "history",
    "reset",
    "reset_selective",
]


def _env_name(trait_name: str) -> str:
    aliases = {"store_path": "ATHENA_STORE"}
    return aliases.get(trait_name, "ATHENA_" + trait_name.upper())


class AthenaSettings(Configurable):
    """Settings of an Athena kernel (and of `%load_ext athena_kernel`)."""

    profile = Enum(
        PROFILES,
        default_value="agent",
        help="Output profile. 'agent': tight output budgets, binary outputs summarised, compact "
        "tracebacks, 30 s cell timeout. 'human': rich output and generous budgets for "
        "JupyterLab. Both run the same validation, sandbox and PII pipeline. Env: ATHENA_PROFILE.",
    ).tag(config=True)

    store_path = Unicode(
        "",
        help="Path of the DuckDB memory store. Empty means "
        "<jupyter data dir>/athena/memory.duckdb; ':memory:' gives a throwaway store. "
        "The ATHENA_STORE environment variable wins.",
    ).tag(config=True)

    isolation = Enum(
        ("process", "inprocess"),
        default_value="process",
        help="Where user code runs: 'process' (a restricted worker process with OS limits; the "
        "default) or 'inprocess' (inside the kernel, same validation and RestrictedPython "
        "layer, no OS isolation). Env: ATHENA_ISOLATION.",
    ).tag(config=True)

    cell_timeout = Float(
        30.0,
        help="Wall-clock limit per cell in seconds (0 = none). Default 30 in the agent profile, "
        "600 in the human profile. Env: ATHENA_CELL_TIMEOUT.",
    ).tag(config=True)

    isolation_required_layers = List(
        Unicode(),
        default_value=["clean_start", "no_new_privs", "privilege_drop", "rlimits", "seccomp"],
        help="Confinement layers the worker must apply or refuse to start (the others are "
        "best-effort and reported by %sandbox status). Layers: clean_start, bwrap, "
        "network_namespace, rlimits, privilege_drop, no_new_privs, landlock, seccomp. "
        "Env: ATHENA_ISOLATION_REQUIRED_LAYERS (comma-separated).",
    ).tag(config=True)

    isolation_read_paths = List(
        Unicode(),
        default_value=[],
        help="Extra paths the worker may read after confinement (Landlock). The worker imports "
        "what it needs before it is confined, so none are needed by default. "
        "Env: ATHENA_ISOLATION_READ_PATHS (comma-separated).",
    ).tag(config=True)

    isolation_worker_uid = Int(
        65534,
        help="Unprivileged uid (and gid) the worker drops to when the kernel runs as root. "
        "Env: ATHENA_ISOLATION_WORKER_UID.",
    ).tag(config=True)

    isolation_file_size_mb = Int(
        64,
        help="Largest file the worker may write in its scratch directory (RLIMIT_FSIZE), MiB. "
        "Env: ATHENA_ISOLATION_FILE_SIZE_MB.",
    ).tag(config=True)

    isolation_use_bwrap = Enum(
        ("auto", "always", "never"),
        default_value="auto",
        help="Run the worker under bubblewrap: 'auto' when bwrap is installed, 'always' "
        "(refuse to start without it) or 'never'. Env: ATHENA_ISOLATION_USE_BWRAP.",
    ).tag(config=True)

    interrupt_grace = Float(
        2.0,
        help="Seconds a timed-out or interrupted cell gets to stop before its worker is killed "
        "and restarted. Env: ATHENA_INTERRUPT_GRACE.",
    ).tag(config=True)

    memory_limit_mb = Int(
        512,
        help="Memory limit of user code in MiB (address space of the worker in process mode, "
        "tracked allocations in-process). Default 512 (agent) / 2048 (human). "
        "Env: ATHENA_MEMORY_LIMIT_MB.",
    ).tag(config=True)

    cpu_limit_seconds = Int(
        0,
        help="CPU-seconds limit of the worker process (RLIMIT_CPU, cumulative; 0 = none). The "
        "per-cell wall-clock limit is cell_timeout. Env: ATHENA_CPU_LIMIT_SECONDS.",
    ).tag(config=True)

    max_recursion_depth = Int(
        500,
        help="Recursion limit for user code. Env: ATHENA_MAX_RECURSION_DEPTH.",
    ).tag(config=True)

    max_int_digits = Int(
        4300,
        help="Largest integer (in decimal digits) user code may build with ** or <<; bigger "
        "constant expressions are rejected before they run. Env: ATHENA_MAX_INT_DIGITS.",
    ).tag(config=True)

    max_cell_chars = Int(
        500_000,
        help="A cell longer than this (characters) is rejected before it is parsed. "
        "Env: ATHENA_MAX_CELL_CHARS.",
    ).tag(config=True)

    max_cell_lines = Int(
        5000,
        help="A cell with more lines is rejected before it is parsed. Env: ATHENA_MAX_CELL_LINES.",
    ).tag(config=True)

    max_cell_output_chars = Int(
        10_000_000,
        help="Hard ceiling on characters one cell may print (behind the output budget, which "
        "keeps the full text retrievable): beyond it printing raises an error. "
        "Env: ATHENA_MAX_CELL_OUTPUT_CHARS.",
    ).tag(config=True)

    max_output_chars = Int(
        2000,
        help="Per-cell output budget in characters of text across all outputs. Default 2000 "
        "(agent) / 100000 (human). A request may override it with metadata "
        '{"athena": {"max_output_chars": N}}. Env: ATHENA_MAX_OUTPUT_CHARS.',
    ).tag(config=True)

    output_retention_chars = Int(
        20_000_000,
        help="Total characters of full (unfiltered) outputs kept for %output / _output(); oldest "
        "are dropped first. Env: ATHENA_OUTPUT_RETENTION_CHARS.",
    ).tag(config=True)

    output_retrieval_chars = Int(
        16_000,
        help="Budget for printing retrieved full output (%output N, _output(N)); "
        "%output --max-chars overrides it; 0 = unlimited. Default 16000 (agent) / 800000 "
        "(human). Env: ATHENA_OUTPUT_RETRIEVAL_CHARS.",
    ).tag(config=True)

    summarize_binary_outputs = Bool(
        True,
        help="Replace images and other binary MIME data by a one-line description. Default on in "
        "the agent profile, off in the human profile. Env: ATHENA_SUMMARIZE_BINARY_OUTPUTS.",
    ).tag(config=True)

    compact_tracebacks = Bool(
        True,
        help="Drop IPython/ipykernel frames and ANSI colour codes from tracebacks. Default on in "
        "the agent profile. Env: ATHENA_COMPACT_TRACEBACKS.",
    ).tag(config=True)

    tokenize_pii = Bool(
        True,
        help="Replace PII and secrets in every output by stable tokens such as [EMAIL_1]. Turn off "
        "only for a trusted notebook. Env: ATHENA_TOKENIZE_PII.",
    ).tag(config=True)

    pii_default_region = Unicode(
        "US",
        help="Region (ISO 3166 alpha-2) for phone numbers written without a country code. "
        "Env: ATHENA_PII_DEFAULT_REGION.",
    ).tag(config=True)

    pii_vault_max_entries = Int(
        50_000,
        help="Distinct values the PII vault holds; beyond that, new values are redacted as "
        "[TYPE_REDACTED] and cannot be swapped back. Env: ATHENA_PII_VAULT_MAX_ENTRIES.",
    ).tag(config=True)

    procedure_files_root = Unicode(
        "",
        help="Directory tree %procedure export/import may write and read (relative paths are "
        "resolved inside it). Empty means <jupyter data dir>/athena/procedures. Exported files "
        "are agent-written code: point this at a project tree only if you review what lands "
        "there. Env: ATHENA_PROCEDURE_FILES_ROOT.",
    ).tag(config=True)

    allowed_modules = List(
        Unicode(),
        default_value=DEFAULT_ALLOWED_MODULES,
        help="Modules user code may import (each is a curated proxy, never the real module). "
        "Env: ATHENA_ALLOWED_MODULES (comma-separated).",
    ).tag(config=True)

    allowed_magics = List(
        Unicode(),
        default_value=DEFAULT_ALLOWED_MAGICS,
        help="Line and cell magics user code may run; shell escapes (!cmd) are never allowed. "
        "Env: ATHENA_ALLOWED_MAGICS (comma-separated).",
    ).tag(config=True)

    audit_events = Bool(
        True,
        help="Record every rejection and limit hit as an episodic event in memory.events "
        "(event_type 'sandbox.rejected' / 'sandbox.limit'). Env: ATHENA_AUDIT_EVENTS.",
    ).tag(config=True)

    # ----------------------------------------------------------------- profile-dependent defaults
    @default("isolation")
    def _default_isolation(self) -> str:
        return "process"

    @default("cell_timeout")
    def _default_cell_timeout(self) -> float:
        return 30.0 if self.profile == "agent" else 600.0

    @default("memory_limit_mb")
    def _default_memory_limit(self) -> int:
        return 512 if self.profile == "agent" else 2048

    @default("max_output_chars")
    def _default_max_output_chars(self) -> int:
        return 2000 if self.profile == "agent" else 100_000

    @default("output_retrieval_chars")
    def _default_output_retrieval_chars(self) -> int:
        return 16_000 if self.profile == "agent" else 800_000

    @default("summarize_binary_outputs")
    def _default_summarize_binary(self) -> bool:
        return self.profile == "agent"

    @default("compact_tracebacks")
    def _default_compact_tracebacks(self) -> bool:
        return self.profile == "agent"

    # --------------------------------------------------------------------------- environment
    def __init__(self, environ: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.apply_environment(os.environ if environ is None else environ)

    def apply_environment(self, environ: Any) -> None:
        """Override settings from ``ATHENA_*`` environment variables (they win over config)."""
        # profile first: other defaults depend on it
        names = sorted(self.class_own_traits(config=True), key=lambda n: n != "profile")
        for name in names:
            raw = environ.get(_env_name(name))
            if raw is None or raw == "":
                continue
            trait = self.traits()[name]
            try:
                if isinstance(trait, List):
                    value: Any = [part.strip() for part in raw.split(",") if part.strip()]
                else:
                    value = trait.from_string(raw)
                setattr(self, name, value)
            except Exception as exc:  # a bad env value must say which variable is wrong
                raise ValueError(
                    f"environment variable {_env_name(name)}={raw!r} is not a valid value for "
                    f"AthenaSettings.{name}: {exc}"
                ) from exc

    def resolved_store_path(self) -> str:
        """The store path in use: the setting, else the default under the Jupyter data dir."""
        return self.store_path or default_store_path()


def default_store_path() -> str:
    """``<jupyter data dir>/athena/memory.duckdb`` (the directory is created on first use)."""
    from jupyter_core.paths import jupyter_data_dir

    return str(Path(jupyter_data_dir()) / "athena" / "memory.duckdb")


def settings_reference() -> str:
    """Markdown reference of every setting (embedded in docs/configuration.md; tested)."""
    rows = [
        "| setting | type | agent default | human default | environment variable |",
        "|---|---|---|---|---|",
    ]
    agent = AthenaSettings(environ={}, profile="agent")
    human = AthenaSettings(environ={}, profile="human")
    for name in sorted(AthenaSettings.class_own_traits(config=True)):
        trait = AthenaSettings.class_traits()[name]
        kind = type(trait).__name__
        a, h = getattr(agent, name), getattr(human, name)
        if isinstance(a, list):
            a = h = f"{len(a)} names, listed below"
        rows.append(f"| `{name}` | {kind} | `{a!r}` | `{h!r}` | `{_env_name(name)}` |")
    rows.append("")
    for name in sorted(AthenaSettings.class_own_traits(config=True)):
        trait = AthenaSettings.class_traits()[name]
        help_text = " ".join(str(trait.help).split())
        rows.append(f"- **`{name}`** — {help_text}")
        if isinstance(trait, List):
            values = getattr(agent, name)
            rows.append(f"  Default: {', '.join(values) if values else '(none)'}.")
    return "\n".join(rows) + "\n"
