"""What the memory API returns: pydantic models with short, readable reprs.

An agent reads these reprs, so each shows only its telling fields and truncates long text;
every field is still there as an attribute (``record.metadata``, ``task.due`` ...) and
``model_dump()`` gives plain data. Timestamps are timezone-aware UTC datetimes.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

REPR_TEXT_CHARS = 80


class TaskStatus(str, Enum):
    """Status of a task."""

    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class Priority(str, Enum):
    """Priority of a task (lowest to highest)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class StepStatus(str, Enum):
    """Status of one plan step."""

    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"


class PlanStatus(str, Enum):
    """Status of a plan, derived from its steps."""

    PENDING = "pending"
    ACTIVE = "active"
    COMPLETED = "completed"
    FAILED = "failed"


TASK_STATUSES = tuple(s.value for s in TaskStatus)
PRIORITIES = tuple(p.value for p in Priority)
STEP_STATUSES = tuple(s.value for s in StepStatus)
PLAN_STATUSES = tuple(s.value for s in PlanStatus)


def shorten(value: Any, limit: int = REPR_TEXT_CHARS) -> Any:
    """``value`` with long strings cut to ``limit`` characters (plus an ellipsis)."""
    if isinstance(value, str):
        flat = " ".join(value.split())
        return flat if len(flat) <= limit else flat[: limit - 1] + "…"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, float):
        return round(value, 3)
    return value


