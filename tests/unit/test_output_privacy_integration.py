"""The output filter with the real privacy package: cuts avoid detected values, and the vault's
tokenizer sees every value whole (never half of one split across batches or by a cut)."""

from __future__ import annotations

import pytest

from athena_kernel.output import OutputArchive, OutputFilter
from athena_kernel.output.cell import CellOutput
from athena_kernel.output.cuts import cut_point

privacy = pytest.importorskip("athena_kernel.privacy")

PHONE = "+1 415 555 0100"


def test_real_detector_keeps_a_cut_out_of_a_phone_number() -> None:
    text = "x" * 551 + "," + PHONE + "," + "y" * 400
    start = text.index(PHONE)
    inside = start + 7  # between "415" and "555"
    assert cut_point(text, inside, detector=None) in range(start + 1, start + len(PHONE))
    assert cut_point(text, inside) == start  # the default detector is the privacy package's


def _run(detector: object) -> str:
    vault = privacy.Vault()
    kwargs = {} if detector == "auto" else {"detector": detector}
    cell = CellOutput(
        execution_count=1,
        budget=1000,
        archive=OutputArchive(100_000),
        text_transform=vault.tokenize,
        **kwargs,  # type: ignore[arg-type]
    )
    # one long line whose head cut falls inside the phone number
    line = "x" * 551 + "," + PHONE + "," + "y" * 4000 + "\n"
    shown = [cell.stream("stdout", line) or ""]
    shown += [p.content["text"] for p in cell.finish()]
    return "".join(shown)


def test_head_cut_never_leaks_part_of_a_value() -> None:
    shown = _run("auto")
    assert "415" not in shown and "555" not in shown
    leaky = _run(None)  # whitespace-only cuts split the number: a fragment escapes tokenization
    assert "+1 415" in leaky


def test_vault_tokenizes_values_split_across_batches_and_archive_keeps_raw() -> None:
    vault = privacy.Vault()
    f = OutputFilter(max_output_chars=2000, text_transform=vault.tokenize)
    cell = f.begin("k", 3)
    out = [cell.stream("stdout", "mail alice.smi") or ""]
    out.append(cell.stream("stdout", "th@example.org please\n") or "")
    out += [p.content["text"] for p in cell.finish()]
    shown = "".join(out)
    assert "alice" not in shown and "[EMAIL_" in shown
    assert "alice.smith@example.org" in f.archive.get(3)
    assert "alice" not in f.output(3)
