"""Name tables shared by the validator, the transform and the run-time guards.

One place decides which builtins are forbidden, which dunder names a cell may define or read,
which attributes are interpreter internals and which names the guards are bound under.
"""

from __future__ import annotations

import re

from RestrictedPython.transformer import INSPECT_ATTRIBUTES

# ------------------------------------------------------------------------------- guard names
#: Names the transformed code calls; they live in the sandbox's builtins, never in user_ns.
GETATTR = "_getattr_"
WRITE = "_write_"
GETITEM = "_getitem_"
GETITER = "_getiter_"
INPLACEVAR = "_inplacevar_"
INPLACE_ATTR = "_inplace_attr_"
INPLACE_ITEM = "_inplace_item_"
SLICE = "_slice_"
METACLASS = "__metaclass__"
POW = "_pow_"
MUL = "_mul_"
LSHIFT = "_lshift_"
FLOORDIV = "_floordiv_"
MOD = "_mod_"
RERAISE = "_reraise_interrupt_"
GUARD_EXIT = "_guard_exit_"

# --------------------------------------------------------------------------- forbidden builtins
#: Builtins a cell may not name, with what to do instead.
FORBIDDEN_BUILTINS: dict[str, str] = {
    "open": "files are not accessible from a cell; keep data in memory "
    "(memory.remember(...), memory.recall(...))",
    "exec": "write the code directly in the cell",
    "eval": "write the expression directly in the cell",
    "compile": "write the code directly in the cell",
    "globals": "refer to variables by name (%who lists them)",
    "locals": "refer to variables by name (%who lists them)",
    "vars": "refer to attributes by name",
    "input": "a cell cannot read from stdin; put the value in the code",
    "raw_input": "a cell cannot read from stdin; put the value in the code",
    "breakpoint": "the debugger is not available in the sandbox",
    "help": "use obj? or %apis to read documentation",
    "exit": "the client manages the kernel's lifetime",
    "quit": "the client manages the kernel's lifetime",
}

# ---------------------------------------------------------------------------------- dunders
#: Dunder attributes any object may be asked for (plain strings or the object's class).
SAFE_DUNDER_READ = frozenset(
    {"__name__", "__qualname__", "__doc__", "__module__", "__class__", "__members__"}
)

#: Special methods a class in a cell may define, and call on its own objects or via super().
SPECIAL_METHODS = frozenset(
    [
        "__init__",
        "__post_init__",
        "__repr__",
        "__str__",
        "__format__",
        "__bytes__",
        "__eq__",
        "__ne__",
        "__lt__",
        "__le__",
        "__gt__",
        "__ge__",
        "__hash__",
        "__bool__",
        "__len__",
        "__iter__",
        "__next__",
        "__reversed__",
        "__contains__",
        "__getitem__",
        "__setitem__",
        "__delitem__",
        "__missing__",
        "__call__",
        "__enter__",
        "__exit__",
        "__add__",
        "__radd__",
        "__iadd__",
        "__sub__",
        "__rsub__",
        "__isub__",
        "__mul__",
        "__rmul__",
        "__imul__",
        "__matmul__",
        "__rmatmul__",
        "__imatmul__",
        "__truediv__",
        "__rtruediv__",
        "__itruediv__",
        "__floordiv__",
        "__rfloordiv__",
        "__ifloordiv__",
        "__mod__",
        "__rmod__",
        "__imod__",
        "__divmod__",
        "__rdivmod__",
        "__pow__",
        "__rpow__",
        "__ipow__",
        "__lshift__",
        "__rlshift__",
        "__ilshift__",
        "__rshift__",
        "__rrshift__",
        "__irshift__",
        "__and__",
        "__rand__",
        "__iand__",
        "__or__",
        "__ror__",
        "__ior__",
        "__xor__",
        "__rxor__",
        "__ixor__",
        "__neg__",
        "__pos__",
        "__abs__",
        "__invert__",
        "__int__",
        "__float__",
        "__complex__",
        "__index__",
        "__round__",
        "__trunc__",
        "__floor__",
        "__ceil__",
    ]
)

#: Special methods that change an object: callable on the cell's own objects only.
MUTATING_SPECIALS = frozenset(
    [
        "__init__",
        "__post_init__",
        "__setitem__",
        "__delitem__",
        "__iadd__",
        "__isub__",
        "__imul__",
        "__imatmul__",
        "__itruediv__",
        "__ifloordiv__",
        "__imod__",
        "__ipow__",
        "__ilshift__",
        "__irshift__",
        "__iand__",
        "__ior__",
        "__ixor__",
    ]
)

#: Dunder attributes the validator lets through (the guards decide per object at run time).
ALLOWED_DUNDER_ATTRS = SAFE_DUNDER_READ | SPECIAL_METHODS | {"__dict__"}

#: Dunder attributes a cell may assign (``wrapper.__name__ = fn.__name__`` in a decorator): plain
#: strings, harmless to the trust decisions (which read ``__module__``, never these). The write
#: guard decides at run time whose they are: the cell's own functions, classes and instances only.
WRITABLE_DUNDER_ATTRS = frozenset({"__name__", "__qualname__", "__doc__"})

#: Single-underscore methods IPython's display machinery calls; a cell's class may define them.
DISPLAY_HOOK_METHODS = frozenset(
    {
        "_repr_html_",
        "_repr_markdown_",
        "_repr_json_",
        "_repr_latex_",
        "_repr_svg_",
        "_repr_png_",
        "_repr_jpeg_",
        "_repr_mimebundle_",
        "_ipython_display_",
    }
)

# ------------------------------------------------------------------------- introspection
#: Attributes of frames, code objects, tracebacks, generators and coroutines.
INTROSPECTION_ATTRS = frozenset(INSPECT_ATTRIBUTES) | {"f_trace_lines", "f_trace_opcodes"}

# ------------------------------------------------------------------------------------ names
#: IPython's output-history names that look reserved but are plain user data.
_IPYTHON_HISTORY_NAMES = frozenset({"_", "__", "___"})
_RESERVED = re.compile(r"^_.*_$")


def is_dunder(name: str) -> bool:
    """``__x__``-style name."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def is_reserved_name(name: str) -> bool:
    """A name a cell may not use: ``_x_`` and ``__x__`` forms (guards, interpreter names).

    ``_``, ``__`` and ``___`` (IPython's last outputs) and ordinary ``_private`` names are fine.
    """
    return name not in _IPYTHON_HISTORY_NAMES and bool(_RESERVED.match(name)) and len(name) > 1


def is_private_attr(name: str) -> bool:
    """An attribute name starting with an underscore that is not a dunder."""
    return name.startswith("_") and not is_dunder(name)
