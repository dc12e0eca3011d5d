"""The ``memory`` object agents program against: :class:`Memory` and its layer namespaces.

Every method validates its arguments (a bad one raises :class:`InvalidArgumentError` naming it,
before anything is sent), then runs one operation through the backend and returns pydantic
models. The backend is kept in an underscore attribute: nothing public leads to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from .backend import Backend
from .errors import InvalidArgumentError
from .ids import id_prefix, new_id
from .models import (
    ConsolidationReport,
    Entity,
    Event,
    GraphPath,
    Hit,
    MemoryRecord,
    Neighbor,
    Plan,
    ProcedureSummary,
    ProcedureVersion,
    Relation,
    StoreStats,
    Task,
)
from .params import (
    AddEntityParams,
    BetweenEventsParams,
    ConsolidateParams,
    CreatePlanParams,
    CreateTaskParams,
    DiffProcedureParams,
    FindEntityParams,
    GetProcedureParams,
    ListPlansParams,
    ListTasksParams,
    NeighborsParams,
    OverdueParams,
    Params,
    PathParams,
    PlanIdParams,
    ProcedureNameParams,
    RecallParams,
    RecentEventsParams,
    RecordEventParams,
    RelateParams,
    RememberParams,
    RollbackProcedureParams,
    SaveProcedureParams,
    SearchEventsParams,
    SearchParams,
    TaskIdParams,
    UpdateMemoryParams,
    UpdateStepParams,
    UpdateTaskParams,
)
from .timeutil import cutoff_from
from .validation import parse_params

TimeLike = datetime | date | str
#: Items per remember_many call, and their approximate text size, sent in one request.
BATCH_ITEMS = 10_000
BATCH_CHARS = 8_000_000

#: What memory.get returns for each id prefix.
ITEM_MODELS: dict[str, type[Any]] = {
    "mem": MemoryRecord,
    "evt": Event,
    "task": Task,
    "ent": Entity,
    "rel": Relation,
    "plan": Plan,
    "proc": ProcedureSummary,
}


class _Layer:
    """Common plumbing of the facade objects: validate, call the backend."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def _call(
        self, op: str, model: type[Params], values: dict[str, Any], *, only_given: bool = False
    ) -> Any:
        request = parse_params(model, values)
        return self._backend.call(op, request.model_dump(mode="json", exclude_unset=only_given))


class Events(_Layer):
    """Episodic memory: events that happened, when, and how they ended."""

    def record(
        self,
        event_type: str,
        content: str,
        *,
        outcome: str | None = None,
        session: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: dict[str, Any] | None = None,
        at: TimeLike | None = None,
    ) -> Event:
        """Record an event.

        Args:
            event_type: Kind of event, e.g. "deploy", "tool_call", "user_feedback".
            content: What happened.
            outcome: How it ended, e.g. "success" or "failure".
            session: Groups events of one session or conversation.
            tags: Labels for filtering (lower-cased).
            metadata: JSON-compatible extra data.
            at: When it happened (datetime, date or ISO string; default now; naive = UTC).

        Returns:
            The saved Event (saved durably before this returns).

        Raises:
            InvalidArgumentError: An argument is empty or of the wrong type.

        Example:
            >>> memory.events.record("deploy", "staging deploy failed", outcome="failure")
        """
        values = dict(
            id=new_id("evt"),
            event_type=event_type,
            content=content,
            outcome=outcome,
            session=session,
            tags=tags,
            metadata=metadata,
            at=at,
        )
        return Event.model_validate(self._call("events.record", RecordEventParams, values))

    def recent(
        self, limit: int = 10, *, session: str | None = None, event_type: str | None = None
    ) -> list[Event]:
        """The most recent events, newest first.

        Args:
            limit: How many (1-1000).
            session: Only events of this session.
            event_type: Only events of this type.

        Returns:
            Events, newest first.

        Example:
            >>> memory.events.recent(5, event_type="deploy")
        """
        values = dict(limit=limit, session=session, event_type=event_type)
        rows = self._call("events.recent", RecentEventsParams, values)
        return [Event.model_validate(row) for row in rows]

    def between(
        self,
        start: TimeLike,
        end: TimeLike,
        *,
        event_type: str | None = None,
        limit: int = 100,
    ) -> list[Event]:
        """Events in a time range (``start <= at < end``), oldest first.

        Args:
            start: Beginning of the time range (datetime, date or ISO string; naive = UTC).
            end: End of the window (exclusive); must be after start.
            event_type: Only events of this type.
            limit: At most this many (1-1000).

        Returns:
            Events in time order.

        Raises:
            InvalidArgumentError: A time cannot be parsed, or end is not after start.

        Example:
            >>> memory.events.between("2024-05-01", "2024-05-02", event_type="deploy")
        """
        values = dict(start=start, end=end, event_type=event_type, limit=limit)
        rows = self._call("events.between", BetweenEventsParams, values)
        return [Event.model_validate(row) for row in rows]

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        event_type: str | None = None,
        session: str | None = None,
        tags: Sequence[str] | None = None,
        since: TimeLike | None = None,
        until: TimeLike | None = None,
    ) -> list[Hit]:
        """Ranked full-text search over events (type, content and outcome).

        Args:
            query: Words to look for.
            limit: How many hits (1-1000).
            event_type: Only events of this type.
            session: Only events of this session.
            tags: Only events carrying all these tags.
            since: Start of a time range: only events at or after this time.
            until: End of a time range: only events before this time.

        Returns:
            Hits, best first; ``hit.id`` is the event id.

        Example:
            >>> memory.events.search("read-only transaction", event_type="deploy")
        """
        values = dict(
            query=query,
            limit=limit,
            event_type=event_type,
            session=session,
            tags=tags,
            since=since,
            until=until,
        )
        rows = self._call("events.search", SearchEventsParams, values)
        return [Hit.model_validate(row) for row in rows]


