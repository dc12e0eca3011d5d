"""Ranking: BM25+ scores match a straightforward reference, ordering sanity, typos, validation."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from collections import Counter

import pytest

from athena_kernel.memory.search import BM25Params, BM25Ranker, Ranker, SearchDoc


def doc(
    doc_id: int, text: str, layer: int = 0, ts: float = 0.0, tags: tuple[str, ...] = ()
) -> SearchDoc:
    return SearchDoc(doc_id, text, layer, ts, tags)


def reference_scores(ranker: BM25Ranker, docs: list[SearchDoc], query: str) -> dict[int, float]:
    """BM25+ written out plainly over the ranker's own analysis (float64, dicts)."""
    p = ranker.params
    analysed = {d.doc_id: ranker.analyzer.terms(" ".join((d.text, *d.tags))) for d in docs}
    n = len(docs)
    avgdl = sum(len(t) for t in analysed.values()) / n
    df = Counter(term for terms in analysed.values() for term in set(terms))
    scores: dict[int, float] = {}
    for term, qtf in Counter(ranker.analyzer.terms(query)).items():
        if not df[term]:
            continue
        idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
        for doc_id, terms in analysed.items():
            tf = terms.count(term)
            if tf:
                norm = tf * (p.k1 + 1) / (tf + p.k1 * (1 - p.b + p.b * len(terms) / avgdl))
                scores[doc_id] = scores.get(doc_id, 0.0) + qtf * idf * (norm + p.delta)
    return scores


WORDS = [
    *("apple", "banana", "cherry", "date", "elder", "fig", "grape"),
    *("honeydew", "kiwi", "lemon", "mango", "nectarine", "olive"),
]


@pytest.mark.parametrize("params", [BM25Params(), BM25Params(delta=0.0), BM25Params(k1=2.0, b=0.3)])
def test_scores_match_reference(params: BM25Params) -> None:
    rng = random.Random(5)
    docs = [
        doc(
            i,
            " ".join(
                rng.choice(WORDS[: rng.randint(3, len(WORDS))]) for _ in range(rng.randint(1, 30))
            ),
        )
        for i in range(300)
    ]
    ranker = BM25Ranker(params=params)
    for start in range(0, len(docs), 37):  # several segments
        ranker.add(docs[start : start + 37])
    for _ in range(40):
        query = " ".join(rng.sample(WORDS, rng.randint(1, 4)))
        ref = reference_scores(ranker, docs, query)
        hits = ranker.search(query, limit=15)
        assert len(hits) == min(15, len(ref))
        for doc_id, score in hits:
            assert score == pytest.approx(ref[doc_id], rel=1e-5)
        returned = {d for d, _ in hits}
        worst_returned = min(s for _, s in hits)
        best_left_out = max((s for d, s in ref.items() if d not in returned), default=-1.0)
        assert worst_returned >= best_left_out - 1e-4
        assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_rare_term_outranks_common_term() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(i, "weather report today") for i in range(20)])
    ranker.add([doc(100, "weather report volcano"), doc(101, "weather report weather")])
    hits = ranker.search("weather volcano")
    assert hits[0][0] == 100


def test_length_normalisation_prefers_shorter_doc() -> None:
    ranker = BM25Ranker()
    filler = " ".join(f"filler{i}" for i in range(40))
    ranker.add([doc(1, f"guitar {filler}"), doc(2, "guitar lessons"), doc(3, "piano")])
    assert [d for d, _ in ranker.search("guitar")] == [2, 1]


def test_repeated_term_saturates() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(1, "tea"), doc(2, "tea tea tea tea tea tea"), doc(3, "coffee")])
    s = dict(ranker.search("tea"))
    assert s[2] > s[1]
    assert s[2] < 2.2 * s[1]  # (k1 + 1) bound on tf growth


def test_more_distinct_query_terms_win() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(1, "red car"), doc(2, "red red red red bike"), doc(3, "blue boat")])
    assert ranker.search("red car")[0][0] == 1


def test_ties_break_by_lower_doc_id() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(i, "same words here") for i in (9, 3, 7, 5)])
    assert [d for d, _ in ranker.search("same words", limit=3)] == [3, 5, 7]


def test_tags_are_searchable_text() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(1, "meeting notes", tags=("projectx",)), doc(2, "meeting agenda")])
    assert [d for d, _ in ranker.search("projectx")] == [1]


def test_typo_in_query_is_corrected_at_reduced_weight() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(1, "education and psychology"), doc(2, "gardening tips")])
    hits = ranker.search("educaton")
    assert [d for d, _ in hits] == [1]
    exact = ranker.search("education")[0][1]
    assert hits[0][1] == pytest.approx(0.5 * exact, rel=1e-5)
    assert BM25Ranker(params=BM25Params(fuzzy=False)).search("educaton") == []
    strict = BM25Ranker(params=BM25Params(fuzzy=False))
    strict.add([doc(1, "education")])
    assert strict.search("educaton") == []


