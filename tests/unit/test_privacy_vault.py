"""The token vault: stable tokens, normalisation, idempotence, the second pass, detokenize,
JSON-like data, the cap and thread safety."""

from __future__ import annotations

import pickle
import random
import re
import threading

import pytest

from athena_kernel.privacy import Vault
from athena_kernel.privacy.tokens import TOKEN_PATTERN, overlaps_token, token_ranges

TOKEN = re.compile(r"\[[A-Z_]+_(?:\d+|REDACTED)\]")


def test_tokens_are_per_type_and_stable() -> None:
    vault = Vault()
    out = vault.tokenize("mail alice@example.com and bob@example.com, call +1 415 555 0100")
    assert out == "mail [EMAIL_1] and [EMAIL_2], call [PHONE_1]"
    assert vault.tokenize("again bob@example.com") == "again [EMAIL_2]"
    assert len(vault) == 3


def test_offsets_hold_with_characters_outside_latin1() -> None:
    vault = Vault()
    text = "😀 日本語 name: Ünal Öztürk, 電話 +81 3-1234-5678 \udcff end alice@x.com 🎉"
    shown = "😀 日本語 name: [PERSON_1], 電話 [PHONE_1] \udcff end [EMAIL_1] 🎉"
    assert vault.tokenize(text) == shown


def test_one_value_in_two_formats_gets_one_token() -> None:
    vault = Vault()
    assert vault.tokenize("Alice@X.com") == "[EMAIL_1]"
    assert vault.tokenize("alice@x.com") == "[EMAIL_1]"
    assert vault.tokenize("+1 415 555 0100") == "[PHONE_1]"
    assert vault.tokenize("(415) 555-0100") == "[PHONE_1]"
    assert vault.tokenize("4111 1111 1111 1111") == vault.tokenize("4111-1111-1111-1111")
    assert vault.tokenize("GB82 WEST 1234 5698 7654 32") == vault.tokenize("GB82WEST12345698765432")
    assert vault.tokenize("fe80:0:0:0:0:0:0:1") == vault.tokenize("fe80::1")


def test_default_region_normalises_national_numbers() -> None:
    gb = Vault(default_region="GB")
    assert gb.tokenize("Tel: 020 7946 0958") == "Tel: [PHONE_1]"
    assert gb.tokenize("+44 20 7946 0958") == "[PHONE_1]"
    us = Vault()  # the same national number read as a US one is another number
    us.tokenize("+44 20 7946 0958")
    assert us.tokenize("Tel: 020 7946 0958") == "Tel: [PHONE_2]"
    with pytest.raises(ValueError, match="default_region"):
        Vault(default_region="Mars")


def test_tokens_are_never_retokenized_and_tokenize_is_idempotent() -> None:
    vault = Vault()
    text = 'password=[SECRET_7] {"email": "[EMAIL_1]"} [PHONE_REDACTED] token: [SECRET_2]'
    assert vault.tokenize(text) == text
    raw = '{"name": "Alice Smith", "email": "alice@x.com", "password": "hunter22"}'
    once = vault.tokenize(raw)
    assert "Alice" not in once and "hunter22" not in once
    assert vault.tokenize(once) == once


def test_second_pass_finds_known_values_in_free_text() -> None:
    vault = Vault()
    vault.tokenize('{"customer_name": "Alice Smith", "email": "a@x.com"}')
    assert vault.tokenize("Alice Smith called yesterday.") == "[PERSON_1] called yesterday."
    vault.tokenize("password=Tr0ub4dor&3")
    assert (
        vault.tokenize("the old one was Tr0ub4dor&3, right") == "the old one was [SECRET_1], right"
    )
    # only whole words: a known value inside a longer word is left alone
    assert vault.tokenize("Alice Smithson") == "Alice Smithson"


def test_second_pass_in_the_same_output() -> None:
    vault = Vault()
    out = vault.tokenize('{"first_name": "Ingrid", "note": "x"}\nIngrid wrote this.')
    assert out == '{"first_name": "[PERSON_1]", "note": "x"}\n[PERSON_1] wrote this.'


def test_detokenize_round_trip_and_unknown_tokens() -> None:
    vault = Vault()
    original = "send to alice@example.com, key AKIAIOSFODNN7EXAMPLE"
    shown = vault.tokenize(original)
    assert shown == "send to [EMAIL_1], key [SECRET_1]"
    assert vault.detokenize(shown) == (original, [])
    text, unknown = vault.detokenize("[EMAIL_1] [EMAIL_9] [EMAIL_9] [PHONE_REDACTED] [NOT_A_TOKEN]")
    assert text == "alice@example.com [EMAIL_9] [EMAIL_9] [PHONE_REDACTED] [NOT_A_TOKEN]"
    assert unknown == ["[EMAIL_9]", "[PHONE_REDACTED]"]
    # the real value is what was first seen; printing it again gives the same token
    assert vault.tokenize(vault.detokenize("[EMAIL_1]")[0]) == "[EMAIL_1]"


