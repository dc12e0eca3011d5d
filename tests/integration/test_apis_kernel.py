"""%apis and apis() through real kernels (agent and human profiles)."""

from __future__ import annotations

import json

import pytest
from kernel_helpers import start_kernel

pytestmark = pytest.mark.kernel

NAMESPACES = [
    "memory",
    "memory.events",
    "memory.tasks",
    "memory.graph",
    "memory.procedures",
    "memory.plans",
    "procedures",
    "magics",
]


@pytest.fixture(scope="module", params=["athena", "athena-lab"])
def kernel(request):
    client = start_kernel(request.param)
    yield client
    client.stop()


def text_of(cell) -> str:
    """What the magic showed: stdout (agent) or the display's text/plain (human)."""
    assert cell.ok, cell.text()
    return cell.stdout or "\n".join(d.get("text/plain", "") for d in cell.displays)


def test_top_level_lists_every_namespace_compactly(kernel):
    text = text_of(kernel.run("%apis"))
    assert len(text) <= 1100
    for ns in NAMESPACES:
        assert f"\n{ns} (" in "\n" + text, ns


def test_every_namespace_and_every_function_has_its_level(kernel):
    # JSON is for programs: ask for a budget it fits in, as an agent framework would
    data = json.loads(kernel.run("%apis --json", max_output_chars=100_000).stdout)
    paths = [ns["path"] for ns in data["namespaces"]]
    assert paths == [p for p in NAMESPACES if p in paths] and set(NAMESPACES) <= set(paths)
    for ns in NAMESPACES:
        listing = json.loads(kernel.run(f"%apis {ns} --json", max_output_chars=100_000).stdout)
        assert listing["level"] == "namespace"
        for fn in listing["functions"]:
            assert fn["summary"], f"{ns}.{fn['name']} has no docstring"
            path = f"{ns}.{fn['name'].lstrip('%')}"
            cell = kernel.run(f"%apis {path} --json", max_output_chars=100_000)
            detail = json.loads(cell.stdout)
            assert detail["level"] == "function" and detail["summary"], path
            if ns.startswith("memory"):
                assert detail["example"], f"{path} has no example"


def test_function_level_has_everything(kernel):
    text = text_of(kernel.run("%apis memory.graph.relate"))
    for part in (
        "memory.graph.relate(source: str",
        "strength (float, default 1.0)",
        "returns: Relation",
        "Relation: id: str",
        "raises:",
        "NotFoundError",
        "example:",
    ):
        assert part in text, part


def test_search_and_code_api(kernel):
    text = text_of(kernel.run('%apis --search "time range"'))
    assert text.splitlines()[1].strip().startswith("memory.events.between")
    cell = kernel.run('apis(search="knowledge graph path").data["matches"][0]["path"]')
    assert cell.value == "'memory.graph.path'"
    assert "memory.graph" in kernel.run("apis().text").value


def test_human_profile_gets_markdown(kernel):
    cell = kernel.run("%apis memory.tasks")
    if kernel.kernel_name == "athena-lab":
        assert "text/markdown" in cell.displays[0]
    else:
        assert cell.stdout.startswith("memory.tasks — ")


def test_unknown_path_is_a_clear_error(kernel):
    cell = kernel.run("%apis memory.grahp")
    assert cell.status == "error" and "did you mean memory.graph" in cell.text()