class Tasks(_Layer):
    """Prospective memory: tasks with a status, a priority and maybe a due date."""

    def create(
        self,
        title: str,
        *,
        description: str = "",
        due: TimeLike | None = None,
        priority: str = "medium",
        tags: Sequence[str] | None = None,
    ) -> Task:
        """Create a pending task.

        Args:
            title: Short title of the task.
            description: Details.
            due: When it is due (datetime, date or ISO string; naive = UTC).
            priority: One of low, medium, high, urgent.
            tags: Labels for filtering.

        Returns:
            The saved Task (status "pending").

        Raises:
            InvalidArgumentError: E.g. an unknown priority.

        Example:
            >>> memory.tasks.create("Rotate the API keys", due="2024-06-01", priority="high")
        """
        values = dict(
            id=new_id("task"),
            title=title,
            description=description,
            due=due,
            priority=priority,
            tags=tags,
        )
        return Task.model_validate(self._call("tasks.create", CreateTaskParams, values))

    def list(
        self, *, status: str | None = None, limit: int = 20, tags: Sequence[str] | None = None
    ) -> list[Task]:
        """Tasks: open ones first, then by priority, due date and age.

        Args:
            status: Only this status (pending, in_progress, done, cancelled).
            limit: At most this many (1-1000).
            tags: Only tasks carrying all these tags.

        Returns:
            Tasks in that order.

        Example:
            >>> memory.tasks.list(status="pending")
        """
        rows = self._call(
            "tasks.list", ListTasksParams, dict(status=status, limit=limit, tags=tags)
        )
        return [Task.model_validate(row) for row in rows]

    def update(self, id: str, **changes: Any) -> Task:
        """Change fields of a task.

        Args:
            id: The task id ("task_…").
            **changes: Any of title, description, due (None clears it), priority, status,
                tags.

        Returns:
            The updated Task.

        Raises:
            NotFoundError: No task has this id.
            InvalidArgumentError: An unknown field or a bad value.

        Example:
            >>> memory.tasks.update(task.id, status="in_progress", priority="urgent")
        """
        values = {"id": id, **changes}
        result = self._call("tasks.update", UpdateTaskParams, values, only_given=True)
        return Task.model_validate(result)

    def complete(self, id: str) -> Task:
        """Mark a task done.

        Args:
            id: The task id ("task_…").

        Returns:
            The Task with status "done".

        Raises:
            NotFoundError: No task has this id.

        Example:
            >>> memory.tasks.complete(task.id)
        """
        return Task.model_validate(self._call("tasks.complete", TaskIdParams, {"id": id}))

    def overdue(self, *, limit: int = 100) -> list[Task]:
        """Open tasks whose due time has passed, most overdue first.

        Args:
            limit: At most this many (1-1000).

        Returns:
            Overdue tasks.

        Example:
            >>> [t.title for t in memory.tasks.overdue()]
        """
        rows = self._call("tasks.overdue", OverdueParams, {"limit": limit})
        return [Task.model_validate(row) for row in rows]


