"""Snapshots: exact round trip, atomic writes, and clear errors for bad files."""

from __future__ import annotations

import os
import random
import struct
from pathlib import Path

import numpy as np
import pytest

from athena_kernel.memory.search import (
    AnalyzerConfig,
    BM25Params,
    BM25Ranker,
    SearchDoc,
    SnapshotError,
)
from athena_kernel.memory.search import snapshot as snapshot_module


def build(seed: int = 1) -> tuple[BM25Ranker, list[str]]:
    rng = random.Random(seed)
    vocab = [f"word{i}" for i in range(80)] + ["café", "東京タワー", "running"]
    ranker = BM25Ranker()
    docs = [
        SearchDoc(
            i,
            " ".join(rng.choices(vocab, k=rng.randint(1, 25))),
            i % 3,
            1000.0 + i,
            tuple(sorted({f"t{rng.randint(0, 4)}" for _ in range(rng.randint(0, 2))})),
        )
        for i in range(1, 900)
    ]
    for start in range(0, len(docs), 97):
        ranker.add(docs[start : start + 97])
    ranker.remove(range(5, 300, 7))
    queries = [" ".join(rng.sample(vocab, 3)) for _ in range(30)] + ["cafe", "タワー", "run"]
    return ranker, queries


def all_results(ranker: BM25Ranker, queries: list[str]) -> list[object]:
    out: list[object] = []
    for q in queries:
        out.append(ranker.search(q, limit=20))
        out.append(ranker.search(q, limit=5, layers=[1], tags=["t2"], since=1100.0, until=1700.0))
    return out


def test_round_trip_gives_identical_results(tmp_path: Path) -> None:
    ranker, queries = build()
    path = tmp_path / "index.snap"
    ranker.save(path, covered_up_to=899)
    loaded, covered = BM25Ranker.load(path)
    assert covered == 899
    assert len(loaded) == len(ranker)
    assert loaded.stats() == {**ranker.stats(), "array_bytes": loaded.stats()["array_bytes"]}
    assert all_results(loaded, queries) == all_results(ranker, queries)
    np.testing.assert_array_equal(loaded.live_doc_ids(), ranker.live_doc_ids())


def test_loaded_index_keeps_working(tmp_path: Path) -> None:
    ranker, _ = build()
    path = tmp_path / "index.snap"
    ranker.save(path, covered_up_to=899)
    loaded, _ = BM25Ranker.load(path)
    for r in (ranker, loaded):  # replay after load, as the store does
        r.add([SearchDoc(5000, "brand new zebra words", 0, 1.0)])
        r.remove([10, 11, 12])
    assert loaded.search("zebra") == ranker.search("zebra")
    assert loaded.search("word3 word7", limit=30) == ranker.search("word3 word7", limit=30)


def test_settings_travel_with_the_snapshot(tmp_path: Path) -> None:
    ranker = BM25Ranker(AnalyzerConfig(stem=False), BM25Params(k1=0.9, b=0.4, fuzzy=False))
    ranker.add([SearchDoc(1, "running dogs", 0, 0.0)])
    ranker.save(tmp_path / "s", covered_up_to=1)
    loaded, _ = BM25Ranker.load(tmp_path / "s")
    assert loaded.analyzer.config == AnalyzerConfig(stem=False)
    assert loaded.params == BM25Params(k1=0.9, b=0.4, fuzzy=False)
    assert loaded.search("run") == []


def test_unusual_tags_round_trip(tmp_path: Path) -> None:
    tags = ("naïve", "東京", "with space", "", "\ud800lone-surrogate", "line\nbreak")
    ranker = BM25Ranker()
    ranker.add([SearchDoc(i, f"text {i}", 0, 0.0, (tag,)) for i, tag in enumerate(tags)])
    ranker.save(tmp_path / "tags", covered_up_to=len(tags))
    loaded, _ = BM25Ranker.load(tmp_path / "tags")
    for i, tag in enumerate(tags):
        assert [d for d, _ in loaded.search("text", tags=[tag])] == [i]


