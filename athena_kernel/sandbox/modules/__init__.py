"""Curated modules: the catalogue, the proxies cells receive and the guarded ``__import__``."""

from __future__ import annotations

from .catalog import CATALOG, NEVER_ALLOWED, ModuleSpec, exported_names, is_never_allowed
from .context import WrapContext
from .importer import ModuleImporter, from_import_problem, import_problem
from .proxy import ModuleProxy

__all__ = [
    "CATALOG",
    "NEVER_ALLOWED",
    "ModuleImporter",
    "ModuleProxy",
    "ModuleSpec",
    "WrapContext",
    "exported_names",
    "from_import_problem",
    "import_problem",
    "is_never_allowed",
]
