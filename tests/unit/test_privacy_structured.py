"""PERSON and ADDRESS where structure gives them away: keys, fields, labels, headers, tables."""

from __future__ import annotations

import pytest

from athena_kernel.privacy import EntityType, detect


def people(text: str) -> list[str]:
    return [text[s.start : s.end] for s in detect(text) if s.type is EntityType.PERSON]


def addresses(text: str) -> list[str]:
    return [text[s.start : s.end] for s in detect(text) if s.type is EntityType.ADDRESS]


def frame(cols: list[str], rows: list[list[object]]) -> str:
    """The layout of ``DataFrame.to_string()``: right-aligned cells, two-space gaps."""
    cells = [[str(v) for v in row] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(cols)]
    iw = len(str(len(rows) - 1))
    lines = [" " * iw + "".join("  " + c.rjust(w) for c, w in zip(cols, widths))]
    for i, row in enumerate(cells):
        lines.append(str(i).ljust(iw) + "".join("  " + v.rjust(w) for v, w in zip(row, widths)))
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"name": "Alice Smith", "email": "a@x.com"}', ["Alice Smith"]),
        ("{'customer_name': 'bob jones', 'id': 3}", ["bob jones"]),
        ('{"first_name": "Zoë", "last_name": "Dvořák"}', ["Zoë", "Dvořák"]),
        ("user=7 customer_name=Alice status=ok", ["Alice"]),
        ("Person(name='Jean-Luc Picard', age=59)", ["Jean-Luc Picard"]),
        ("Name: Toshimi Arata\nPhone: 0490 75 40 81", ["Toshimi Arata"]),
        ("First Name: Alice\nLast Name: O'Brien", ["Alice", "O'Brien"]),
        ('author = "Ludwig van Beethoven"', ["Ludwig van Beethoven"]),
        ("Author: Alice Smith <alice@example.com>\nDate: Mon", ["Alice Smith"]),
        ('"patientName": "Smith, Alice"', ["Smith, Alice"]),
    ],
)
def test_person_from_fields(text: str, expected: list[str]) -> None:
    assert people(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "Super Widget", "price": 9.99}',  # a product: no person hint in the record
        '{"name": "my-dataset", "rows": 10}',
        "file_name=report.csv model_name=Llama",
        "def f(name=None): ...",
        '{"name": "Alice Smith"}\n\n{"sku": "X", "email": "ops@example.com"}',  # other record
        "username=jdoe42",
        "Billing address: Sara Schwarz",
    ],
)
def test_person_hard_negatives(text: str) -> None:
    assert people(text) == [] and addresses(text) == []


def test_addresses_from_fields() -> None:
    assert addresses("Address: 1 Main St, Springfield, IL 62704\n") == [
        "1 Main St, Springfield, IL 62704"
    ]
    assert addresses('"billing_address": "12 Rue de la Paix, Paris"') == [
        "12 Rue de la Paix, Paris"
    ]
    assert addresses('{"street": "Hauptstraße 5"}') == ["Hauptstraße 5"]
    for text in (
        '{"address": "0x7ffd5e8c"}',
        '{"ip_address": "10.0.0.1"}',
        '{"address": "localhost:8080"}',
        "remote_addr=10.0.0.1",
        '{"address": "Main"}',
    ):
        assert addresses(text) == [], text


def test_mail_headers() -> None:
    text = (
        'From: "Smith, Alice" <alice@x.com>\nTo: Bob Jones <bob@y.org>, carol@z.com '
        "(Carol White), support@x.com\nCc: GitHub <noreply@github.com>\nSubject: hi Dave Brown"
    )
    assert people(text) == ["Smith, Alice", "Bob Jones", "Carol White"]
    assert people('{"From": "Alice Smith <alice@x.com>"}') == ["Alice Smith"]


def test_csv_tsv_and_pipe_tables() -> None:
    csv = 'id,name,email,city\n1,Alice Smith,alice@x.com,Paris\n2,"Jones, Bob",bob@y.com,Rome\n\n'
    assert people(csv) == ["Alice Smith", "Jones, Bob"]
    tsv = "name\tphone\nAlice Smith\t020 7946 0958\n"
    assert [(s.type.value, tsv[s.start : s.end]) for s in detect(tsv)] == [
        ("PERSON", "Alice Smith"),
        ("PHONE", "020 7946 0958"),
    ]
    md = (
        "| first_name | last_name | age |\n|---|---|---|\n"
        "| Alice | Smith | 30 |\n| Bob | Jones | 41 |\n"
    )
    assert people(md) == ["Alice", "Smith", "Bob", "Jones"]
    products = "product,name,price\n1,Super Widget,9.99\n2,Desk Lamp,19.99\n"
    assert people(products) == []


def test_dataframe_layouts() -> None:
    text = frame(
        ["customer_name", "age", "address"],
        [["Alice Smith", 34, "1 Main St, Springfield"], ["Bob Jones", 51, "12 Rue Cler"]],
    )
    assert people(text) == ["Alice Smith", "Bob Jones"]
    assert addresses(text) == ["1 Main St, Springfield", "12 Rue Cler"]
    generic = frame(
        ["name", "email", "age"], [["Alice Smith", "alice@x.com", 34], ["Bob", "None", 51]]
    )
    assert people(generic) == ["Alice Smith", "Bob"]
    scores = frame(["name", "score"], [["Alice Smith", 0.93], ["Bob Jones", 0.71]])
    assert people(scores) == []  # a generic "name" column without person hints in the header
