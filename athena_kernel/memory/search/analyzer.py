"""Text analysis: the same pipeline turns documents and queries into index terms.

Pipeline: unicode folding (NFKC, case folding, accents stripped from Latin/Greek/Cyrillic
letters, curly apostrophes straightened) -> word tokens (letters and digits; ``_`` and
punctuation split) -> stop words dropped -> possessive ``'s`` and other apostrophes removed ->
irregular forms mapped to their base (went -> go) -> Porter2 stemming of plain ASCII words.
Runs of CJK or Thai characters, written without spaces, become overlapping character bigrams so
a query matches inside them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from .irregular import IRREGULAR_FORMS
from .stemmer import stem as porter2_stem
from .stopwords import ENGLISH_STOP_WORDS

__all__ = ["Analyzer", "AnalyzerConfig"]

#: A token: letters/digits, optionally joined by single apostrophes (don't, o'neil, caroline's).
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
#: The same pattern for lower-cased ASCII text (faster; identical matches on ASCII input).
_ASCII_TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
#: Scripts written without spaces between words: Han, Hiragana, Katakana, Thai, Lao, Khmer.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1780-\u17ff"
_UNSPACED_RUN_RE = re.compile(f"[{_UNSPACED}]+|[^{_UNSPACED}]+")
_HAS_UNSPACED_RE = re.compile(f"[{_UNSPACED}]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\uff07": "'"})
#: Letters up to the end of the Cyrillic block lose their accents (é -> e, ά -> α, й -> и).
_FOLD_ACCENTS_BELOW = 0x0530
_ASCII_WORD_RE = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class AnalyzerConfig:
    """Options of the analysis pipeline (stored in snapshots: an index is tied to its analyzer)."""

    stem: bool = True  #: Porter2-stem ASCII words
    stopwords: bool = True  #: drop English stop words
    fold: bool = True  #: unicode folding (accents, compatibility forms); lower-casing is always on
    irregular: bool = True  #: map irregular forms to their base (went -> go, children -> child)
    max_token_chars: int = 128  #: longer tokens (hashes, base64 blobs) are cut to this length

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form, for snapshots."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnalyzerConfig:
        """Inverse of :meth:`to_dict`; unknown keys are an error (a foreign snapshot)."""
        return cls(**data)


def fold_text(text: str) -> str:
    """Lower-case and fold ``text``: NFKC, casefold, accents off Latin/Greek/Cyrillic letters."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    out: list[str] = []
    base = 0
    for ch in decomposed:
        if unicodedata.combining(ch):
            if base < _FOLD_ACCENTS_BELOW:
                continue
        else:
            base = ord(ch)
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _bigrams(run: str) -> Iterator[str]:
    if len(run) == 1:
        yield run
        return
    for i in range(len(run) - 1):
        yield run[i : i + 2]


class Analyzer:
    """Turns text into index terms; documents and queries go through the same steps.

    ``Analyzer().terms("Caroline's dogs were running")`` -> ``["carolin", "dog", "run"]``.
    """

    def __init__(self, config: AnalyzerConfig | None = None) -> None:
        self.config = config or AnalyzerConfig()
        self._stop = ENGLISH_STOP_WORDS if self.config.stopwords else frozenset()
        self._irregular = IRREGULAR_FORMS if self.config.irregular else {}

    # ----------------------------------------------------------------- raw tokens
    def tokens(self, text: str) -> list[str]:
        """Folded word tokens of ``text`` before stop-word removal and stemming."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        if text.isascii():
            return _ASCII_TOKEN_RE.findall(text.lower())
        folded = fold_text(text) if self.config.fold else text.lower().translate(_APOSTROPHES)
        raw = _TOKEN_RE.findall(folded)
        if not _HAS_UNSPACED_RE.search(folded):
            return raw
        out: list[str] = []
        for token in raw:
            if not _HAS_UNSPACED_RE.search(token):
                out.append(token)
                continue
            for run in _UNSPACED_RUN_RE.findall(token):
                if _HAS_UNSPACED_RE.match(run):
                    out.extend(_bigrams(run))
                else:
                    out.append(run)
        return out

    # ----------------------------------------------------------------- one token -> term
    def term(self, token: str) -> str | None:
        """Index term of one folded token, or ``None`` for a stop word."""
        if token in self._stop:
            return None
        if "'" in token:
            if token.endswith("'s"):
                token = token[:-2]
            token = token.replace("'", "")
            if not token or token in self._stop:
                return None
        token = self._irregular.get(token, token)
        cap = self.config.max_token_chars
        if len(token) > cap:
            token = token[:cap]
        if self.config.stem and token.isascii() and _ASCII_WORD_RE.fullmatch(token):
            return porter2_stem(token)
        return token

    def terms(self, text: str) -> list[str]:
        """Index terms of ``text`` in order (stop words removed): what gets indexed/searched."""
        out: list[str] = []
        for token in self.tokens(text):
            t = self.term(token)
            if t is not None:
                out.append(t)
        return out
