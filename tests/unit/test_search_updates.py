"""Adds are visible at once; removed and replaced documents never come back; merges are exact."""

from __future__ import annotations

import random

import pytest

from athena_kernel.memory.search import BM25Ranker, SearchDoc


def doc(doc_id: int, text: str, tags: tuple[str, ...] = ()) -> SearchDoc:
    return SearchDoc(doc_id, text, 0, float(doc_id), tags)


def test_add_is_searchable_immediately() -> None:
    ranker = BM25Ranker()
    for i in range(200):
        ranker.add([doc(i, f"note number{i} zebra")])
        assert ranker.search(f"number{i}")[0][0] == i
    assert len(ranker) == 200
    assert len(ranker.stats()) and ranker.stats()["segments"] < 12


def test_remove_hides_documents() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(1, "alpha beta"), doc(2, "alpha gamma"), doc(3, "delta")])
    ranker.remove([1, 99])
    assert [d for d, _ in ranker.search("alpha")] == [2]
    assert ranker.search("beta") == []
    assert len(ranker) == 2
    ranker.remove([1])  # removing twice is harmless
    assert len(ranker) == 2
    assert ranker.live_doc_ids().tolist() == [2, 3]


def test_update_by_remove_and_add() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(1, "old wording here", tags=("v1",))])
    ranker.remove([1])
    ranker.add([doc(2, "new wording here", tags=("v2",))])
    assert ranker.search("old") == []
    assert [d for d, _ in ranker.search("wording")] == [2]
    assert ranker.search("wording", tags=["v1"]) == []
    # the same id may come back after removal
    ranker.remove([2])
    ranker.add([doc(2, "newest wording")])
    assert [d for d, _ in ranker.search("wording")] == [2]
    assert ranker.search("new") == []  # the removed version's words are gone


def test_adding_a_live_id_again_is_an_error() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(1, "x")])
    with pytest.raises(ValueError, match=r"already indexed; remove\(\) them"):
        ranker.add([doc(1, "y")])
    assert [d for d, _ in ranker.search("x")] == [1]


def test_removed_docs_do_not_count_in_statistics() -> None:
    fresh = BM25Ranker()
    fresh.add([doc(3, "rare word"), doc(4, "common word")])
    churned = BM25Ranker()
    churned.add(
        [doc(1, "rare rare filler"), doc(2, "rare"), doc(3, "rare word"), doc(4, "common word")]
    )
    churned.remove([1, 2])
    assert churned.search("rare word") == fresh.search("rare word")


def test_incremental_index_equals_batch_index() -> None:
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(60)]
    docs = [doc(i, " ".join(rng.choices(vocab, k=rng.randint(1, 20)))) for i in range(600)]
    batch = BM25Ranker()
    batch.add(docs)
    incremental = BM25Ranker()
    i = 0
    while i < len(docs):  # mixed batch sizes exercise tiered merging
        step = rng.choice([1, 1, 1, 2, 5, 17, 40])
        incremental.add(docs[i : i + step])
        i += step
    assert incremental.stats()["segments"] >= 1
    for _ in range(30):
        q = " ".join(rng.sample(vocab, 3))
        a, b = batch.search(q, limit=20), incremental.search(q, limit=20)
        assert [d for d, _ in a] == [d for d, _ in b]
        assert [s for _, s in a] == pytest.approx([s for _, s in b], rel=1e-6)


def test_compaction_keeps_results_and_drops_dead_rows() -> None:
    rng = random.Random(4)
    vocab = [f"t{i}" for i in range(40)]
    docs = [doc(i, " ".join(rng.choices(vocab, k=8)), tags=(f"g{i % 3}",)) for i in range(2000)]
    ranker = BM25Ranker()
    ranker.add(docs)
    removed = set(rng.sample(range(2000), 900))  # crosses the automatic compaction threshold
    ranker.remove(sorted(removed)[:400])
    before = ranker.stats()
    ranker.remove(sorted(removed)[400:])
    after = ranker.stats()
    assert before["dead_rows"] == 400
    assert after["dead_rows"] == 0 and after["rows"] == 1100
    reference = BM25Ranker()
    reference.add([d for d in docs if d.doc_id not in removed])
    for _ in range(20):
        q = " ".join(rng.sample(vocab, 2))
        assert ranker.search(q, limit=15, tags=["g1"]) == reference.search(q, limit=15, tags=["g1"])
    ranker.compact()
    assert ranker.stats()["segments"] == 1
    assert ranker.live_doc_ids().tolist() == sorted(set(range(2000)) - removed)


def test_out_of_order_ids_are_found_for_removal() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(50, "a1"), doc(10, "a2")])
    ranker.add([doc(30, "a3")])
    ranker.add([doc(20, "a4")])
    ranker.add([doc(5, "a5")])
    ranker.add([doc(40, "a6")])  # merges out-of-order id ranges
    ranker.remove([20, 50])
    assert ranker.live_doc_ids().tolist() == [5, 10, 30, 40]
    assert ranker.search("a4") == [] and ranker.search("a1") == []
    assert ranker.search("a3")[0][0] == 30


def test_remove_rejects_bad_ids() -> None:
    ranker = BM25Ranker()
    with pytest.raises(TypeError, match="iterable of ints"):
        ranker.remove(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"doc_ids\[1\]"):
        ranker.remove([1, "2"])  # type: ignore[list-item]


def test_replace_swaps_versions_atomically() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(1, "first draft"), doc(2, "other")])
    with pytest.raises(ValueError, match="replace=True"):
        ranker.add([doc(1, "second draft")])
    ranker.add([doc(1, "second draft"), doc(3, "brand new")], replace=True)
    assert ranker.search("first") == []
    assert [d for d, _ in ranker.search("draft")] == [1]
    assert len(ranker) == 3
    # replaying the same documents again is idempotent
    ranker.add([doc(1, "second draft"), doc(3, "brand new")], replace=True)
    assert len(ranker) == 3
    assert ranker.live_doc_ids().tolist() == [1, 2, 3]


def test_searches_keep_their_view_during_changes() -> None:
    ranker = BM25Ranker()
    ranker.add([doc(1, "apple pie"), doc(2, "apple tart")])
    view = ranker._state  # what a search that already started holds
    ranker.remove([1])
    ranker.add([doc(2, "pear tart")], replace=True)
    assert view.cols.alive[:2].tolist() == [True, True]
    assert view.n_live == 2
    assert [d for d, _ in ranker.search("apple")] == []