class Graph(_Layer):
    """Knowledge graph: named, typed entities and directed relations between them."""

    def add_entity(
        self,
        name: str,
        entity_type: str,
        *,
        description: str = "",
        metadata: dict[str, Any] | None = None,
    ) -> Entity:
        """Add an entity (or return the existing one with this name and type).

        Args:
            name: The entity's name, e.g. "orders-db".
            entity_type: Its kind, e.g. "database", "person", "service".
            description: What it is; replaces the stored one when the entity exists.
            metadata: JSON-compatible data; merged into the stored metadata.

        Returns:
            The Entity.

        Example:
            >>> memory.graph.add_entity("orders-db", "database", description="Postgres 15")
        """
        values = dict(
            id=new_id("ent"),
            name=name,
            entity_type=entity_type,
            description=description,
            metadata=metadata,
        )
        return Entity.model_validate(self._call("graph.add_entity", AddEntityParams, values))

    def relate(
        self,
        source: str,
        target: str,
        relation_type: str,
        *,
        strength: float = 1.0,
        metadata: dict[str, Any] | None = None,
    ) -> Relation:
        """Relate two entities: ``source -[relation_type]-> target``.

        Args:
            source: Entity id ("ent_…") or unique name.
            target: Entity id or unique name.
            relation_type: E.g. "reads_from", "owns", "depends_on".
            strength: A non-negative weight (default 1.0).
            metadata: JSON-compatible data.

        Returns:
            The Relation (an identical existing one is updated and returned).

        Raises:
            NotFoundError: No entity has that id or name.
            ConflictError: The name matches several entities; pass the id.

        Example:
            >>> memory.graph.relate("staging", "orders-db", "reads_from")
        """
        values = dict(
            id=new_id("rel"),
            source=source,
            target=target,
            relation_type=relation_type,
            strength=strength,
            metadata=metadata,
        )
        return Relation.model_validate(self._call("graph.relate", RelateParams, values))

    def find(self, name: str, *, entity_type: str | None = None) -> list[Entity]:
        """Entities with exactly this name (case-insensitive).

        Args:
            name: The name to look up.
            entity_type: Only entities of this type.

        Returns:
            Matching entities (usually zero or one).

        Example:
            >>> memory.graph.find("orders-db")
        """
        rows = self._call("graph.find", FindEntityParams, dict(name=name, entity_type=entity_type))
        return [Entity.model_validate(row) for row in rows]

    def search(self, query: str, *, limit: int = 10) -> list[Hit]:
        """Ranked full-text search over entity names, types and descriptions.

        Args:
            query: Words to look for.
            limit: How many hits (1-1000).

        Returns:
            Hits, best first; ``hit.id`` is the entity id.

        Example:
            >>> memory.graph.search("postgres database")
        """
        rows = self._call("graph.search", SearchParams, dict(query=query, limit=limit))
        return [Hit.model_validate(row) for row in rows]

    def neighbors(
        self,
        entity: str,
        *,
        relation_type: str | None = None,
        depth: int = 1,
        direction: str = "both",
    ) -> list[Neighbor]:
        """Entities reachable from ``entity`` within ``depth`` relations, nearest first.

        Args:
            entity: Entity id or unique name.
            relation_type: Follow only relations of this type.
            depth: How many hops (1-6).
            direction: "out" (entity -> x), "in" (x -> entity) or "both".

        Returns:
            Neighbors with the relation that reached each and its depth.

        Raises:
            NotFoundError: No entity has that id or name.

        Example:
            >>> [n.name for n in memory.graph.neighbors("staging", depth=2)]
        """
        values = dict(entity=entity, relation_type=relation_type, depth=depth, direction=direction)
        rows = self._call("graph.neighbors", NeighborsParams, values)
        return [Neighbor.model_validate(row) for row in rows]

    def path(self, a: str, b: str, *, max_depth: int = 4) -> GraphPath | None:
        """A shortest path between two entities (relations followed either way).

        Args:
            a: Start entity (id or unique name).
            b: End entity (id or unique name).
            max_depth: Longest path to look for (1-6 relations).

        Returns:
            The GraphPath, or None when they are not connected within max_depth.

        Example:
            >>> memory.graph.path("staging", "orders-db")
        """
        result = self._call("graph.path", PathParams, dict(a=a, b=b, max_depth=max_depth))
        return None if result is None else GraphPath.model_validate(result)


