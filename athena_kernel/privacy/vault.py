"""The token vault: swaps detected values for stable tokens and back.

It lives in the trusted kernel only; nothing in it is reachable from user code (the kernel
hands user code a facade, never the vault).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from typing import Any

from .data_walk import map_strings
from .detector import CONTEXT_FREE_RULES, detect
from .entities import EntityType, Span
from .known_values import FEW_ANCHORS, KnownValues, TextWords, find_known
from .normalize import check_region, normalize
from .tokens import OVERFLOW_SUFFIX, TOKEN_PATTERN, format_token, overflow_token, overlaps_token

log = logging.getLogger(__name__)

#: Default cap on distinct values a vault holds.
DEFAULT_MAX_ENTRIES = 50_000


class Vault:
    """Tokens for PII and secrets, stable for the vault's lifetime, and the real values behind
    them.

    - ``tokenize(text)`` replaces every detected value by ``[TYPE_N]``. The token is keyed on
      the normalised value, so ``Alice@X.com`` and ``alice@x.com`` share one token, and so do
      ``+1 415 555 0100`` and ``(415) 555-0100``. Tokens already in the text are left alone
      (tokenizing twice changes nothing). A second pass then replaces the values the vault
      learnt from their context (a name from a JSON key, a password after ``password=``)
      wherever they appear again, where the detector alone would not find them.
    - ``detokenize(text)`` puts real values back and reports tokens it does not know.
    - ``max_entries`` bounds the vault: once it holds that many values, a new value is still
      redacted but as ``[TYPE_REDACTED]`` and not stored (so it cannot be swapped back);
      known values keep their tokens. ``stats()["overflowed"]`` counts such values.

    Thread-safe: one lock guards the tables; detection and text rebuilding run outside it.
    """

    def __init__(
        self,
        default_region: str = "US",
        max_entries: int = DEFAULT_MAX_ENTRIES,
        *,
        min_known_length: int = 3,
    ) -> None:
        if not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError(f"max_entries={max_entries!r}: give a positive int")
        if not isinstance(min_known_length, int) or min_known_length < 1:
            raise ValueError(f"min_known_length={min_known_length!r}: give a positive int")
        self.default_region = check_region(default_region)
        self.max_entries = max_entries
        self.min_known_length = min_known_length
        self._lock = threading.RLock()
        self._by_key: dict[tuple[EntityType, str], str] = {}
        self._values: dict[str, str] = {}  # token -> real value (first form seen)
        self._counters: Counter[EntityType] = Counter()
        self._known = KnownValues()
        self._overflowed = 0

    @classmethod
    def from_settings(cls, settings: Any) -> Vault:
        """A vault configured from ``AthenaSettings`` (``pii_default_region``,
        ``pii_vault_max_entries``; defaults ``"US"`` and 50,000 where a setting is missing)."""
        return cls(
            default_region=getattr(settings, "pii_default_region", "US"),
            max_entries=getattr(settings, "pii_vault_max_entries", DEFAULT_MAX_ENTRIES),
        )

    # ------------------------------------------------------------------------------ tokenize
    def tokenize(self, text: str) -> str:
        """``text`` with every detected or already-known value replaced by its token."""
        if not isinstance(text, str):
            raise TypeError(f"tokenize(text) needs a str, got {type(text).__name__}")
        if not text:
            return text
        spans = detect(text)
        with self._lock:
            tokens = [self._token_for(s, text[s.start : s.end]) for s in spans]
        if spans:
            pieces: list[str] = []
            pos = 0
            for span, token in zip(spans, tokens):
                pieces.append(text[pos : span.start])
                pieces.append(token)
                pos = span.end
            pieces.append(text[pos:])
            text = "".join(pieces)
        return self._replace_known(text)

    def _replace_known(self, text: str) -> str:
        if not len(self._known):
            return text
        words = TextWords(text)
        if self._known.anchors > FEW_ANCHORS:
            _ = words.words  # split the text before taking the lock
        with self._lock:
            candidates = self._known.candidates(words)
        if not candidates:
            return text
        hits = find_known(text, candidates)
        if not hits:
            return text
        pieces: list[str] = []
        pos = 0
        for start, end, token in hits:
            if overlaps_token(text, start, end):
                continue  # inside a token: never re-tokenize
            pieces.append(text[pos:start])
            pieces.append(token)
            pos = end
        pieces.append(text[pos:])
        return "".join(pieces)

    def _token_for(self, span: Span, value: str) -> str:
        """The token of ``value`` (caller holds the lock); a new one if it is new. Values found
        only thanks to their context are remembered for the second pass."""
        entity_type = span.type
        key = (entity_type, normalize(entity_type, value, self.default_region))
        token = self._by_key.get(key)
        if token is None:
            if len(self._values) >= self.max_entries:
                if not self._overflowed:
                    log.warning(
                        "PII vault is full (%d values): new values are redacted as "
                        "[TYPE_%s] and cannot be swapped back",
                        self.max_entries,
                        OVERFLOW_SUFFIX,
                    )
                self._overflowed += 1
                return overflow_token(entity_type)
            self._counters[entity_type] += 1
            token = format_token(entity_type, self._counters[entity_type])
            self._by_key[key] = token
            self._values[token] = value
        if (
            span.rule not in CONTEXT_FREE_RULES
            and len(value.strip()) >= self.min_known_length
            and len(self._known) < 4 * self.max_entries
        ):
            self._known.add(value, token)
        return token

    def tokenize_data(self, data: Any) -> Any:
        """A copy of JSON-like ``data`` with every string (dict keys too) tokenized; numbers,
        booleans and ``None`` unchanged."""
        return map_strings(data, self.tokenize)

    # ---------------------------------------------------------------------------- detokenize
    def detokenize(self, text: str) -> tuple[str, list[str]]:
        """``(text with known tokens replaced by their real values, unknown tokens)``.

        Unknown tokens (never issued by this vault, or ``[TYPE_REDACTED]``) stay as they are
        and are listed once each, in order of appearance, so the caller can warn.
        """
        if not isinstance(text, str):
            raise TypeError(f"detokenize(text) needs a str, got {type(text).__name__}")
        if "[" not in text:
            return text, []
        unknown: list[str] = []

        def swap(m: Any) -> str:
            token = m.group()
            with self._lock:
                value = self._values.get(token)
            if value is None:
                if token not in unknown:
                    unknown.append(token)
                return token
            return value

        return TOKEN_PATTERN.sub(swap, text), unknown

    def detokenize_data(self, data: Any) -> tuple[Any, list[str]]:
        """``detokenize`` over JSON-like ``data`` (dict keys and values, lists, tuples)."""
        unknown: list[str] = []

        def swap(text: str) -> str:
            out, missing = self.detokenize(text)
            unknown.extend(t for t in missing if t not in unknown)
            return out

        return map_strings(data, swap), unknown

    # ---------------------------------------------------------------------------- inspection
    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    def __contains__(self, token: object) -> bool:
        with self._lock:
            return token in self._values

    def stats(self) -> dict[str, Any]:
        """Counts only, never values: ``{"entries", "by_type", "known_forms", "max_entries",
        "overflowed", "default_region"}``."""
        with self._lock:
            return {
                "entries": len(self._values),
                "by_type": {t.value: n for t, n in sorted(self._counters.items()) if n},
                "known_forms": len(self._known),
                "max_entries": self.max_entries,
                "overflowed": self._overflowed,
                "default_region": self.default_region,
            }

    def clear(self) -> None:
        """Forget every value and restart numbering (previously issued tokens become unknown)."""
        with self._lock:
            self._by_key.clear()
            self._values.clear()
            self._counters.clear()
            self._known.clear()
            self._overflowed = 0

    def __repr__(self) -> str:
        return f"<Vault entries={len(self)} max_entries={self.max_entries}>"

    def __reduce__(self) -> Any:
        raise TypeError("a Vault cannot be pickled or copied: its values stay in the kernel")
