"""E-mail addresses: formats and hard negatives."""

from __future__ import annotations

import pytest

from athena_kernel.privacy import EntityType, detect


def emails(text: str) -> list[str]:
    return [text[s.start : s.end] for s in detect(text) if s.type is EntityType.EMAIL]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("contact alice@example.com today", "alice@example.com"),
        ("<Bob.Jones+tag@mail.example.co.uk>", "Bob.Jones+tag@mail.example.co.uk"),
        ('{"email": "first_last99@startup.ai"}', "first_last99@startup.ai"),
        ("mailto:ops@acme-corp.io", "ops@acme-corp.io"),
        ("user=o'x, e=ALICE@EXAMPLE.COM.", "ALICE@EXAMPLE.COM"),
        ("usuario@empresa.com.py", "usuario@empresa.com.py"),
        ("email ünal@example.com,", "ünal@example.com"),
        ("联系 李雷@example.cn。", "李雷@example.cn"),
    ],
)
def test_finds_email_addresses(text: str, expected: str) -> None:
    assert emails(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "@property\ndef x(self): ...",
        "pip install numpy@2.4.0 and icon@2x.png",
        "git@github.com:acme/app.git",
        "postgres://admin:s3cret@db.internal:5432/app",  # the password is a SECRET, not an email
        "Message-ID: <CAK1abc.def@mail.gmail.com>",
        "<9ce2ed2a-f4ee-4d4d-ab94-57fa654944d5@mail.example.com>",
        "user@localhost and a@b",
    ],
)
def test_hard_negatives_are_not_emails(text: str) -> None:
    assert emails(text) == []


def test_a_long_run_before_the_at_sign_is_not_a_local_part() -> None:
    assert emails("x" * 100 + "@example.com") == []
