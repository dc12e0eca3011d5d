"""Searches from several threads while one thread adds and removes."""

from __future__ import annotations

import threading
from pathlib import Path

from athena_kernel.memory.search import BM25Ranker, SearchDoc


def test_concurrent_searches_see_consistent_index() -> None:
    ranker = BM25Ranker()
    ranker.add([SearchDoc(i, f"base document common{i % 7}", 0, float(i)) for i in range(2000)])
    removed: set[int] = set()
    removed_lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for batch in range(60):
                start = 10_000 + batch * 50
                ranker.add(
                    [
                        SearchDoc(start + j, f"fresh item{start + j} common{j % 7}", 1, 1.0)
                        for j in range(50)
                    ]
                )
                # every new document must be visible as soon as add() returned
                assert ranker.search(f"item{start + 49}")[0][0] == start + 49
                victims = list(range(batch * 30, batch * 30 + 30))
                ranker.remove(victims)
                with removed_lock:
                    removed.update(victims)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            stop.set()

    def reader() -> None:
        try:
            while not stop.is_set():
                with removed_lock:
                    gone = set(removed)  # removed before this search started
                hits = ranker.search("base document common3", limit=50)
                assert not gone & {d for d, _ in hits}
                assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
                ranker.search("fresh common1", limit=5, layers=[1])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer)] + [
        threading.Thread(target=reader) for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(ranker) == 2000 + 60 * 50 - 60 * 30
    final = {d for d, _ in ranker.search("base", limit=5000)}
    assert final == set(range(1800, 2000))


def test_concurrent_saves_and_adds(tmp_path: Path) -> None:
    ranker = BM25Ranker()
    ranker.add([SearchDoc(i, f"doc{i} shared", 0, 0.0) for i in range(500)])
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for i in range(500, 1500, 10):
                ranker.add([SearchDoc(j, f"doc{j} shared", 0, 0.0) for j in range(i, i + 10)])
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=writer)
    t.start()
    for k in range(5):
        ranker.save(tmp_path / f"s{k}", covered_up_to=0)
        loaded, _ = BM25Ranker.load(tmp_path / f"s{k}")
        assert loaded.search("shared", limit=2000) == sorted(
            loaded.search("shared", limit=2000), key=lambda h: (-h[1], h[0])
        )
    t.join()
    assert not errors
    assert len(ranker) == 1500
