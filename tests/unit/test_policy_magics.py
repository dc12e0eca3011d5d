"""The magic policy: no shell escapes, an allowlist for the rest, checked arguments and bodies."""

from __future__ import annotations

import pytest

from athena_kernel.policy import PolicyConfig, PolicyViolation, validate, validate_cell

CONFIG = PolicyConfig()


def rejection(source: str, config: PolicyConfig = CONFIG) -> PolicyViolation:
    with pytest.raises(PolicyViolation) as caught:
        validate_cell(source, config)
    return caught.value


@pytest.mark.parametrize(
    "source",
    [
        "!ls",
        "files = !ls",
        "%sx ls",
        "%system ls",
        "%%bash\nls",
        "%%sh\nls",
        "%%script bash\nls",
        "%%python3\nprint(1)",
        "%%!\nls",
        "get_ipython().system('ls')",
        "get_ipython().getoutput('ls')",
    ],
)
def test_shell_escapes(source: str) -> None:
    violation = rejection(source)
    assert violation.rule == "magic.shell"
    assert "shell" in violation.message


@pytest.mark.parametrize(
    "source",
    [
        "%run script.py",
        "%load script.py",
        "%env HOME",
        "%cd /",
        "%%writefile x.py\nprint(1)",
        "%store x",
        "%pip install requests",
        "%config InteractiveShell.ast_transformers = []",
        "%load_ext something",
        "%alias_magic t time",
        "%debug",
        "%ls",
        "%matplotlib inline",
        "%code_wrap x",
        "%%javascript\nalert(1)",
    ],
)
def test_forbidden_magics(source: str) -> None:
    violation = rejection(source)
    assert violation.rule == "magic.forbidden"
    assert "%time" in violation.advice  # the advice lists what is allowed


def test_never_allowed_even_when_configured() -> None:
    config = PolicyConfig(allowed_magics=frozenset({"run", "sx", "config", "time"}))
    assert rejection("%run x.py", config).rule == "magic.forbidden"
    assert rejection("%sx ls", config).rule == "magic.shell"
    assert rejection("%config X.y = 1", config).rule == "magic.forbidden"
    validate_cell("%time 1", config)
    assert rejection("%who", config).rule == "magic.forbidden"


@pytest.mark.parametrize(
    "source",
    [
        "%time x = 1",
        "%time --no-raise-error x = 1",
        "%timeit -n 1 -r 2 x = 1",
        "%timeit -o -q sum(range(3))",
        "%%time\nx = 1\nx",
        "%%timeit -n 1 y = 2\nx = y",
        "%%capture out\nprint(1)",
        "%%capture --no-stderr\nprint(1)",
        "%who",
        "%whos int",
        "%who_ls",
        "%history -n 1-3",
        "%xmode Minimal",
        "%precision 3",
        "%reset -f",
        "x?",
        "memory.recall??",
        "%pinfo json.dumps",
        "%psearch a*",
        "%lsmagic",
        "%apis",
        "%procedure list",
    ],
)
def test_allowed_magics(source: str) -> None:
    validate_cell(source, CONFIG)


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("%history -f out.txt", "-f"),
        ("%history -g secret", "-g"),
        ("%history ~1/1-5", "other sessions"),
        ("%xmode Verbose", "Verbose"),
        ("%pinfo memory._backend", "memory._backend"),
        ("memory._backend?", "memory._backend"),
        ("%psource x.__class__", "x.__class__"),
        ("%psearch -a *", "-a"),
        ("%%capture __builtins__\nprint(1)", "__builtins__"),
        ("%%capture memory\nprint(1)", "memory"),
        ("%timeit -v _getattr_ 1", "_getattr_"),
        ("%%time print(1)\nx = 1", "first line"),
    ],
)
def test_magic_arguments(source: str, fragment: str) -> None:
    violation = rejection(source)
    assert violation.rule == "magic.argument"
    assert fragment in violation.message


@pytest.mark.parametrize(
    ("source", "rule", "line"),
    [
        ("%time import os", "policy.import", 1),
        ("%timeit ().__class__.__bases__", "policy.dunder", 1),
        ("%%capture\nx = 1\nimport os", "policy.import", 3),
        ("%%time\nopen('f')", "policy.name", 2),
        ("%%timeit import os\nx = 1", "policy.import", 1),
        ("%%capture\n!ls", "magic.shell", 2),
        ("%%capture\n%%capture\nx = 1\nimport os", "policy.import", 4),
        ("x = 1\n%time {().__class__.__subclasses__()}", "policy.dunder", 2),
    ],
)
def test_magic_bodies_are_validated_as_code(source: str, rule: str, line: int) -> None:
    violation = rejection(source)
    assert (violation.rule, violation.line) == (rule, line)


def test_dynamic_magics() -> None:
    for source in (
        "n = 'time'\nget_ipython().run_line_magic(n, '1')",
        "line = 'import os'\nget_ipython().run_line_magic('time', line)",
        "get_ipython().run_cell_magic('capture', '', body)",
    ):
        assert rejection(source).rule == "magic.dynamic"


def test_other_shell_methods_are_refused() -> None:
    assert rejection("get_ipython().user_ns").rule == "magic.forbidden"
    assert rejection("get_ipython().kernel").rule == "magic.forbidden"
    assert rejection("get_ipython().ex('import os')").rule == "magic.forbidden"


def test_nesting_of_cell_magics_is_bounded() -> None:
    source = "%%capture\n" * 12 + "x = 1"
    assert rejection(source).rule == "policy.complexity"


def test_plain_validate_sees_transformed_magics() -> None:
    with pytest.raises(PolicyViolation) as caught:
        validate("get_ipython().run_line_magic('run', 'x.py')", CONFIG)
    assert caught.value.rule == "magic.forbidden"