def test_empty_index_round_trip(tmp_path: Path) -> None:
    BM25Ranker().save(tmp_path / "empty", covered_up_to=0)
    loaded, covered = BM25Ranker.load(tmp_path / "empty")
    assert len(loaded) == 0 and covered == 0 and loaded.search("x") == []


def saved(tmp_path: Path) -> Path:
    ranker, _ = build(2)
    path = tmp_path / "index.snap"
    ranker.save(path, covered_up_to=899)
    return path


def test_flipped_byte_is_detected(tmp_path: Path) -> None:
    path = saved(tmp_path)
    data = bytearray(path.read_bytes())
    for pos in (100, len(data) // 2, len(data) - 40):
        corrupt = bytearray(data)
        corrupt[pos] ^= 0x40
        path.write_bytes(bytes(corrupt))
        with pytest.raises(SnapshotError, match=r"corrupt|checksum|header"):
            BM25Ranker.load(path)


def test_truncated_file_is_detected(tmp_path: Path) -> None:
    path = saved(tmp_path)
    data = path.read_bytes()
    for size in (0, 10, 30, len(data) // 3, len(data) - 1):
        path.write_bytes(data[:size])
        with pytest.raises(SnapshotError):
            BM25Ranker.load(path)


def test_foreign_files_are_rejected(tmp_path: Path) -> None:
    npz = tmp_path / "foreign.npz"
    np.savez(npz, a=np.arange(10))
    with pytest.raises(SnapshotError, match="not a search snapshot"):
        BM25Ranker.load(npz)
    text = tmp_path / "notes.txt"
    text.write_text("hello world " * 100)
    with pytest.raises(SnapshotError, match="not a search snapshot"):
        BM25Ranker.load(text)
    with pytest.raises(SnapshotError, match="does not exist"):
        BM25Ranker.load(tmp_path / "missing.snap")


def test_other_format_version_is_rejected(tmp_path: Path) -> None:
    path = saved(tmp_path)
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 12, snapshot_module.FORMAT_VERSION + 1)
    path.write_bytes(bytes(data))
    with pytest.raises(SnapshotError, match="format version"):
        BM25Ranker.load(path)


def test_valid_file_of_another_kind_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "other.snap"
    snapshot_module.write_snapshot(path, {"kind": "something.else"}, {"x": np.arange(3)})
    with pytest.raises(SnapshotError, match="not a BM25 index"):
        BM25Ranker.load(path)


def test_other_analysis_version_is_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved(tmp_path)
    from athena_kernel.memory.search import bm25

    monkeypatch.setattr(bm25, "ANALYSIS_VERSION", bm25.ANALYSIS_VERSION + 1)
    with pytest.raises(SnapshotError, match="analysis version"):
        BM25Ranker.load(path)


def test_inconsistent_contents_are_rejected(tmp_path: Path) -> None:
    ranker, _ = build(3)
    path = tmp_path / "index.snap"
    ranker.save(path, covered_up_to=1)
    meta, arrays = snapshot_module.read_snapshot(path)
    arrays = dict(arrays)
    arrays["s0.rows"] = arrays["s0.rows"] + 10_000  # rows outside the segment, checksum valid
    snapshot_module.write_snapshot(path, meta, arrays)
    with pytest.raises(SnapshotError, match="rows outside"):
        BM25Ranker.load(path)


def test_failed_write_keeps_old_snapshot_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved(tmp_path)
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(snapshot_module.os, "replace", broken_replace)
    ranker, _ = build(4)
    with pytest.raises(OSError, match="disk full"):
        ranker.save(path, covered_up_to=5)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["index.snap"]


def test_save_argument_checked(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="covered_up_to"):
        BM25Ranker().save(tmp_path / "x", covered_up_to="3")  # type: ignore[arg-type]