class Record(BaseModel):
    """Base of every returned model: a repr that shows only the fields named in ``_repr_fields``."""

    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)
    _repr_fields: ClassVar[tuple[str, ...]] = ()

    def __repr__(self) -> str:
        parts = []
        for name in self._repr_fields:
            value = getattr(self, name)
            if value in (None, [], {}, ""):
                continue
            parts.append(f"{name}={shorten(value)!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __str__(self) -> str:
        return repr(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


class MemoryRecord(Record):
    """A semantic memory: a piece of knowledge with tags, metadata and an importance."""

    id: str
    content: str
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    importance: float = 0.5
    kind: str = "memory"  #: "memory", or "pattern" for one made by consolidate()
    sources: list[str] = Field(default_factory=list)  #: ids this memory was derived from
    created_at: datetime
    updated_at: datetime
    _repr_fields = ("id", "content", "tags", "importance", "kind", "sources")


class Hit(Record):
    """One ranked search result: which layer, which item, how well it matched, and its text."""

    layer: str
    id: str
    score: float
    text: str
    timestamp: datetime
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    _repr_fields = ("layer", "id", "score", "text", "tags")


class Event(Record):
    """An episodic event: something that happened, when, and how it ended."""

    id: str
    event_type: str
    content: str
    outcome: str | None = None
    session: str | None = None
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    at: datetime
    _repr_fields = ("id", "event_type", "content", "outcome", "session", "at")


class Task(Record):
    """A prospective task with a status, a priority and maybe a due date."""

    id: str
    title: str
    description: str = ""
    status: str
    priority: str
    due: datetime | None = None
    tags: list[str] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    _repr_fields = ("id", "title", "status", "priority", "due", "tags")


class Entity(Record):
    """A node of the knowledge graph."""

    id: str
    name: str
    entity_type: str
    description: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime
    updated_at: datetime
    _repr_fields = ("id", "name", "entity_type", "description")


class Relation(Record):
    """A directed, typed edge of the knowledge graph: source -[relation_type]-> target."""

    id: str
    source_id: str
    source_name: str
    target_id: str
    target_name: str
    relation_type: str
    strength: float = 1.0
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime

    def __repr__(self) -> str:
        return (
            f"Relation({self.id!r}, {self.source_name!r} -[{self.relation_type}]-> "
            f"{self.target_name!r}, strength={self.strength:g})"
        )


class Neighbor(Record):
    """An entity reached from another one by ``depth`` relations."""

    id: str
    name: str
    entity_type: str
    relation_type: str  #: type of the relation that reached it
    direction: str  #: "out" (via -> this) or "in" (this -> via)
    depth: int
    via: str  #: id of the entity one step closer to the start
    relation_id: str
    strength: float = 1.0
    _repr_fields = ("name", "entity_type", "relation_type", "direction", "depth")


class GraphPath(Record):
    """A shortest path between two entities: the entities in order and the relations between."""

    entities: list[Entity]
    relations: list[Relation]

    @property
    def length(self) -> int:
        """Number of relations on the path."""
        return len(self.relations)

    def __repr__(self) -> str:
        text = repr(self.entities[0].name) if self.entities else ""
        for entity, relation in zip(self.entities[1:], self.relations):
            arrow = (
                f" -[{relation.relation_type}]-> "
                if relation.target_id == entity.id
                else f" <-[{relation.relation_type}]- "
            )
            text += arrow + repr(entity.name)
        return f"GraphPath({text})"


class ProcedureStats(Record):
    """Run statistics of a procedure (written by the kernel when it runs one)."""

    run_count: int = 0
    successes: int = 0
    failures: int = 0
    total_duration_s: float = 0.0
    avg_duration_s: float | None = None
    last_run_at: datetime | None = None
    last_error: str | None = None
    _repr_fields = ("run_count", "successes", "failures", "avg_duration_s", "last_error")


class ProcedureVersion(Record):
    """One saved version of a procedure's code."""

    name: str
    version: int
    code: str
    description: str = ""
    message: str | None = None
    created_at: datetime
    code_hash: str
    _repr_fields = ("name", "version", "description", "message", "created_at")


class ProcedureSummary(Record):
    """A procedure as listed: its latest version, description and run statistics."""

    id: str
    name: str
    latest_version: int
    description: str = ""
    created_at: datetime
    updated_at: datetime
    stats: ProcedureStats = Field(default_factory=ProcedureStats)

    def __repr__(self) -> str:
        runs = f", runs={self.stats.run_count}" if self.stats.run_count else ""
        desc = f", description={shorten(self.description)!r}" if self.description else ""
        return f"ProcedureSummary({self.name!r}, v{self.latest_version}{desc}{runs})"


class PlanStep(Record):
    """One step of a plan (steps are numbered from 0)."""

    index: int
    description: str
    status: str = "pending"
    note: str | None = None
    updated_at: datetime | None = None
    _repr_fields = ("index", "description", "status", "note")


class Plan(Record):
    """A goal broken into ordered steps, each with a status."""

    id: str
    goal: str
    status: str
    steps: list[PlanStep]
    created_at: datetime
    updated_at: datetime

    def __repr__(self) -> str:
        done = sum(step.status in ("done", "skipped") for step in self.steps)
        return (
            f"Plan({self.id!r}, goal={shorten(self.goal)!r}, status={self.status!r}, "
            f"steps={done}/{len(self.steps)} done)"
        )


class StoreStats(Record):
    """Counts per layer, store size and schema version."""

    path: str
    schema_version: int
    counts: dict[str, int]
    search_documents: int
    store_bytes: int
    _repr_fields = ("counts", "search_documents", "store_bytes", "schema_version")


class MergeGroup(Record):
    """Near-duplicate memories merged into one (``kept`` survives, ``removed`` are deleted)."""

    kept: str
    removed: list[str]
    similarity: float  #: lowest word-set Jaccard similarity of a removed memory to the kept one
    _repr_fields = ("kept", "removed", "similarity")


class PatternInfo(Record):
    """A recurring kind of event turned into a semantic "pattern" memory."""

    memory_id: str | None  #: None in a dry run for a pattern not created yet
    event_type: str
    outcome: str | None = None
    occurrences: int
    source_ids: list[str]
    created: bool  #: False when an existing pattern memory was brought up to date
    _repr_fields = ("memory_id", "event_type", "outcome", "occurrences", "created")


class ConsolidationReport(Record):
    """What :meth:`Memory.consolidate` did (or, with ``dry_run=True``, would do)."""

    dry_run: bool
    cutoff: datetime | None = None  #: only items created before this were considered
    memories_considered: int
    events_considered: int
    merged: list[MergeGroup] = Field(default_factory=list)
    patterns: list[PatternInfo] = Field(default_factory=list)

    def __repr__(self) -> str:
        removed = sum(len(group.removed) for group in self.merged)
        return (
            f"ConsolidationReport(dry_run={self.dry_run}, merged_groups={len(self.merged)}, "
            f"memories_removed={removed}, patterns={len(self.patterns)}, "
            f"considered={self.memories_considered} memories/{self.events_considered} events)"
        )
