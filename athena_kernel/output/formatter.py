"""IPython glue: large values get a structure-aware summary as their ``text/plain``.

:func:`install_summary_formatter` makes the shell's plain-text formatter summarise a value only
when its normal pretty repr would exceed the budget; smaller values keep their exact IPython repr
(byte-identical). Values that are certainly too large (a 5,000,000-element list) are summarised
without pretty-printing them at all. IPython is imported lazily, only by these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .reprs import repr_exceeds
from .summaries import summarize

BudgetSource = Callable[[], "int | None"]

_INSTALLED_ATTR = "_athena_summary_budget"
_CALLBACK_ATTR = "_athena_on_summary"
_ORIGINAL_CLASS_ATTR = "_athena_original_class"
_subclasses: dict[type, type] = {}


def _budget_of(formatter: Any) -> int | None:
    source = getattr(formatter, _INSTALLED_ATTR, None)
    if source is None:
        return None
    try:
        budget = source() if callable(source) else source
    except Exception:  # a broken budget source must not break display
        return None
    if budget is None or budget <= 0:
        return None
    return int(budget)


def summarizing_text(formatter: Any, obj: Any, pretty: Callable[[Any], Any]) -> Any:
    """The text/plain for ``obj``: ``pretty(obj)`` if it fits the formatter's budget, else a
    summary. A repr that raises is summarised too (the summary names the error)."""
    budget = _budget_of(formatter)
    if budget is None:
        return pretty(obj)
    max_seq = getattr(formatter, "max_seq_length", 1000) or 0
    if repr_exceeds(obj, budget, max_seq_length=max_seq):
        return _summary(formatter, obj, budget, None)
    try:
        text = pretty(obj)
    except Exception:
        return _summary(formatter, obj, budget, None)
    if isinstance(text, str) and len(text) > budget:
        return _summary(formatter, obj, budget, text)
    return text


def _summary(formatter: Any, obj: Any, budget: int, rendered: str | None) -> str:
    callback = getattr(formatter, _CALLBACK_ATTR, None)
    if callback is not None:
        try:
            callback()
        except Exception:  # accounting must not break display
            pass
    return summarize(obj, budget, rendered=rendered)


def _summarizing_class(base: type) -> type:
    cached = _subclasses.get(base)
    if cached is not None:
        return cached
    from IPython.core.formatters import catch_format_error

    original_call = getattr(base.__call__, "__wrapped__", base.__call__)

    class SummarizingPlainTextFormatter(base):  # type: ignore[valid-type, misc]
        """IPython's plain-text formatter, summarising values larger than the output budget."""

        @catch_format_error
        def __call__(self, obj: Any) -> Any:
            return summarizing_text(self, obj, lambda value: original_call(self, value))

    SummarizingPlainTextFormatter.__name__ = f"Summarizing{base.__name__}"
    SummarizingPlainTextFormatter.__qualname__ = SummarizingPlainTextFormatter.__name__
    _subclasses[base] = SummarizingPlainTextFormatter
    return SummarizingPlainTextFormatter


def install_summary_formatter(
    shell: Any,
    budget: BudgetSource | int,
    on_summary: Callable[[], None] | None = None,
) -> Callable[[], None]:
    """Make ``shell``'s text/plain formatter summarise values whose repr exceeds ``budget``.

    ``budget`` is a character count or a callable returning one (``None`` or ``<= 0`` turns
    summaries off), e.g. ``output_filter.value_budget`` so the current cell's budget applies.
    ``on_summary`` is called each time a summary replaces a repr (e.g.
    ``output_filter.note_value_summarized``, for the reply statistics). The formatter keeps its
    configuration and registered printers (its class is switched to a subclass in place).
    Returns a function that undoes the installation. Installing twice only replaces the budget
    and callback.
    """
    formatter = shell.display_formatter.formatters["text/plain"]
    if not callable(budget) and not isinstance(budget, int):
        raise TypeError(
            f"budget must be an int or a callable returning an int, not {type(budget).__name__}"
        )
    if getattr(formatter, _ORIGINAL_CLASS_ATTR, None) is None:
        original = type(formatter)
        formatter.__class__ = _summarizing_class(original)
        setattr(formatter, _ORIGINAL_CLASS_ATTR, original)
    setattr(formatter, _INSTALLED_ATTR, budget)
    setattr(formatter, _CALLBACK_ATTR, on_summary)

    def uninstall() -> None:
        original_class = getattr(formatter, _ORIGINAL_CLASS_ATTR, None)
        if original_class is not None:
            formatter.__class__ = original_class
            setattr(formatter, _ORIGINAL_CLASS_ATTR, None)
            setattr(formatter, _INSTALLED_ATTR, None)
            setattr(formatter, _CALLBACK_ATTR, None)

    return uninstall