class Procedures(_Layer):
    """Procedural memory: named, versioned Python code (the store behind %procedure)."""

    def save(
        self,
        name: str,
        code: str,
        *,
        description: str | None = None,
        message: str | None = None,
    ) -> ProcedureVersion:
        """Save code as the next version of a procedure.

        The code must parse; saving code identical to the latest version (ignoring trailing
        whitespace) returns that version instead of adding one.

        Args:
            name: A Python identifier, e.g. "deploy_checklist".
            code: Python source.
            description: What it does (default: the previous version's, else the docstring).
            message: A note about this version, like a commit message.

        Returns:
            The ProcedureVersion saved (or the identical latest one).

        Raises:
            InvalidArgumentError: A bad name, or a syntax error (with its line number).

        Example:
            >>> memory.procedures.save("greet", "def greet(name):\\n    return 'hi ' + name\\n")
        """
        values = dict(
            id=new_id("proc"), name=name, code=code, description=description, message=message
        )
        result = self._call("procedures.save", SaveProcedureParams, values)
        return ProcedureVersion.model_validate(result)

    def get(self, name: str, *, version: int | None = None) -> ProcedureVersion:
        """One version of a procedure (default: the latest).

        Args:
            name: The procedure's name.
            version: A version number (1 is the first).

        Returns:
            The ProcedureVersion with its code.

        Raises:
            NotFoundError: No such procedure or version (the message lists the versions).

        Example:
            >>> print(memory.procedures.get("greet").code)
        """
        result = self._call("procedures.get", GetProcedureParams, dict(name=name, version=version))
        return ProcedureVersion.model_validate(result)

    def list(self) -> list[ProcedureSummary]:
        """Every procedure with its latest version, description and run statistics.

        Returns:
            Summaries, by name.

        Example:
            >>> [p.name for p in memory.procedures.list()]
        """
        rows = self._backend.call("procedures.list", {})
        return [ProcedureSummary.model_validate(row) for row in rows]

    def history(self, name: str) -> list[ProcedureVersion]:
        """All versions of a procedure, oldest first.

        Args:
            name: The procedure's name.

        Returns:
            Its versions.

        Raises:
            NotFoundError: No such procedure.

        Example:
            >>> [(v.version, v.message) for v in memory.procedures.history("greet")]
        """
        rows = self._call("procedures.history", ProcedureNameParams, {"name": name})
        return [ProcedureVersion.model_validate(row) for row in rows]

    def diff(self, name: str, v1: int, v2: int) -> str:
        """Unified diff of a procedure's code from version v1 to version v2.

        Args:
            name: The procedure's name.
            v1: The old version.
            v2: The new version.

        Returns:
            The diff text ("" when the code is the same).

        Raises:
            NotFoundError: No such procedure or version.

        Example:
            >>> print(memory.procedures.diff("greet", 1, 2))
        """
        values = dict(name=name, v1=v1, v2=v2)
        return str(self._call("procedures.diff", DiffProcedureParams, values))

    def rollback(self, name: str, version: int) -> ProcedureVersion:
        """Make an old version current again by saving a copy of it as a new version.

        History is never rewritten; if the latest version already has that code, it is
        returned unchanged.

        Args:
            name: The procedure's name.
            version: The version to go back to.

        Returns:
            The new latest ProcedureVersion.

        Raises:
            NotFoundError: No such procedure or version.

        Example:
            >>> memory.procedures.rollback("greet", 1)
        """
        values = dict(name=name, version=version)
        result = self._call("procedures.rollback", RollbackProcedureParams, values)
        return ProcedureVersion.model_validate(result)

    def delete(self, name: str) -> bool:
        """Delete a procedure with all its versions and run statistics.

        Args:
            name: The procedure's name.

        Returns:
            True if it existed.

        Example:
            >>> memory.procedures.delete("greet")
        """
        return bool(self._call("procedures.delete", ProcedureNameParams, {"name": name}))

    def search(self, query: str, *, limit: int = 10) -> list[Hit]:
        """Ranked full-text search over procedure names, descriptions and code.

        Args:
            query: Words to look for.
            limit: How many hits (1-1000).

        Returns:
            Hits, best first; ``hit.metadata["name"]`` is the procedure's name.

        Example:
            >>> memory.procedures.search("deploy checklist")
        """
        rows = self._call("procedures.search", SearchParams, dict(query=query, limit=limit))
        return [Hit.model_validate(row) for row in rows]


