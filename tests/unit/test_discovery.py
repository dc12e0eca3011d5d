"""%apis building blocks: docstring parsing, introspection, rendering, search."""

from __future__ import annotations

import inspect

import pytest

from athena_kernel.discovery.browser import ApiBrowser
from athena_kernel.discovery.catalog import describe_namespace, public_methods
from athena_kernel.discovery.docstrings import parse_docstring
from athena_kernel.discovery.render import TOP_LEVEL_CHARS
from athena_kernel.memory import open_memory


@pytest.fixture(scope="module")
def memory():
    mem = open_memory(":memory:")
    yield mem
    mem.close()


def test_google_docstring_sections() -> None:
    doc = parse_docstring(
        """Relate two things.

        Longer text here.

        Args:
            source: Where from.
            strength (float): How much;
                continued on a second line.

        Returns:
            The Relation.

        Raises:
            NotFoundError: No such entity.

        Example:
            >>> relate("a", "b")
        """
    )
    assert doc.summary == "Relate two things."
    assert doc.description == "Longer text here."
    assert doc.args == {
        "source": "Where from.",
        "strength": "How much; continued on a second line.",
    }
    assert doc.returns == "The Relation."
    assert doc.raises == [("NotFoundError", "No such entity.")]
    assert doc.example == '>>> relate("a", "b")'


def test_every_public_memory_method_is_documented(memory) -> None:
    """Fails when someone adds a public method to the memory API without a usable docstring."""
    objects = {"memory": memory}
    objects.update(
        {f"memory.{n}": getattr(memory, n) for n in vars(memory) if not n.startswith("_")}
    )
    undocumented = []
    for path, obj in objects.items():
        if not public_methods(obj):
            continue
        for name, method in public_methods(obj):
            doc = parse_docstring(inspect.getdoc(method))
            params = [p for p in inspect.signature(method).parameters if p != "self"]
            missing_args = [p for p in params if p not in doc.args and p not in ("changes",)]
            if not doc.summary or not doc.example or missing_args:
                undocumented.append(f"{path}.{name} (args without docs: {missing_args})")
    assert not undocumented, "undocumented public API:\n" + "\n".join(undocumented)


def test_namespaces_come_from_the_live_object(memory) -> None:
    paths = [ns.path for ns in describe_namespace("memory", memory)]
    assert paths[0] == "memory"
    assert {
        "memory.events",
        "memory.tasks",
        "memory.graph",
        "memory.procedures",
        "memory.plans",
    } <= set(paths)


def test_levels_and_sizes(memory) -> None:
    browser = ApiBrowser(memory, procedures=None)
    top = browser.answer()
    assert len(top.text) <= TOP_LEVEL_CHARS + 100
    assert "memory.graph (6)" in top.text
    ns = browser.answer("memory.graph")
    assert "relate(source, target, relation_type, …)" in ns.text
    one = browser.answer("memory.graph.relate")
    assert "strength (float, default 1.0)" in one.text
    assert "Relation: id: str" in one.text and "NotFoundError" in one.text
    assert ">>> memory.graph.relate(" in one.text
    assert one.data["level"] == "function" and one.data["params"][0]["name"] == "source"


def test_top_level_stays_small_with_many_namespaces(memory) -> None:
    browser = ApiBrowser(memory, procedures=None)
    catalog = browser.catalog()
    catalog.namespaces = catalog.namespaces * 30  # 180 namespaces
    from athena_kernel.discovery.render import top_text

    text = top_text(catalog)
    assert len(text) <= TOP_LEVEL_CHARS + 200
    assert "more:" in text


def test_unknown_path_suggests(memory) -> None:
    browser = ApiBrowser(memory, procedures=None)
    with pytest.raises(LookupError, match=r"memory\.graph\.relate"):
        browser.answer("memory.graph.relat")


def test_search_ranks_the_right_function(memory) -> None:
    browser = ApiBrowser(memory, procedures=None)
    assert browser.answer(search="time range").data["matches"][0]["path"] == "memory.events.between"
    assert browser.answer(search="shortest path").data["matches"][0]["path"] == "memory.graph.path"
    assert browser.answer(search="the of and").data["matches"] == []
