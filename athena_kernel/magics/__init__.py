"""Athena's magics: ``%apis``, ``%procedure``, ``%output``, ``%sandbox``.

They run on the engine side (the kernel's shell in-process, or the worker) and reach the trusted
side only through a ``services`` object (``services.call(op, params)``).
"""