class Plans(_Layer):
    """Plans: a goal broken into ordered steps, each with a status."""

    def create(self, goal: str, steps: Sequence[str | dict[str, Any]]) -> Plan:
        """Create a plan.

        Args:
            goal: What the plan achieves.
            steps: Step descriptions in order (strings, or dicts with "description" and
                optionally "status" and "note").

        Returns:
            The Plan; its steps are numbered from 0.

        Example:
            >>> memory.plans.create("Fix staging", ["find the cause", "patch config", "redeploy"])
        """
        steps_value = list(steps) if isinstance(steps, (list, tuple)) else steps
        values = dict(id=new_id("plan"), goal=goal, steps=steps_value)
        return Plan.model_validate(self._call("plans.create", CreatePlanParams, values))

    def get(self, id: str) -> Plan:
        """A plan with its steps.

        Args:
            id: The plan id ("plan_…").

        Returns:
            The Plan.

        Raises:
            NotFoundError: No plan has this id.

        Example:
            >>> memory.plans.get(plan.id).steps
        """
        return Plan.model_validate(self._call("plans.get", PlanIdParams, {"id": id}))

    def list(self, *, status: str | None = None, limit: int = 20) -> list[Plan]:
        """Plans, most recently updated first.

        Args:
            status: Only plans with this status (pending, active, completed, failed).
            limit: At most this many (1-1000).

        Returns:
            Plans.

        Example:
            >>> memory.plans.list(status="active")
        """
        rows = self._call("plans.list", ListPlansParams, dict(status=status, limit=limit))
        return [Plan.model_validate(row) for row in rows]

    def update_step(
        self, plan_id: str, step_index: int, status: str, note: str | None = None
    ) -> Plan:
        """Set the status (and optionally a note) of one step; the plan's status follows.

        Args:
            plan_id: The plan id ("plan_…").
            step_index: Which step, counting from 0.
            status: One of pending, in_progress, done, skipped, failed.
            note: A note to keep with the step.

        Returns:
            The updated Plan.

        Raises:
            NotFoundError: No plan has this id.
            InvalidArgumentError: A step index out of range or an unknown status.

        Example:
            >>> memory.plans.update_step(plan.id, 0, status="done", note="replica URL")
        """
        values = dict(plan_id=plan_id, step_index=step_index, status=status, note=note)
        return Plan.model_validate(self._call("plans.update_step", UpdateStepParams, values))


