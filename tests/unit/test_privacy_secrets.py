"""Secrets: provider keys, JWTs, PEM keys, auth headers, URL passwords, secret fields."""

from __future__ import annotations

import base64
import random

import pytest

from athena_kernel.privacy import EntityType, credentials, detect
from athena_kernel.privacy.field_names import FieldKind, classify_field


def secrets(text: str) -> list[str]:
    return [text[s.start : s.end] for s in detect(text) if s.type is EntityType.SECRET]


KEYS = {
    "aws": "AKIAIOSFODNN7EXAMPLE",
    "github": "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5",
    "github_pat": "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv",
    "gitlab": "glpat-xY3zA5bC7dE9fG1hJ3kL",
    "slack": "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "stripe": "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "openai": "sk-proj-Ab3De5Gh7Jk9Mn1Pq3St5Vw7Yz9Bc1Ef3Gh5Jk7",
    "google": "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
    "sendgrid": "SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq",
    "huggingface": "hf_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3",
    "npm": "npm_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5",
}


@pytest.mark.parametrize("name", sorted(KEYS))
def test_provider_keys_anywhere(name: str) -> None:
    key = KEYS[name]
    assert secrets(f"using {key} now") == [key]
    assert secrets(f'{{"k": "{key}"}}') == [key]


def test_provider_prefix_inside_a_word_is_not_a_key() -> None:
    assert secrets("xAKIAIOSFODNN7EXAMPLE and scikit-learn sk-learn-contrib-helpers") == []


def test_jwt() -> None:
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    payload = base64.urlsafe_b64encode(b'{"sub":"1234567890"}').decode().rstrip("=")
    jwt = f"{header}.{payload}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    assert secrets(f"token {jwt}!") == [jwt]


def test_pem_private_key_block_whole_and_truncated() -> None:
    block = (
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabcDEF+/==\n"
        "-----END RSA PRIVATE KEY-----"
    )
    assert secrets(f"key:\n{block}\nnext") == [block]
    escaped = block.replace("\n", "\\n")  # inside a JSON string
    assert secrets(f'{{"private_key": "{escaped}"}}') == [escaped]
    truncated = (
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7"
    )
    assert secrets(truncated + "\n") == [truncated]
    assert secrets("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n-----END PUBLIC KEY-----") == []


def test_authorization_headers() -> None:
    assert secrets("Authorization: Bearer abc123DEF456ghi789JKL") == ["abc123DEF456ghi789JKL"]
    basic = base64.b64encode(b"alice:s3cret-pass").decode()
    assert secrets(f"Authorization: Basic {basic}") == [basic]
    assert secrets(f"curl -H 'Basic {basic}'") == [basic]
    assert secrets("headers={'authorization': 'Token 9f8e7d6c5b4a3928'}") == ["9f8e7d6c5b4a3928"]
    assert secrets("Authorization: Bearer") == []
    assert secrets("Basic usage of the API") == []


def test_password_in_url() -> None:
    text = "DATABASE_URL=postgres://svc:Xk9-pq2.Zr@db.internal:5432/main"
    assert secrets(text) == ["Xk9-pq2.Zr"]
    assert secrets("redis://:hunter2@cache:6379/0") == ["hunter2"]
    assert secrets("https://user:****@example.com/") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("password=hunter2", "hunter2"),
        ("DB_PASSWORD=correct-horse-9", "correct-horse-9"),
        ('{"api_key": "a8Fj3kL9qPz2Xw7"}', "a8Fj3kL9qPz2Xw7"),
        ("{'password': 'correct horse battery'}", "correct horse battery"),
        (
            "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        ("X-Api-Key: 9f8e7d6c5b4a39281706", "9f8e7d6c5b4a39281706"),
        ("client_secret: 'Zq8-Lm3_Rt7-Vx1'", "Zq8-Lm3_Rt7-Vx1"),
        ("session_id=8f14e45fceea167a5a36dedd4bea2543", "8f14e45fceea167a5a36dedd4bea2543"),
        ("PGPASSWORD=&FDwSVrXx69p", "&FDwSVrXx69p"),
        ("run --password s3cret! --verbose", "s3cret!"),
        ("run --token=abcDEF123456ghiJKL", "abcDEF123456ghiJKL"),
    ],
)
def test_secret_fields(text: str, value: str) -> None:
    assert secrets(text) == [value]


