"""Reject regular expressions that can backtrack catastrophically (ReDoS).

CPython's regex engine (3.11) never checks for signals, so ``re.match(r'(a+)+$', 'a' * 40 + 'b')``
cannot be interrupted by the cell timeout. This check refuses the classic shape: a repetition
whose body holds an unbounded repetition that no mandatory part of the body separates from the
next round (``(a+)+``, ``(\\w+\\s*)*``, ``(.*a){20}``). Bodies with a mandatory delimiter the inner
repetition cannot consume (``(\\d+,)*``, ``([a-z]+\\.)+``) are fine. Overlapping alternations
(``(a|a)*``) and polynomial blow-ups are not detected: see docs/security.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from ...policy.errors import RegexRejected

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_C = sre_constants
#: Repetitions with an upper bound above this count as "unbounded" for the analysis.
_REPEAT_THRESHOLD = 10
#: Characters used to test whether two character classes overlap.
_SAMPLE = [chr(i) for i in range(256)] + ["é", "ß", "中", "٣", "\u2003"]
_ALL = frozenset(range(len(_SAMPLE)))
_ALL_BUT_NEWLINE = _ALL - {10}
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT}
_POSSESSIVE = getattr(_C, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(_C, "ATOMIC_GROUP", None)


def _literal_index(code: int) -> frozenset[int]:
    return frozenset(i for i, ch in enumerate(_SAMPLE) if ord(ch) == code)


def _category_test(category: Any) -> Callable[[str], bool]:
    tests: dict[Any, Callable[[str], bool]] = {
        _C.CATEGORY_DIGIT: str.isdigit,
        _C.CATEGORY_NOT_DIGIT: lambda c: not c.isdigit(),
        _C.CATEGORY_SPACE: str.isspace,
        _C.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
        _C.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
        _C.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
    }
    return tests.get(category, lambda c: True)


def _charset_of_in(items: Iterable[Any]) -> frozenset[int]:
    negate = False
    tests: list[Callable[[str], bool]] = []
    for op, av in items:
        if op is _C.NEGATE:
            negate = True
        elif op is _C.LITERAL:
            tests.append(lambda c, v=av: ord(c) == v)
        elif op is _C.RANGE:
            tests.append(lambda c, lo=av[0], hi=av[1]: lo <= ord(c) <= hi)
        elif op is _C.CATEGORY:
            tests.append(_category_test(av))
        else:  # RANGE_UNI_IGNORE, CHARSET, BIGCHARSET …: assume anything
            return _ALL
    matched = {i for i, ch in enumerate(_SAMPLE) if any(t(ch) for t in tests)}
    return frozenset(_ALL - matched) if negate else frozenset(matched)


def _charset(items: Iterable[Any]) -> frozenset[int]:
    """Union of the characters a sequence of regex items may consume (approximated)."""
    found: set[int] = set()
    for op, av in items:
        if op is _C.LITERAL:
            found.update(_literal_index(av))
        elif op is _C.NOT_LITERAL:
            found |= _ALL - _literal_index(av)
        elif op is _C.IN:
            found |= _charset_of_in(av)
        elif op is _C.ANY:
            found |= _ALL_BUT_NEWLINE
        elif op in (_C.CATEGORY, _C.GROUPREF):
            return _ALL
        elif op in _REPEATS or op is _POSSESSIVE:
            found |= _charset(av[2])
        elif op is _C.SUBPATTERN:
            found |= _charset(av[-1])
        elif op is _C.BRANCH:
            for branch in av[1]:
                found |= _charset(branch)
        elif op is _ATOMIC:
            found |= _charset(av)
    return frozenset(found)


def _min_width(items: Any) -> int:
    try:
        return items.getwidth()[0]
    except AttributeError:
        return sre_parse.SubPattern(sre_parse.State(), list(items)).getwidth()[0]


def _is_unbounded_repeat(op: Any, av: Any) -> bool:
    return op in _REPEATS and av[1] > _REPEAT_THRESHOLD


def _sequences(items: Any) -> list[list[Any]]:
    """The alternative item sequences a repetition body can take (groups flattened)."""
    sequences: list[list[Any]] = [[]]
    for op, av in items:
        if op is _C.SUBPATTERN:
            inner = _sequences(av[-1])
            sequences = [seq + alt for seq in sequences for alt in inner][:64]
        elif op is _C.BRANCH:
            alternatives = [alt for branch in av[1] for alt in _sequences(branch)]
            sequences = [seq + alt for seq in sequences for alt in alternatives][:64]
        else:
            for seq in sequences:
                seq.append((op, av))
    return sequences


def _body_is_ambiguous(body: Any) -> bool:
    """Can one round of this repetition body be split between rounds in many ways?"""
    for sequence in _sequences(body):
        inner = [(op, av) for op, av in sequence if _is_unbounded_repeat(op, av)]
        inner = [(op, av) for op, av in inner if _min_width(av[2]) > 0 or _charset(av[2])]
        if not inner:
            continue
        mandatory = [item for item in sequence if item not in inner and _min_width([item]) > 0]
        for repeat in inner:
            # one inner repetition can run across round boundaries if every mandatory item of
            # the body could also be consumed by it
            chars = _charset([repeat])
            if all(_charset([item]) & chars for item in mandatory):
                return True
    return False


def _walk(items: Any) -> str | None:
    for op, av in items:
        if op in _REPEATS:
            if _is_unbounded_repeat(op, av) and _body_is_ambiguous(av[2]):
                return "a repetition whose body is itself an unbounded repetition"
            found = _walk(av[2])
            if found:
                return found
        elif op is _C.SUBPATTERN:
            found = _walk(av[-1])
            if found:
                return found
        elif op is _C.BRANCH:
            for branch in av[1]:
                found = _walk(branch)
                if found:
                    return found
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            found = _walk(av[1])
            if found:
                return found
        elif op is _C.GROUPREF_EXISTS:
            for part in av[1:]:
                if part is not None:
                    found = _walk(part)
                    if found:
                        return found
        # possessive repeats and atomic groups never backtrack: nothing to check inside
    return None


@lru_cache(maxsize=512)
def _verdict(pattern: str | bytes, flags: int) -> str | None:
    return _walk(sre_parse.parse(pattern, flags))


def check_regex(pattern: Any, flags: int = 0) -> None:
    """Raise :class:`RegexRejected` if ``pattern`` can backtrack catastrophically."""
    if not isinstance(pattern, (str, bytes)):
        return
    try:
        problem = _verdict(pattern, int(flags))
    except RecursionError:
        problem = "a pattern nested too deeply to analyse"
    except Exception:
        return  # invalid pattern: let re.compile report it as usual
    if problem:
        raise RegexRejected(
            f"regular expression {pattern!r} has {problem}; it can take exponential time",
            "remove the nested repetition, e.g. (a+)+ -> a+, (\\w+\\s*)* -> [\\w\\s]*",
        )