def test_known_words_are_never_corrected() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(1, "house"), doc(2, "horse")])
    assert [d for d, _ in ranker.search("horse")] == [2]


@pytest.mark.parametrize("query", ["", "   ", "the of and", "?!.,", "what when where"])
def test_queries_without_searchable_words_return_nothing(query: str) -> None:
    ranker = BM25Ranker()
    ranker.add([doc(1, "the of and what")])
    assert ranker.search(query) == []


def test_empty_index_and_limit_zero() -> None:
    ranker = BM25Ranker()
    assert ranker.search("anything") == []
    ranker.add([doc(1, "anything")])
    assert ranker.search("anything", limit=0) == []


def test_unicode_documents_and_queries() -> None:
    ranker = BM25Ranker()
    ranker.add(
        [
            doc(1, "Rendez-vous au café à Montréal"),
            doc(2, "東京タワーに行った"),
            doc(3, "Ελληνικά κείμενα"),
        ]
    )
    assert ranker.search("cafe montreal")[0][0] == 1
    assert ranker.search("CAFÉ")[0][0] == 1
    assert ranker.search("タワー")[0][0] == 2
    assert ranker.search("ελληνικα")[0][0] == 3


def test_huge_document() -> None:
    ranker = BM25Ranker()
    big = "needle " + "hay " * 200_000 + "needle"
    ranker.add([doc(1, big), doc(2, "needle in a small stack"), doc(3, "hay " * 70_000)])
    hits = dict(ranker.search("needle"))
    assert set(hits) == {1, 2}
    assert hits[2] > hits[1]
    assert ranker.search("hay")[0][0] in (1, 3)


def test_satisfies_ranker_protocol() -> None:
    assert isinstance(BM25Ranker(), Ranker)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"limit": -1}, ValueError, "limit"),
        ({"limit": 2.5}, TypeError, "limit"),
        ({"tags": "work"}, TypeError, "not a str"),
        ({"tags": [1]}, TypeError, "strings"),
        ({"layers": 3}, TypeError, "layers"),
        ({"layers": ["a"]}, TypeError, "layer"),
        ({"since": "2024-01-01"}, TypeError, "epoch seconds"),
        ({"until": float("nan")}, ValueError, "NaN"),
    ],
)
def test_bad_search_arguments_are_named(kwargs: dict, error: type, match: str) -> None:
    ranker = BM25Ranker()
    ranker.add([doc(1, "text")])
    with pytest.raises(error, match=match):
        ranker.search("text", **kwargs)


def test_bad_query_type() -> None:
    with pytest.raises(TypeError, match="query must be a str"):
        BM25Ranker().search(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("docs", "error", "match"),
    [
        (doc(1, "x"), TypeError, "sequence of SearchDoc"),
        ([{"doc_id": 1}], TypeError, r"docs\[0\] is a dict"),
        ([SearchDoc("1", "x", 0, 0.0)], TypeError, "doc_id must be an int"),  # type: ignore[arg-type]
        ([SearchDoc(-1, "x", 0, 0.0)], ValueError, "out of range"),
        ([SearchDoc(1, None, 0, 0.0)], TypeError, "text must be a str"),  # type: ignore[arg-type]
        ([SearchDoc(1, "x", 0, float("inf"))], ValueError, "finite"),
        ([SearchDoc(1, "x", 0, 0.0, "tag")], TypeError, "tags must be a tuple"),  # type: ignore[arg-type]
        ([SearchDoc(1, "x", 2**40, 0.0)], ValueError, "32 bits"),
        ([doc(1, "a"), doc(1, "b")], ValueError, "twice"),
    ],
)
def test_bad_documents_are_named(docs: object, error: type, match: str) -> None:
    ranker = BM25Ranker()
    with pytest.raises(error, match=match):
        ranker.add(docs)  # type: ignore[arg-type]
    assert len(ranker) == 0


def test_params_validation() -> None:
    with pytest.raises(ValueError, match=r"BM25Params\.b"):
        BM25Params(b=1.5)
    with pytest.raises(TypeError, match=r"BM25Params\.k1"):
        BM25Params(k1="1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AnalyzerConfig"):
        BM25Ranker(analyzer={"stem": False})  # type: ignore[arg-type]


def test_package_and_types_import_without_numpy() -> None:
    """The kernel process may share SearchDoc/Ranker without loading numpy."""
    code = (
        "import sys, athena_kernel.memory\n"
        "if 'numpy' in sys.modules: print('parent-loads-numpy'); raise SystemExit\n"
        "from athena_kernel.memory.search import SearchDoc, Ranker\n"
        "import athena_kernel.memory.search.base\n"
        "print('numpy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() in ("False", "parent-loads-numpy")
