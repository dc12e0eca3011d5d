"""Curated modules: vetted names only, nothing reachable from them leads to a real module."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from athena_kernel.config import DEFAULT_ALLOWED_MODULES
from athena_kernel.policy import ImportDenied, PolicyConfig
from athena_kernel.sandbox.guards.output import StreamWriter
from athena_kernel.sandbox.modules import CATALOG, NEVER_ALLOWED, ModuleProxy, is_never_allowed
from athena_kernel.sandbox.modules.proxy import proxy_exports
from athena_kernel.sandbox.runtime import SandboxRuntime

RUNTIME = SandboxRuntime(PolicyConfig())
IMPORT = RUNTIME.importer


def test_every_default_module_is_catalogued() -> None:
    assert set(DEFAULT_ALLOWED_MODULES) <= set(CATALOG)
    assert not (set(DEFAULT_ALLOWED_MODULES) & NEVER_ALLOWED)


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_proxies_hold_vetted_objects_only(name: str) -> None:
    proxy = IMPORT.proxy(name)
    exports = proxy_exports(proxy)
    assert exports, name
    for attr, value in exports.items():
        assert not isinstance(value, types.ModuleType), f"{name}.{attr} is a real module"
        assert not attr.startswith("_"), f"{name}.{attr}"
        assert not isinstance(value, (list, dict, set, bytearray)), f"{name}.{attr} is mutable"
        if isinstance(value, ModuleProxy):
            continue
        assert (
            callable(value)
            or isinstance(value, (int, float, complex, str, bytes, tuple, frozenset, type(None)))
            or type(value).__module__ in (name, name.split(".")[0], "decimal", "uuid", "enum")
            or type(value) is StreamWriter
        ), f"{name}.{attr} is a {type(value)!r}"


@pytest.mark.parametrize(
    ("module", "missing"),
    [
        ("json", "codecs"),
        ("re", "enum"),
        ("statistics", "sys"),
        ("functools", "update_wrapper"),
        ("functools", "wraps"),
        ("functools", "singledispatch"),
        ("operator", "attrgetter"),
        ("operator", "methodcaller"),
        ("string", "Formatter"),
        ("uuid", "uuid1"),
        ("uuid", "getnode"),
        ("hashlib", "scrypt"),
        ("time", "tzset"),
        ("zoneinfo", "reset_tzpath"),
        ("calendar", "LocaleTextCalendar"),
        ("enum", "EnumMeta"),
        ("random", "_os"),
    ],
)
def test_dangerous_names_are_absent(module: str, missing: str) -> None:
    proxy = IMPORT.proxy(module)
    with pytest.raises(AttributeError) as caught:
        getattr(proxy, missing)
    assert "available:" in str(caught.value)


def test_notebook_basics_are_always_available() -> None:
    runtime = SandboxRuntime(PolicyConfig(allowed_modules=frozenset({"json"})))
    sys_proxy = runtime.importer("sys")
    assert sorted(proxy_exports(sys_proxy))[:3] == ["byteorder", "float_info", "getdefaultencoding"]
    assert "modules" not in proxy_exports(sys_proxy) and "path" not in proxy_exports(sys_proxy)
    display = runtime.importer("IPython.display", fromlist=("HTML",))
    assert "HTML" in proxy_exports(display)
    assert set(proxy_exports(runtime.importer("IPython"))) == {"display"}
    with pytest.raises(ImportDenied):
        runtime.importer("math")
    with pytest.raises(Exception) as caught:
        proxy_exports(display)["Image"](filename="/etc/passwd")
    assert "files" in str(caught.value)


def test_proxies_are_read_only_and_do_not_pickle() -> None:
    import copy

    proxy = IMPORT.proxy("json")
    with pytest.raises(TypeError):
        proxy.dumps = None
    with pytest.raises(TypeError):
        del proxy.dumps
    with pytest.raises(TypeError):
        copy.copy(proxy)
    assert "dumps" in dir(proxy) and "codecs" not in dir(proxy)
    assert repr(proxy) == "<module 'json' (sandbox curated)>"


def test_guarded_import() -> None:
    assert isinstance(IMPORT("json"), ModuleProxy)
    assert IMPORT("collections.abc") is IMPORT.proxy("collections")  # binds the top level
    assert IMPORT("collections.abc", fromlist=("Mapping",)) is IMPORT.proxy("collections.abc")
    for args, kwargs in (
        (("os",), {}),
        (("json",), {"level": 1}),
        (("json",), {"fromlist": ("codecs",)}),
        (("json",), {"fromlist": ("*",)}),
        (("json.decoder",), {}),
        (("_io",), {}),
    ):
        with pytest.raises(ImportDenied):
            IMPORT(*args, **kwargs)


def test_never_allowed_modules() -> None:
    for name in ("os", "os.path", "subprocess", "_thread", "importlib.util", "athena_kernel"):
        assert is_never_allowed(name)
    assert not is_never_allowed("json")
    assert not is_never_allowed("sys")  # the curated sys: stdout/stderr writers, version info


def test_configured_modules_without_a_catalogue_entry_get_an_automatic_proxy() -> None:
    runtime = SandboxRuntime(PolicyConfig(allowed_modules=frozenset({"array", "json"})))
    array = runtime.importer("array")
    assert isinstance(array, ModuleProxy)
    assert array.array("i", [1]).tolist() == [1]
    assert not any(isinstance(v, types.ModuleType) for v in proxy_exports(array).values())


def _reachable(start: Any, getattr_: Any, limit: int = 20_000) -> list[tuple[Any, str]]:
    seen: set[int] = set()
    frontier = [(start, "start", 0)]
    found: list[tuple[Any, str]] = []
    while frontier and len(seen) < limit:
        obj, path, depth = frontier.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        found.append((obj, path))
        if depth >= 3:
            continue
        try:
            names = [n for n in dir(obj) if not n.startswith("_")] + ["__class__", "__doc__"]
        except Exception:
            continue
        for name in names:
            try:
                value = getattr_(obj, name)
            except Exception:
                continue
            frontier.append((value, f"{path}.{name}", depth + 1))
    return found


@pytest.mark.parametrize("name", sorted(DEFAULT_ALLOWED_MODULES))
def test_nothing_reachable_from_a_proxy_is_a_module_or_a_namespace(name: str) -> None:
    getattr_ = RUNTIME.guards["getattr"]
    module_dicts = {id(m.__dict__) for m in list(sys.modules.values()) if m is not None}
    forbidden = (types.ModuleType, types.FrameType, types.CodeType, types.TracebackType)
    for obj, path in _reachable(IMPORT.proxy(name), getattr_):
        assert not isinstance(obj, forbidden), f"{name}: {path}"
        assert not (isinstance(obj, dict) and id(obj) in module_dicts), f"{name}: {path}"


def test_exported_classes_may_be_subclassed() -> None:
    IMPORT.proxy("collections")
    IMPORT.proxy("enum")
    registry = RUNTIME.registry
    assert registry.may_subclass(proxy_exports(IMPORT.proxy("collections"))["OrderedDict"])
    assert registry.may_subclass(proxy_exports(IMPORT.proxy("enum"))["Enum"])
    assert registry.may_subclass(dict) and registry.may_subclass(Exception)
    assert not registry.may_subclass(type)
    assert not registry.may_subclass(ModuleProxy)
