"""Saved procedures: validation, the sandboxed runner, ``procedures.NAME``, export/import."""
