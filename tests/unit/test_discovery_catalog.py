"""%apis catalogue: APIs registered later, magics, nested return models, search, renderings."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from athena_kernel.discovery.browser import ApiBrowser, Apis
from athena_kernel.discovery.catalog import describe_magic, model_fields
from athena_kernel.discovery.render import TOP_LEVEL_CHARS
from athena_kernel.magics.apis_magic import ApisMagics
from athena_kernel.magics.output_magic import OutputMagics
from athena_kernel.magics.procedure_magic import ProcedureMagics
from athena_kernel.magics.sandbox_magic import SandboxMagics
from athena_kernel.memory import Memory, open_memory

MAGICS = [ApisMagics, ProcedureMagics, OutputMagics, SandboxMagics]


class Page(BaseModel):
    """A fetched page."""

    url: str
    status: int


class Crawl(BaseModel):
    """Pages fetched together."""

    pages: list[Page]
    seconds: float


class Web:
    """Fetch pages from the intranet."""

    def fetch(self, url: str, *, timeout: float = 5.0) -> Page:
        """Fetch one page.

        Args:
            url: Address of the page.
            timeout: Seconds to wait.

        Returns:
            The Page.

        Raises:
            TimeoutError: The page did not answer in time.

        Example:
            >>> web.fetch("http://wiki/start")
        """
        return Page(url=url, status=200)

    def crawl(self, urls: list[str]) -> Crawl:
        """Fetch several pages.

        Args:
            urls: Addresses.
        """
        return Crawl(pages=[self.fetch(u) for u in urls], seconds=0.0)


def word_count(text: str) -> int:
    """Count the words of a text.

    Args:
        text: Any text.
    """
    return len(text.split())


@pytest.fixture(scope="module")
def memory() -> Iterator[Memory]:
    mem = open_memory(":memory:")
    yield mem
    mem.close()


@pytest.fixture
def browser(memory: Memory) -> ApiBrowser:
    return ApiBrowser(memory, magics=MAGICS)


def test_registered_objects_and_functions_are_introspected(browser: ApiBrowser) -> None:
    browser.register("web", Web())
    browser.register("tools.word_count", word_count, summary="Small text helpers.")
    top = browser.answer().text
    assert "\nweb (2)" in top and "\ntools (1)" in top and "Small text helpers." in top
    assert "  fetch(url, …)  Fetch one page." in browser.answer("web").text
    fetch = browser.answer("web.fetch").text
    assert fetch.startswith("web.fetch(url: str, *, timeout: float = 5.0) -> Page\n")
    assert "  timeout (float, default 5.0): Seconds to wait." in fetch
    assert "  Page: url: str, status: int" in fetch and "  TimeoutError: " in fetch
    assert browser.answer("tools.word_count").data["params"][0]["description"] == "Any text."
    assert browser.answer(search="intranet page")
    assert browser.answer(search="count words").data["matches"][0]["path"] == "tools.word_count"
    browser.register("web", Web(), summary="The intranet.")  # again: replaced, not doubled
    assert browser.answer().text.count("\nweb (2)") == 1
    assert "The intranet." in browser.answer("web").text


@pytest.mark.parametrize(
    ("path", "obj", "message"),
    [
        ("memory.extra", Web(), "inside 'memory'"),
        ("procedures", Web(), "inside 'procedures'"),
        ("_hidden", Web(), "dotted public names"),
        ("a..b", Web(), "dotted public names"),
        ("count", word_count, "needs a namespace"),
        ("thing", object(), "no public methods"),
    ],
)
def test_register_rejects_what_it_cannot_show(
    browser: ApiBrowser, path: str, obj: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        browser.register(path, obj)


def test_nested_return_models_are_described_once() -> None:
    fields = model_fields(list[Crawl])
    assert list(fields) == ["Crawl", "Page"]
    assert fields["Crawl"] == [("pages", "list[Page]"), ("seconds", "float")]
    assert model_fields(Crawl | Page | None) == {
        "Crawl": fields["Crawl"],
        "Page": fields["Page"],
    }


def test_plan_steps_and_procedure_stats_are_described(browser: ApiBrowser) -> None:
    assert "  PlanStep: index: int" in browser.answer("memory.plans.get").text
    assert "  ProcedureStats: run_count: int" in browser.answer("memory.procedures.list").text


def test_magics_come_from_their_docstrings(browser: ApiBrowser) -> None:
    listing = browser.answer("magics").text
    assert listing.startswith("magics — Athena's magics: %apis, %procedure, %output, %sandbox.")
    for line in listing.splitlines()[1:-1]:
        name, summary = line.strip().split("  ", 1)
        assert name.startswith("%") and summary and not summary.startswith("%"), line
    sandbox = browser.answer("magics.sandbox").text.splitlines()
    assert sandbox[0] == "%sandbox status"
    assert sandbox[1].startswith("Show which protections are active")
    procedure = browser.answer("procedure").text  # the magics. prefix may be left out
    assert procedure.startswith("%procedure list | show NAME [--version N] | history NAME |")
    assert procedure.count("%procedure list |") == 1  # the usage is not repeated


def test_a_magic_without_a_usage_paragraph() -> None:
    def hello(line: str) -> None:
        """Say hello.

        Longer story.
        """

    magic = describe_magic("hello", "cell", hello)
    assert (magic.signature, magic.summary, magic.description) == (
        "%%hello",
        "Say hello.",
        "Longer story.",
    )


def test_search_drops_passing_mentions(browser: ApiBrowser) -> None:
    matches = browser.answer(search="shortest path").data["matches"]
    assert [m["path"] for m in matches] == ["memory.graph.path"]
    scores = [m["score"] for m in browser.answer(search="time range").data["matches"]]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 0.3 * scores[0]


def test_every_level_renders_as_text_markdown_and_json(browser: ApiBrowser) -> None:
    for path in (None, "memory.graph", "memory.graph.relate", "magics", "magics.output"):
        listing = browser.answer(path)
        assert listing.text and listing.markdown
        data = json.loads(json.dumps(listing.data, default=str))
        assert data["level"] in ("top", "namespace", "function")
    rich = ApiBrowser(browser._memory, magics=MAGICS, rich=True)
    assert rich.answer("memory.graph")._repr_markdown_().startswith("### `memory.graph`")
    assert browser.answer("memory.graph")._repr_markdown_() is None  # agent profile: text


def test_the_top_level_stays_small_however_many_namespaces(browser: ApiBrowser) -> None:
    for i in range(60):
        browser.register(f"service{i}", Web(), summary=f"Service number {i} " + "x" * 80)
    text = browser.answer().text
    assert len(text) <= TOP_LEVEL_CHARS + 150
    assert "67 namespaces" in text and "more:" in text


def test_apis_from_code(browser: ApiBrowser) -> None:
    apis = Apis(browser)
    assert apis().data["level"] == "top"
    assert apis("memory.tasks").data["path"] == "memory.tasks"
    assert apis(search="overdue").data["matches"][0]["path"] == "memory.tasks.overdue"
    with pytest.raises(LookupError, match=r"did you mean memory\.tasks"):
        apis("memory.task")
    assert str(apis("memory.tasks.overdue")) == apis("memory.tasks.overdue").text
