"""Retrieval quality on LoCoMo: our ranker (or ``memory.recall``) next to a plain BM25 baseline.

    .venv/bin/python bench/locomo_bench.py /work/shared/data/locomo/dev.jsonl
        [--via ranker|memory] [--ablation] [--crossval]

For each conversation every turn's ``doc`` goes into a fresh index (doc ids map to turn ids),
every question is asked, and the top 10 are compared with the question's evidence turns:
R@k = share of a question's evidence in the top k (averaged), MRR@10 = 1/rank of the first
evidence turn. Categories 1-4 ("answerable") are the headline; category 5 (adversarial) is
reported separately. The baseline is classic BM25 (k1=1.2, b=0.75, Lucene idf) over a
lower-case alphanumeric tokenizer without stemming or stop words, implemented here
independently of the ranker and computed in the same run.

``--ablation`` adds one row per analysis/scoring idea (cumulative, then leave-one-out from the
final configuration); ``--crossval`` tunes k1/b/delta on some conversations and reports the
others, to show how much tuning on this data would add over the published defaults.
The data (CC BY-NC 4.0) is read from the given path and never copied.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from athena_kernel.memory.search import AnalyzerConfig, BM25Params, BM25Ranker, SearchDoc

KS = (1, 5, 10)
ANSWERABLE = (1, 2, 3, 4)
ADVERSARIAL = 5

#: a retriever: (turn docs, questions) -> ranked turn ids (top 10) per question
Retriever = Callable[[list[dict[str, Any]], list[str]], list[list[str]]]


# ------------------------------------------------------------------------------ metrics
@dataclass
class Scores:
    """Averaged metrics over a set of questions."""

    r1: float
    r5: float
    r10: float
    mrr: float
    n: int

    def row(self) -> str:
        """Table cells."""
        return f"{self.r1:.4f} | {self.r5:.4f} | {self.r10:.4f} | {self.mrr:.4f} | {self.n}"


def question_metrics(ranked: Sequence[str], evidence: Sequence[str]) -> tuple[float, ...]:
    """(R@1, R@5, R@10, MRR@10) of one ranked list against its evidence ids."""
    ev = set(evidence)
    recalls = tuple(len(ev & set(ranked[:k])) / len(ev) for k in KS)
    mrr = next((1.0 / rank for rank, d in enumerate(ranked[:10], 1) if d in ev), 0.0)
    return (*recalls, mrr)


def average(rows: list[tuple[float, ...]]) -> Scores:
    """Mean of per-question metric tuples."""
    if not rows:
        return Scores(0.0, 0.0, 0.0, 0.0, 0)
    cols = [sum(r[j] for r in rows) / len(rows) for j in range(4)]
    return Scores(*cols, n=len(rows))


@dataclass
class RunResult:
    """Per-question metrics of one retriever, keyed for headline/adversarial/per-conversation."""

    answerable: list[tuple[float, ...]]
    adversarial: list[tuple[float, ...]]
    per_conv: dict[str, list[tuple[float, ...]]]
    seconds: float


def run(convs: list[dict[str, Any]], retriever: Retriever) -> RunResult:
    """Ask every question of every conversation through ``retriever``."""
    answerable: list[tuple[float, ...]] = []
    adversarial: list[tuple[float, ...]] = []
    per_conv: dict[str, list[tuple[float, ...]]] = defaultdict(list)
    t0 = time.perf_counter()
    for conv in convs:
        questions = [q for q in conv["questions"] if q["evidence"]]
        ranked_lists = retriever(conv["turns"], [q["question"] for q in questions])
        for q, ranked in zip(questions, ranked_lists):
            m = question_metrics(ranked, q["evidence"])
            if q["category"] in ANSWERABLE:
                answerable.append(m)
                per_conv[conv["conv_id"]].append(m)
            elif q["category"] == ADVERSARIAL:
                adversarial.append(m)
    return RunResult(answerable, adversarial, dict(per_conv), time.perf_counter() - t0)


# ------------------------------------------------------------------------------ retrievers
_PLAIN_RE = re.compile(r"[a-z0-9]+")


def plain_bm25(k1: float = 1.2, b: float = 0.75) -> Retriever:
    """Classic BM25 baseline: lower-case alphanumeric tokens, no stemming, no stop words."""

    def retrieve(turns: list[dict[str, Any]], questions: list[str]) -> list[list[str]]:
        docs = [Counter(_PLAIN_RE.findall(t["doc"].lower())) for t in turns]
        lengths = [sum(d.values()) for d in docs]
        avgdl = sum(lengths) / len(lengths)
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, d in enumerate(docs):
            for term, tf in d.items():
                postings[term].append((i, tf))
        n = len(docs)
        out = []
        for question in questions:
            scores: dict[int, float] = defaultdict(float)
            for term, qtf in Counter(_PLAIN_RE.findall(question.lower())).items():
                plist = postings.get(term, [])
                idf = math.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
                for i, tf in plist:
                    scores[i] += (
                        qtf * idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[i] / avgdl))
                    )
            best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
            out.append([turns[i]["id"] for i, _ in best])
        return out

    return retrieve


def _timestamp(turn: dict[str, Any]) -> float:
    iso = turn.get("session_time_iso")
    if not iso:
        return 0.0
    return datetime.fromisoformat(iso).replace(tzinfo=timezone.utc).timestamp()


def ranker_retriever(
    analyzer: AnalyzerConfig | None = None, params: BM25Params | None = None
) -> Retriever:
    """Our BM25Ranker with the given configuration, one fresh index per conversation."""

    def retrieve(turns: list[dict[str, Any]], questions: list[str]) -> list[list[str]]:
        ranker = BM25Ranker(analyzer, params)
        ranker.add([SearchDoc(i, t["doc"], 0, _timestamp(t)) for i, t in enumerate(turns)])
        return [[turns[i]["id"] for i, _ in ranker.search(q, limit=10)] for q in questions]

    return retrieve


def memory_retriever() -> Retriever:
    """Through the public API: ``open_memory(":memory:")``, ``remember`` and ``recall``."""
    try:
        from athena_kernel.memory import open_memory  # type: ignore[attr-defined]
    except ImportError as exc:
        raise SystemExit(
            f"--via memory needs athena_kernel.memory.open_memory, which is not available yet "
            f"({exc}); use --via ranker"
        ) from exc

    def hit_field(hit: Any, name: str) -> Any:
        return hit[name] if isinstance(hit, dict) else getattr(hit, name, None)

    def retrieve(turns: list[dict[str, Any]], questions: list[str]) -> list[list[str]]:
        memory = open_memory(":memory:")
        try:
            by_memory_id: dict[Any, str] = {}
            for t in turns:
                saved = memory.remember(t["doc"], metadata={"turn_id": t["id"]})
                saved_id = hit_field(saved, "id") if not isinstance(saved, (int, str)) else saved
                by_memory_id[saved_id] = t["id"]
            out = []
            for q in questions:
                ranked = []
                for hit in memory.recall(q, limit=10):
                    meta = hit_field(hit, "metadata") or {}
                    turn_id = meta.get("turn_id") if isinstance(meta, dict) else None
                    ranked.append(turn_id or by_memory_id.get(hit_field(hit, "id")))
                out.append(ranked)
            return out
        finally:
            close = getattr(memory, "close", None)
            if callable(close):
                close()

    return retrieve


# ------------------------------------------------------------------------------ configurations
FINAL = (AnalyzerConfig(), BM25Params())


def ablation_configs() -> list[tuple[str, AnalyzerConfig, BM25Params]]:
    """Cumulative additions from a plain configuration, then leave-one-out from the final one."""
    bare = AnalyzerConfig(stem=False, stopwords=False, irregular=False)
    p0 = BM25Params(delta=0.0, fuzzy=False)
    rows = [
        ("our engine, plain analysis (fold only), BM25", bare, p0),
        ("+ stop words", AnalyzerConfig(stem=False, irregular=False), p0),
        ("+ Porter2 stemming", AnalyzerConfig(irregular=False), p0),
        ("+ irregular forms (went->go)", AnalyzerConfig(), p0),
        ("+ BM25+ delta=1", AnalyzerConfig(), BM25Params(fuzzy=False)),
        ("+ typo correction (= final)", *FINAL),
        ("final - stop words", AnalyzerConfig(stopwords=False), BM25Params()),
        ("final - stemming", AnalyzerConfig(stem=False), BM25Params()),
        ("final - irregular forms", AnalyzerConfig(irregular=False), BM25Params()),
        ("final - BM25+ delta (plain BM25)", AnalyzerConfig(), BM25Params(delta=0.0)),
        ("final - typo correction", AnalyzerConfig(), BM25Params(fuzzy=False)),
        ("final - unicode folding", AnalyzerConfig(fold=False), BM25Params()),
        ("final, b=0.3", AnalyzerConfig(), BM25Params(b=0.3)),
        ("final, b=0.5", AnalyzerConfig(), BM25Params(b=0.5)),
        ("final, b=0.9", AnalyzerConfig(), BM25Params(b=0.9)),
        ("final, k1=0.9", AnalyzerConfig(), BM25Params(k1=0.9)),
        ("final, k1=1.5", AnalyzerConfig(), BM25Params(k1=1.5)),
        ("final, delta=0.5", AnalyzerConfig(), BM25Params(delta=0.5)),
        ("final, delta=2", AnalyzerConfig(), BM25Params(delta=2.0)),
    ]
    return rows


def crossval(convs: list[dict[str, Any]]) -> list[str]:
    """Tune (k1, b, delta) on each half of the conversations by R@5+R@10; report the other."""
    grid = list(
        itertools.product((0.6, 0.9, 1.2, 1.5, 2.0), (0.3, 0.5, 0.75, 0.9), (0.0, 0.5, 1.0))
    )
    half = (len(convs) + 1) // 2
    splits = [(convs[:half], convs[half:]), (convs[half:], convs[:half])]
    lines = [
        "| tuned on | chosen k1, b, delta | held-out R@5 / R@10 tuned | held-out R@5 / R@10 "
        "defaults (1.2, 0.75, 1.0) |",
        "|---|---|---|---|",
    ]
    for tune, test in splits:
        best: tuple[float, tuple[float, float, float]] | None = None
        for k1, b, delta in grid:
            params = BM25Params(k1=k1, b=b, delta=delta)
            s = average(run(tune, ranker_retriever(None, params)).answerable)
            if best is None or s.r5 + s.r10 > best[0]:
                best = (s.r5 + s.r10, (k1, b, delta))
        assert best is not None
        k1, b, delta = best[1]
        tuned = average(
            run(test, ranker_retriever(None, BM25Params(k1=k1, b=b, delta=delta))).answerable
        )
        default = average(run(test, ranker_retriever()).answerable)
        names = ",".join(c["conv_id"] for c in tune)
        lines.append(
            f"| {names} | {k1}, {b}, {delta} | {tuned.r5:.4f} / {tuned.r10:.4f} | "
            f"{default.r5:.4f} / {default.r10:.4f} |"
        )
    return lines


# ------------------------------------------------------------------------------ report
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="LoCoMo dev.jsonl (read in place, never copied)")
    parser.add_argument(
        "--via",
        choices=("memory", "ranker"),
        default="memory",
        help='memory: through open_memory(":memory:").recall (default); ranker: the index alone',
    )
    parser.add_argument("--ablation", action="store_true", help="one row per idea")
    parser.add_argument("--crossval", action="store_true", help="tune on half, test on the rest")
    args = parser.parse_args()
    convs = [json.loads(line) for line in args.path.read_text().splitlines() if line.strip()]
    n_q = sum(len(c["questions"]) for c in convs)
    print(f"LoCoMo: {len(convs)} conversations, {n_q} questions, via {args.via}\n")

    ours_name = "memory.recall" if args.via == "memory" else "BM25Ranker (final)"
    ours = memory_retriever() if args.via == "memory" else ranker_retriever(*FINAL)
    results = {
        "plain BM25 baseline": run(convs, plain_bm25()),
        ours_name: run(convs, ours),
    }
    header = "| system | R@1 | R@5 | R@10 | MRR@10 | questions |\n|---|---|---|---|---|---|"
    print("## Categories 1-4 (answerable): headline\n")
    print(header)
    for name, res in results.items():
        print(f"| {name} | {average(res.answerable).row()} |")
    base, our = (average(r.answerable) for r in results.values())
    print(
        f"\nratio ours/baseline: R@5 x{our.r5 / base.r5:.3f}, R@10 x{our.r10 / base.r10:.3f}, "
        f"MRR x{our.mrr / base.mrr:.3f}"
    )
    print("\n## Category 5 (adversarial)\n")
    print(header)
    for name, res in results.items():
        print(f"| {name} | {average(res.adversarial).row()} |")
    print("\n## Per conversation, categories 1-4 (R@5 / R@10)\n")
    names = list(results)
    print("| conversation | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for conv in convs:
        cid = conv["conv_id"]
        cells = []
        for name in names:
            s = average(results[name].per_conv.get(cid, []))
            cells.append(f"{s.r5:.4f} / {s.r10:.4f}")
        print(f"| {cid} | " + " | ".join(cells) + " |")
    print(
        "\nwall time (index + all questions): "
        + ", ".join(f"{name} {res.seconds:.2f} s" for name, res in results.items())
    )

    if args.ablation:
        print("\n## Ablation (our engine, categories 1-4)\n")
        print("| configuration | R@1 | R@5 | R@10 | MRR@10 | questions | min / max R@10 per conv |")
        print("|---|---|---|---|---|---|---|")
        for label, analyzer, params in ablation_configs():
            res = run(convs, ranker_retriever(analyzer, params))
            per = [average(v).r10 for v in res.per_conv.values()]
            print(
                f"| {label} | {average(res.answerable).row()} | {min(per):.4f} / {max(per):.4f} |"
            )
    if args.crossval:
        print("\n## Cross-validated tuning of k1, b, delta (categories 1-4)\n")
        print("\n".join(crossval(convs)))


if __name__ == "__main__":
    main()