def test_data_structures_keys_and_values() -> None:
    vault = Vault()
    data = {
        "alice@example.com": ["call +1 415 555 0100", ("AKIAIOSFODNN7EXAMPLE", 3)],
        "n": 1.5,
        "ok": True,
        "none": None,
        "nested": {"deep": [{"ip": "10.1.2.3"}]},
    }
    out = vault.tokenize_data(data)
    assert out == {
        "[EMAIL_1]": ["call [PHONE_1]", ("[SECRET_1]", 3)],
        "n": 1.5,
        "ok": True,
        "none": None,
        "nested": {"deep": [{"ip": "[IP_ADDRESS_1]"}]},
    }
    back, unknown = vault.detokenize_data({"q": ["[EMAIL_1]", "[EMAIL_5]"], "[PHONE_1]": 2})
    assert back == {"q": ["alice@example.com", "[EMAIL_5]"], "+1 415 555 0100": 2}
    assert unknown == ["[EMAIL_5]"]
    assert data["nested"]["deep"][0]["ip"] == "10.1.2.3"  # the input is not modified


def test_deeply_nested_data_does_not_recurse() -> None:
    vault = Vault()
    data: object = "alice@example.com"
    for _ in range(5000):
        data = [data]
    out = vault.tokenize_data(data)
    for _ in range(5000):
        assert isinstance(out, list)
        out = out[0]
    assert out == "[EMAIL_1]"


def test_cap_redacts_without_storing() -> None:
    vault = Vault(max_entries=2)
    assert vault.tokenize("a1@x.com a2@x.com a3@x.com a1@x.com") == (
        "[EMAIL_1] [EMAIL_2] [EMAIL_REDACTED] [EMAIL_1]"
    )
    assert len(vault) == 2
    assert vault.stats()["overflowed"] == 1
    assert vault.detokenize("[EMAIL_REDACTED]") == ("[EMAIL_REDACTED]", ["[EMAIL_REDACTED]"])
    with pytest.raises(ValueError, match="max_entries"):
        Vault(max_entries=0)


def test_stats_never_show_values_and_vault_cannot_be_pickled() -> None:
    vault = Vault()
    vault.tokenize("alice@example.com +1 415 555 0100 bob@example.com")
    stats = vault.stats()
    assert stats["entries"] == 3 and stats["by_type"] == {"EMAIL": 2, "PHONE": 1}
    assert "alice" not in repr(stats) and "alice" not in repr(vault)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(vault)


def test_bad_arguments_are_clear_errors() -> None:
    vault = Vault()
    with pytest.raises(TypeError, match="needs a str"):
        vault.tokenize(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="needs a str"):
        vault.detokenize(3)  # type: ignore[arg-type]


def test_from_settings_reads_optional_settings() -> None:
    class Settings:
        pii_default_region = "DE"
        pii_vault_max_entries = 7

    vault = Vault.from_settings(Settings())
    assert vault.default_region == "DE" and vault.max_entries == 7
    assert Vault.from_settings(object()).default_region == "US"


def test_clear_forgets_everything() -> None:
    vault = Vault()
    vault.tokenize("alice@example.com")
    vault.clear()
    assert len(vault) == 0
    assert vault.detokenize("[EMAIL_1]") == ("[EMAIL_1]", ["[EMAIL_1]"])


def test_threads_share_one_consistent_vault() -> None:
    vault = Vault()
    emails = [f"user{i}@example.com" for i in range(200)]
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            order = emails[n::4] + emails  # different threads meet the same values
            results[n] = [vault.tokenize(f"to {e}") for e in order]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(vault) == 200
    tokens = {vault.tokenize(f"to {e}") for e in emails}
    assert len(tokens) == 200  # one distinct token per value, whoever saw it first
    for n, out in results.items():
        order = emails[n::4] + emails
        for email, shown in zip(order, out):
            assert shown == vault.tokenize(f"to {email}")
            assert vault.detokenize(shown)[0] == f"to {email}"


def test_token_pattern_matches_every_type() -> None:
    from athena_kernel.privacy import EntityType

    for entity_type in EntityType:
        assert TOKEN_PATTERN.fullmatch(f"[{entity_type.value}_12]")
        assert TOKEN.fullmatch(f"[{entity_type.value}_REDACTED]")


def test_overlaps_token_agrees_with_a_full_scan() -> None:
    rng = random.Random(4)
    pieces = ["[EMAIL_1]", "[CREDIT_CARD_123456789]", "[IP_ADDRESS_REDACTED]", "[", "]", "x",
              "EMAIL", "_1", " ", "[[PERSON_2]]", "ab"]  # fmt: skip
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        ranges = token_ranges(text)
        for start in range(len(text)):
            for end in range(start + 1, min(len(text), start + 30) + 1):
                expected = any(s < end and start < e for s, e in ranges)
                assert overlaps_token(text, start, end) == expected, (text, start, end)


def test_find_known_on_re2_equals_the_python_trie() -> None:
    """RE2 with ASCII word boundaries plus the exact re-check gives what the Python trie gives,
    also next to non-ASCII letters, digits, underscores and lone surrogates."""
    from athena_kernel.privacy.known_values import _find_with_python, find_known

    rng = random.Random(6)
    words = ["Ann", "Ann Lee", "Lee", "Émile", "Zoë", "x_y", "a.b", "O'Neil", "Ann-Marie", "ß"]
    glue = [" ", "", "é", "_", "1", "-", ".", "\ud800", "\n", "a", "Ö"]
    for _ in range(3000):
        candidates = {w: f"[PERSON_{i}]" for i, w in enumerate(rng.sample(words, 4))}
        text = "".join(rng.choice(words + glue) for _ in range(rng.randint(1, 14)))
        assert find_known(text, candidates) == _find_with_python(text, candidates, 0), text
