"""PII tokenization through a real kernel: no raw value in any message, tokens round-trip."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.kernel

EMAIL = "alice.smith@example.com"
PHONE = "+1 415 555 0100"
CARD = "4111 1111 1111 1111"
SSN = "123-45-6789"
IBAN = "DE89 3704 0044 0532 0130 00"
KEY = "AKIAIOSFODNN7EXAMPLE"
RAW = [EMAIL, PHONE, CARD, SSN, IBAN, KEY, "4111111111111111", "DE89370400440532013000"]

SHAPES = f"""
record = {{"name": "Alice Smith", "email": "{EMAIL}", "phone": "{PHONE}", "card": "{CARD}",
          "ssn": "{SSN}", "iban": "{IBAN}"}}
print(record)
print(f"contact {EMAIL.upper()} or {PHONE}")
import json
print(json.dumps(record, indent=2))
print("aws_access_key_id={KEY}")
display({{"text/plain": "{EMAIL}", "text/html": "<b>{EMAIL}</b>"}}, raw=True)
[record, record]
"""


def _all_text(cell) -> str:
    return "\n".join(json.dumps(m["content"]) for m in cell.messages) + json.dumps(cell.reply)


def test_no_raw_value_reaches_any_message(agent_kernel):
    cell = agent_kernel.run(SHAPES)
    assert cell.ok, cell.text()
    text = _all_text(cell)
    for value in [*RAW, EMAIL.upper()]:
        assert value not in text, value
    assert "[EMAIL_" in text and "[PHONE_" in text and "[CREDIT_CARD_" in text


def test_errors_are_tokenized_too(agent_kernel):
    cell = agent_kernel.run(f"raise ValueError('bad customer {EMAIL}')")
    assert cell.status == "error"
    text = _all_text(cell)
    assert EMAIL not in text and "[EMAIL_" in text


def test_tokens_are_stable_across_cells_and_formats(agent_kernel):
    first = agent_kernel.run(f"print('{EMAIL}')").stdout.strip()
    again = agent_kernel.run(f"print('{EMAIL.upper()}')").stdout.strip()
    assert re.fullmatch(r"\[EMAIL_\d+\]", first)
    assert first == again


def test_token_round_trips_into_memory_as_the_real_value(agent_kernel):
    token = agent_kernel.run(f"print('{EMAIL}')").stdout.strip()
    saved = agent_kernel.run(f"m = memory.remember('Follow up with {token} re refund')\nm.id")
    assert saved.ok, saved.text()
    # what user code sees is the token, never the value
    shown = agent_kernel.run("memory.get(m.id).content")
    assert token in shown.value and EMAIL not in _all_text(shown)
    # searching by the token finds the memory (the query is detokenized too)
    found = agent_kernel.run(f"[h.id for h in memory.recall('{token} refund')] [:1] == [m.id]")
    assert found.value == "True", found.text()


def test_stored_value_is_the_real_one(agent_kernel, tmp_path):
    token = agent_kernel.run(f"print('{EMAIL}')").stdout.strip()
    cell = agent_kernel.run(f"memory.remember('real value check {token}').id")
    assert cell.ok
    mem_id = cell.value.strip("'")
    store = agent_kernel.run("memory.stats().store_bytes > 0")
    assert store.value == "True"
    # read the store from outside the kernel: the value is stored for real
    import os

    from athena_kernel import open_memory

    env_store = agent_kernel.env["ATHENA_STORE"]
    assert os.path.exists(env_store)
    outside = open_memory(env_store)
    assert EMAIL in outside.get(mem_id).content


def test_unknown_token_is_kept_with_a_warning(agent_kernel):
    cell = agent_kernel.run("memory.remember('ping [EMAIL_9999] later').content")
    assert cell.ok
    assert "[EMAIL_9999]" in cell.value
    assert "not a token this kernel issued" in cell.stderr
