"""Filters (layers, tags, time range) apply to all matches, not just the best-scoring ones."""

from __future__ import annotations

import pytest

from athena_kernel.memory.search import BM25Ranker, SearchDoc


@pytest.fixture
def ranker() -> BM25Ranker:
    r = BM25Ranker()
    docs = [
        # 50 strongly matching docs in layer 0, tagged 'hot', early timestamps
        *(SearchDoc(i, "python python python tips", 0, 100.0 + i, ("hot",)) for i in range(50)),
        # weaker matches elsewhere
        SearchDoc(
            100, "python and a lot of other words about snakes and gardens", 1, 1000.0, ("cold",)
        ),
        SearchDoc(101, "python notes for later", 2, 2000.0, ("cold", "work")),
        SearchDoc(102, "python", 2, 3000.0, ("work",)),
        SearchDoc(103, "nothing relevant", 1, 1500.0, ("cold", "work")),
    ]
    r.add(docs)
    return r


def ids(hits: list[tuple[int, float]]) -> list[int]:
    return [d for d, _ in hits]


def test_layer_filter_finds_weak_matches_when_top_docs_filtered(ranker: BM25Ranker) -> None:
    assert set(ids(ranker.search("python", limit=5))) <= set(range(50))
    assert ids(ranker.search("python", limit=5, layers=[1])) == [100]
    assert set(ids(ranker.search("python", limit=5, layers=[1, 2]))) == {100, 101, 102}


def test_tags_require_all(ranker: BM25Ranker) -> None:
    assert set(ids(ranker.search("python", tags=["cold"]))) == {100, 101}
    assert ids(ranker.search("python", tags=["cold", "work"])) == [101]
    assert ranker.search("python", tags=["cold", "unknown-tag"]) == []
    assert ranker.search("python", tags=["Cold"]) == []  # exact match
    assert len(ranker.search("python", limit=100, tags=[])) == 53


def test_time_range_is_half_open(ranker: BM25Ranker) -> None:
    assert ids(ranker.search("python", since=2000.0, until=3000.0)) == [101]
    assert set(ids(ranker.search("python", since=1000.0))) == {100, 101, 102}
    assert set(ids(ranker.search("python", limit=100, until=110.0))) == set(range(10))
    assert ranker.search("python", since=3000.0, until=3000.0) == []
    assert ranker.search("python", since=5.0, until=1.0) == []


def test_filters_combine(ranker: BM25Ranker) -> None:
    hits = ranker.search("python", layers=[2], tags=["work"], since=2500.0)
    assert ids(hits) == [102]
    assert ranker.search("python", layers=[0], tags=["cold"]) == []
    assert ranker.search("python", layers=[]) == []


def test_filters_do_not_change_scores(ranker: BM25Ranker) -> None:
    all_hits = dict(ranker.search("python", limit=100))
    for doc_id, score in ranker.search("python", layers=[2]):
        assert score == all_hits[doc_id]


def test_limit_is_respected_after_filtering(ranker: BM25Ranker) -> None:
    hits = ranker.search("python", limit=3, tags=["hot"], since=120.0)
    assert len(hits) == 3
    assert all(d + 100 >= 120 for d in ids(hits))
