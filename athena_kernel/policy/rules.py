"""The catalogue of rule ids: what each rejects, and a cell that triggers it.

Rule ids are stable: the kernel records them as audit events, clients may match on them and
``docs/security.md`` lists them. ``example`` is a cell the rule rejects (``None`` for rules that
only fire at run time with particular data, such as ``limit.memory``); the test-suite checks each.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One rule: its id, the layer that enforces it, a one-line summary and an example cell."""

    id: str
    layer: str
    summary: str
    example: str | None = None


_RULES = [
    # ----------------------------------------------------------- validation (before the cell runs)
    Rule("policy.syntax", "validation", "the cell is not valid Python", "x = (1,"),
    Rule("policy.size", "validation", "the cell is larger than the validator accepts", None),
    Rule(
        "policy.complexity",
        "validation",
        "the cell nests too deeply to be checked (hostile nesting)",
        "x = " + "-" * 50_000 + "1",
    ),
    Rule(
        "policy.import",
        "validation",
        "import of a module or name not on the allowlist",
        "import os",
    ),
    Rule(
        "policy.name",
        "validation",
        "use of a builtin that reaches outside the sandbox (open, exec, eval, globals …)",
        "open('/etc/passwd')",
    ),
    Rule(
        "policy.dunder",
        "validation",
        "access to a dunder attribute or name",
        "().__class__.__bases__",
    ),
    Rule(
        "policy.private",
        "validation",
        "use of a reserved _name_ or of a private attribute of a bound object",
        "memory._backend",
    ),
    Rule(
        "policy.introspection",
        "validation",
        "access to frame, code, traceback or generator internals",
        "g = (i for i in []); g.gi_frame",
    ),
    Rule(
        "policy.getattr",
        "validation",
        "getattr/setattr/delattr with a computed attribute name",
        "name = 'x'; getattr(object, name)",
    ),
    Rule(
        "policy.format",
        "validation",
        "a format string that reaches into private attributes",
        "'{0.__class__}'.format(1)",
    ),
    Rule(
        "policy.async",
        "validation",
        "async functions, await, async for/with",
        "async def f(): pass",
    ),
    Rule(
        "policy.except_star",
        "validation",
        "except* (exception groups; crashes CPython 3.11 in some cases)",
        "try:\n    pass\nexcept* ValueError:\n    pass",
    ),
    Rule(
        "policy.annotation",
        "validation",
        "string annotations (libraries evaluate them outside the sandbox)",
        "def f(x: 'int'): pass",
    ),
    Rule(
        "policy.class",
        "validation",
        "metaclasses and classes derived from trusted classes",
        "class A(metaclass=type): pass",
    ),
    Rule("policy.restricted", "validation", "a construct RestrictedPython refuses", None),
    Rule("policy.write", "run time", "writing to an object the cell does not own", None),
    # -------------------------------------------------------------------------------------- magics
    Rule("magic.shell", "validation", "shell escapes: !cmd, %sx, %%bash, %%script …", "!ls"),
    Rule("magic.forbidden", "validation", "a magic that is not on the allowlist", "%run script.py"),
    Rule(
        "magic.argument",
        "validation",
        "an allowed magic with an argument that leaves the sandbox",
        "%history -f out.txt",
    ),
    Rule(
        "magic.dynamic",
        "validation",
        "a magic whose name or arguments are computed at run time",
        "name = 'time'\nget_ipython().run_line_magic(name, '1')",
    ),
    # -------------------------------------------------------------------------------------- limits
    Rule("limit.int", "validation + run time", "an integer beyond max_int_digits", "10 ** 10 ** 8"),
    Rule(
        "limit.memory",
        "validation + run time",
        "memory growth beyond memory_limit_mb",
        "'a' * 10 ** 10",
    ),
    Rule(
        "limit.cpu",
        "run time",
        "a single C call too long to interrupt (math.factorial(10**9) …)",
        None,
    ),
    Rule("limit.regex", "run time", "a regular expression with nested repetition (ReDoS)", None),
    Rule("limit.recursion", "run time", "recursion deeper than max_recursion_depth", None),
    Rule("limit.output", "run time", "a cell printing more than its hard output ceiling", None),
    Rule("limit.timeout", "kernel", "the cell exceeded its wall-clock limit (cell_timeout)", None),
]

#: Every rule by id.
RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def rule_ids() -> list[str]:
    """All rule ids, in catalogue order."""
    return [rule.id for rule in _RULES]