@pytest.mark.parametrize(
    "text",
    [
        "max_tokens=1024 token_count=58 num_tokens: 3",
        "token_type=bearer",
        "password: ********",
        "secret=${SECRET}",
        "password=<your-password>",
        'token = os.environ["TOKEN"]',
        "password = getpass()",
        "api_key=settings.API_KEY",
        "KeyError: 'token'",
        "Invalid token: expired",
        "auth: none",
        "pass=12 fail=0",
        "secret: production",
        "PASSWORD_MIN_LENGTH=12",
        "password_hash=pbkdf2",
        "token: [SECRET_3]",
    ],
)
def test_secret_field_hard_negatives(text: str) -> None:
    assert secrets(text) == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("password", FieldKind.PASSWORD),
        ("PGPASSWORD", FieldKind.PASSWORD),
        ("AWS_SECRET_ACCESS_KEY", FieldKind.SECRET),
        ("apiKey", FieldKind.SECRET),
        ("X-Api-Key", FieldKind.SECRET),
        ("access_token", FieldKind.SECRET),
        ("max_tokens", None),
        ("token_count", None),
        ("token_type", None),
        ("primary_key", None),
        ("customer_name", FieldKind.PERSON),
        ("firstName", FieldKind.PERSON),
        ("name", FieldKind.PERSON_GENERIC),
        ("file_name", None),
        ("billing_address", FieldKind.ADDRESS),
        ("ip_address", None),
        ("address", FieldKind.ADDRESS_GENERIC),
        ("Reply-To", FieldKind.MAIL_HEADER),
        ("phone", FieldKind.PHONE),
        ("phone_verified", None),
    ],
)
def test_field_name_classification(name: str, kind: FieldKind | None) -> None:
    assert classify_field(name) is kind


def test_code_or_prose_under_a_secret_named_key_is_not_a_secret() -> None:
    # an API catalogue's "signature" field holds a function signature, not a credential
    text = '{"signature": "relate(source: str, target: str, *, strength: float = 1.0) -> Relation"}'
    assert [s for s in detect(text) if s.type == "SECRET"] == []
    text = 'token: "the token expires after ten minutes of inactivity"'
    assert [s for s in detect(text) if s.type == "SECRET"] == []
    # single tokens (and scheme + token) still count
    key = '{"signature": "a9F3kLq8Zp2Xw7Rt5Yv1Bn4Mc6Dh0Gj"}'
    assert [s.type for s in detect(key)] == ["SECRET"]


# ------------------------------------------------------------------- the one literal scan
def _overlapping_literals() -> list[str]:
    """Texts where two literals overlap ("_test_test_", "https://discordop_v1_", "ASIASIA"),
    each followed by plausible key bodies."""
    out = []
    for a in credentials.LITERALS:
        for b in credentials.LITERALS:
            for k in range(1, len(a)):
                if a[k:].startswith(b) or b.startswith(a[k:]):
                    both = (a[:k] + b if len(b) >= len(a) - k else a).decode()
                    out += [both + "b-" + "A1b2" * 10, both + "KIA" + "ABCD2345" * 2]
    assert out  # there are some: the case is real
    return out


def _each_rule_alone(raw: bytes) -> list[tuple[int, tuple[int, int]]]:
    found = [
        (i, m.span())
        for i, (_, _, pattern, _) in enumerate(credentials._BY_LITERAL_RULES)
        for m in pattern.finditer(raw)
    ]
    return sorted(found, key=lambda hit: (hit[1], hit[0]))


def test_literal_hits_are_every_occurrence() -> None:
    for text in _overlapping_literals():
        raw = text.encode()
        expected = sorted(
            (i, lit)
            for lit in credentials.LITERALS
            for i in range(len(raw))
            if raw.startswith(lit, i)
        )
        assert credentials.literal_hits(raw) == expected, text


def test_literal_scan_finds_what_each_pattern_finds_alone() -> None:
    rng = random.Random(8)
    pieces = [lit.decode() for lit in credentials.LITERALS] + [
        "A" * 16, "Ab3" * 12, "x", " ", "-", "_", ".", "=", ":", "Bearer ", "Authorization: ",
        "sk", "rk_", "dGVzdDpwYXNz", "0123456789abcdef" * 4, "\n", "é", *_overlapping_literals(),
    ]  # fmt: skip
    for _ in range(3000):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))).encode("latin-1")
        got = sorted(
            ((i, m.span()) for i, m in credentials._literal_matches(raw)),
            key=lambda hit: (hit[1], hit[0]),
        )
        assert got == _each_rule_alone(raw), raw
