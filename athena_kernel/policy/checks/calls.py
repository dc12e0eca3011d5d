"""Call rules: getattr & co. with computed names, type() building classes, unsafe format strings."""

from __future__ import annotations

import ast
import string

from .attributes import check_attribute_name
from .base import Report, Scope

_ATTRIBUTE_FUNCTIONS = {"getattr": False, "hasattr": False, "setattr": True, "delattr": True}


def check_call(node: ast.AST, scope: Scope, report: Report) -> None:
    """Calls to getattr/setattr/delattr/hasattr, type(), and ``'...'.format``."""
    assert isinstance(node, ast.Call)
    func = node.func
    if isinstance(func, ast.Name):
        if func.id in _ATTRIBUTE_FUNCTIONS and len(node.args) >= 2:
            _check_attribute_function(node, func.id, report)
        elif func.id == "type" and len(node.args) == 3:
            report.add(
                "policy.class",
                node,
                "type(name, bases, namespace) cannot create classes in the sandbox",
                "use a class statement",
            )
    elif (
        isinstance(func, ast.Attribute)
        and func.attr in ("format", "format_map")
        and isinstance(func.value, ast.Constant)
        and isinstance(func.value.value, str)
    ):
        _check_format_string(func.value.value, node, report)


def _check_attribute_function(node: ast.Call, name: str, report: Report) -> None:
    target = node.args[1]
    if isinstance(target, ast.Constant) and isinstance(target.value, str):
        check_attribute_name(target.value, node.args[0], node, _ATTRIBUTE_FUNCTIONS[name], report)
    elif name != "hasattr":
        report.add(
            "policy.getattr",
            node,
            f"{name}() with a computed attribute name is not allowed",
            f"write obj.attribute directly, or {name}(obj, 'literal_name'); "
            "for dynamic keys use a dict",
        )


def _check_format_string(template: str, node: ast.AST, report: Report) -> None:
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(template) if field]
    except (ValueError, IndexError):
        return
    for field in fields:
        parts = field.replace("[", ".").replace("]", "").split(".")[1:]
        if any(part.startswith("_") for part in parts):
            report.add(
                "policy.format",
                node,
                f"format field {{{field}}} reaches into private attributes",
                "format public values only, e.g. '{0.name}' or pass the value itself",
            )
            return