class Memory(_Layer):
    """Long-term memory for agents: semantic memories, plus events, tasks, graph, procedures
    and plans layers, all searchable with ``recall``.
    """

    def __init__(self, backend: Backend, *, path: str = "") -> None:
        super().__init__(backend)
        self._path = path
        self.events = Events(backend)
        self.tasks = Tasks(backend)
        self.graph = Graph(backend)
        self.procedures = Procedures(backend)
        self.plans = Plans(backend)

    def __repr__(self) -> str:
        return f"<Memory store={self._path or '?'}>"

    def remember(
        self,
        content: str,
        *,
        tags: Sequence[str] | None = None,
        metadata: dict[str, Any] | None = None,
        importance: float = 0.5,
    ) -> MemoryRecord:
        """Store a piece of knowledge; it is recallable as soon as this returns.

        Args:
            content: The text to remember.
            tags: Labels for filtering (lower-cased, duplicates dropped).
            metadata: JSON-compatible extra data.
            importance: 0.0 (trivial) to 1.0 (critical).

        Returns:
            The saved MemoryRecord (saved durably before this returns).

        Raises:
            InvalidArgumentError: Empty content, importance out of range, bad tags/metadata.

        Example:
            >>> memory.remember("Staging reads from the replica", tags=["staging"], importance=0.8)
        """
        values = dict(
            id=new_id("mem"),
            content=content,
            tags=tags,
            metadata=metadata,
            importance=importance,
        )
        return MemoryRecord.model_validate(self._call("remember", RememberParams, values))

    def remember_many(self, items: Sequence[str | dict[str, Any]]) -> list[str]:
        """Store many memories fast (bulk ingest).

        All items are validated first; they are then saved in batches of up to 10,000, each
        batch in one transaction.

        Args:
            items: Strings, or dicts with "content" and optionally "tags", "metadata",
                "importance".

        Returns:
            The new ids, in the order of ``items``.

        Raises:
            InvalidArgumentError: An item is invalid (the message names its index); nothing is
                saved then.

        Example:
            >>> ids = memory.remember_many(["fact one", {"content": "fact two", "tags": ["x"]}])
        """
        if isinstance(items, (str, bytes, dict)) or not isinstance(items, Sequence):
            raise InvalidArgumentError(
                "items must be a list of strings or dicts with 'content'; "
                f"got {type(items).__name__}"
            )
        prepared: list[dict[str, Any]] = []
        for index, item in enumerate(items):
            fields = {"content": item} if isinstance(item, str) else item
            if not isinstance(fields, dict):
                raise InvalidArgumentError(
                    f"items[{index}] must be a string or a dict with 'content'; "
                    f"got {type(item).__name__}"
                )
            try:
                request = parse_params(RememberParams, {**fields, "id": new_id("mem")})
            except InvalidArgumentError as exc:
                raise InvalidArgumentError(f"items[{index}]: {exc}") from None
            prepared.append(request.model_dump(mode="json"))
        ids: list[str] = []
        for batch in _batches(prepared):
            ids.extend(self._backend.call("remember_many", {"items": batch}))
        return ids

    def recall(
        self,
        query: str,
        *,
        limit: int = 10,
        tags: Sequence[str] | None = None,
        since: TimeLike | None = None,
        until: TimeLike | None = None,
        layers: Sequence[str] | None = None,
    ) -> list[Hit]:
        """Ranked full-text search (BM25) across memories and every layer.

        Args:
            query: Words to look for, e.g. a question.
            limit: How many hits (1-1000).
            tags: Only items carrying all these tags.
            since: Start of a time range: only items created (events: that happened) at or
                after this time.
            until: End of a time range: only items created before this time.
            layers: Only these layers: semantic, events, tasks, graph, procedures, plans.

        Returns:
            Hits, best first; each has layer, id, score, text, timestamp, tags, metadata.

        Raises:
            InvalidArgumentError: E.g. an empty query or an unknown layer.

        Example:
            >>> for hit in memory.recall("why does the staging deploy fail?", limit=3):
            ...     print(hit.layer, hit.score, hit.text)
        """
        values = dict(query=query, limit=limit, tags=tags, since=since, until=until, layers=layers)
        rows = self._call("recall", RecallParams, values)
        return [Hit.model_validate(row) for row in rows]

    def get(
        self, id: str
    ) -> MemoryRecord | Event | Task | Entity | Relation | Plan | ProcedureSummary:
        """Any item by its id; the id's prefix says which layer it is from.

        Args:
            id: An id such as "mem_3f9a2c1d0b7e", "evt_…", "task_…", "ent_…", "rel_…",
                "plan_…" or "proc_…".

        Returns:
            The item's model (MemoryRecord, Event, Task, Entity, Relation, Plan or
            ProcedureSummary).

        Raises:
            InvalidArgumentError: The id is malformed.
            NotFoundError: Nothing has this id.

        Example:
            >>> memory.get(hit.id)
        """
        model = ITEM_MODELS[id_prefix(id)]
        return model.model_validate(self._backend.call("get", {"id": id}))

    def forget(self, id: str) -> bool:
        """Delete any item by id (an entity takes its relations along).

        Args:
            id: The item's id.

        Returns:
            True if it existed and was deleted, False if there was nothing to delete.

        Raises:
            InvalidArgumentError: The id is malformed.

        Example:
            >>> memory.forget(record.id)
        """
        id_prefix(id)
        return bool(self._backend.call("forget", {"id": id}))

    def update(
        self,
        id: str,
        *,
        content: str | None = None,
        tags: Sequence[str] | None = None,
        metadata: dict[str, Any] | None = None,
        importance: float | None = None,
    ) -> MemoryRecord:
        """Change a semantic memory; arguments left as None stay unchanged.

        Args:
            id: The memory id ("mem_…").
            content: New text.
            tags: New tags (replace the old ones; [] removes all).
            metadata: New metadata (replaces the old).
            importance: New importance (0.0-1.0).

        Returns:
            The updated MemoryRecord.

        Raises:
            NotFoundError: No memory has this id.
            InvalidArgumentError: A bad value, or an id of another layer.

        Example:
            >>> memory.update(record.id, importance=0.9, tags=["staging", "database"])
        """
        values: dict[str, Any] = {"id": id}
        for key, value in (
            ("content", content),
            ("tags", tags),
            ("metadata", metadata),
            ("importance", importance),
        ):
            if value is not None:
                values[key] = value
        result = self._call("update", UpdateMemoryParams, values, only_given=True)
        return MemoryRecord.model_validate(result)

    def stats(self) -> StoreStats:
        """Counts per layer, number of search documents, store size and schema version.

        Returns:
            StoreStats.

        Example:
            >>> memory.stats().counts
        """
        return StoreStats.model_validate(self._backend.call("stats", {}))

    def consolidate(
        self,
        *,
        older_than: timedelta | float | TimeLike | None = None,
        dry_run: bool = False,
        similarity: float = 0.85,
        min_occurrences: int = 3,
    ) -> ConsolidationReport:
        """Tidy memory without an LLM: merge near-duplicates, turn recurring events into patterns.

        Near-duplicate memories (word-set Jaccard similarity >= similarity) are merged into
        the oldest one, which keeps their tags and highest importance. Events that recur at
        least min_occurrences times (same type, outcome and text, ignoring numbers) become one
        semantic memory of kind "pattern" whose sources are those events.

        Args:
            older_than: Only consider items older than this: an age (timedelta or seconds) or
                a point in time. None considers everything.
            dry_run: Only report what would change.
            similarity: Jaccard threshold for near-duplicates (0.01-1.0).
            min_occurrences: How often an event must recur to become a pattern (>= 2).

        Returns:
            A ConsolidationReport listing merged groups and pattern memories.

        Example:
            >>> memory.consolidate(older_than=timedelta(days=1), dry_run=True)
        """
        cutoff = None if older_than is None else cutoff_from(older_than, argument="older_than")
        values = dict(
            before=cutoff, dry_run=dry_run, similarity=similarity, min_occurrences=min_occurrences
        )
        result = self._call("consolidate", ConsolidateParams, values)
        return ConsolidationReport.model_validate(result)

    def close(self) -> None:
        """Close the connection to the store (it reopens on the next call).

        Example:
            >>> memory.close()
        """
        self._backend.close()


def _batches(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split items into request-sized batches (by count and by text size)."""
    batches: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    chars = 0
    for item in items:
        size = len(item["content"]) + 200
        if current and (len(current) >= BATCH_ITEMS or chars + size > BATCH_CHARS):
            batches.append(current)
            current, chars = [], 0
        current.append(item)
        chars += size
    if current:
        batches.append(current)
    return batches
