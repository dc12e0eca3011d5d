"""Quality on labelled data: the generated kernel-shaped corpus (bench/pii_corpus.py) and, when
the shared evaluation data is present, presidio-research. These guard against regressions; the
full figures are printed by bench/pii_bench.py."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from athena_kernel.privacy import Vault, detect

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from pii_corpus import generate  # noqa: E402

PRESIDIO = Path("/work/shared/data/pii/presidio_research.jsonl")
STRUCTURED = ("EMAIL", "PHONE", "CREDIT_CARD", "US_SSN", "IBAN", "IP_ADDRESS", "SECRET")


def _scores(records: list[dict]) -> dict[str, tuple[float, float]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for rec in records:
        gold = [(s["start"], s["end"], s["type"]) for s in rec["spans"]]
        matched: set[int] = set()
        for span in detect(rec["text"]):
            t = span.type.value
            hit = next(
                (
                    i
                    for i, (gs, ge, gt) in enumerate(gold)
                    if gt == t and i not in matched and span.start < ge and gs < span.end
                ),
                None,
            )
            if hit is None:
                counts[t][1] += 1
            else:
                matched.add(hit)
                counts[t][0] += 1
        for i, (_, _, gt) in enumerate(gold):
            if i not in matched:
                counts[gt][2] += 1
    return {
        t: (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)
        for t, (tp, fp, fn) in counts.items()
    }


def test_generator_is_deterministic_and_labels_are_exact() -> None:
    a, b = generate(60), generate(60)
    assert a == b
    spans = sum(len(r["spans"]) for r in generate(450))
    assert spans >= 1000
    for rec in a:
        for span in rec["spans"]:
            value = rec["text"][span["start"] : span["end"]]
            assert value and value == value.strip()


def test_structured_types_on_own_corpus() -> None:
    scores = _scores(generate(450, seed=99))  # a different seed than the benchmark's
    for t in STRUCTURED:
        precision, recall = scores[t]
        # the set holds national phone numbers with no cue on purpose (about 2% of the phones,
        # varying with the seed): they are missed by design, so PHONE recall gets some slack
        floor = 0.95 if t == "PHONE" else 0.97
        assert precision >= 0.97 and recall >= floor, (t, precision, recall)


@pytest.mark.skipif(not PRESIDIO.exists(), reason="shared evaluation data not present")
def test_structured_recall_on_presidio_research() -> None:
    with PRESIDIO.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    scores = _scores(records)
    for t in ("EMAIL", "PHONE", "CREDIT_CARD", "US_SSN", "IBAN", "IP_ADDRESS"):
        assert scores[t][1] >= 0.90, (t, scores[t])


def test_tokenized_corpus_is_idempotent_and_round_trips() -> None:
    vault = Vault()
    for rec in generate(150, seed=7):
        text = rec["text"]
        shown = vault.tokenize(text)
        assert vault.tokenize(shown) == shown
        back, unknown = vault.detokenize(shown)
        assert unknown == []
        assert vault.tokenize(back) == shown
        for span in detect(text):  # no detected value survives tokenization
            value = text[span.start : span.end]
            if len(value) >= 6:
                assert value not in shown, (span.type, value)
