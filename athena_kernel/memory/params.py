"""The request of every backend operation: one pydantic model per op, validated at both ends.

The facade builds a model from its arguments (bad input fails fast, in the caller's process) and
sends ``model_dump(mode="json")`` through ``backend.call(op, params)``; the store validates the
params again with the same model, so a caller that bypasses the facade gets the same checks.
:data:`OPS` maps op names to their models.
"""

from __future__ import annotations

import keyword
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo

from .errors import InvalidArgumentError
from .models import PLAN_STATUSES, PRIORITIES, STEP_STATUSES, TASK_STATUSES
from .validation import (
    AnyText,
    Flag,
    Importance,
    Layers,
    Limit,
    Metadata,
    OptionalText,
    RequiredTimestamp,
    Seconds,
    ShortName,
    Similarity,
    Strength,
    Tags,
    Text,
    Timestamp,
    bounded_int,
    check_any_text,
    check_metadata,
    check_short_name,
    check_tags,
    check_text,
    choice,
    item_id,
    number_between,
)

#: procedure names: Python identifiers of at most this many characters
MAX_PROCEDURE_NAME = 64
MAX_BATCH_ITEMS = 100_000
MAX_PLAN_STEPS = 200
MAX_GRAPH_DEPTH = 6


def _procedure_name(value: Any, info: ValidationInfo) -> str:
    name = info.field_name or "name"
    if not isinstance(value, str):
        raise InvalidArgumentError(
            f"{name} must be a string (a Python identifier); got {type(value).__name__}"
        )
    if any(ch in value for ch in "/\\.:~") or ".." in value:
        raise InvalidArgumentError(
            f"{name} must be a Python identifier such as 'deploy_checklist' (letters, digits, "
            f"underscores; no path characters like / \\ . :); got {value!r}"
        )
    if not value.isidentifier() or not value.isascii():
        raise InvalidArgumentError(
            f"{name} must be a Python identifier such as 'deploy_checklist' (ASCII letters, "
            f"digits and underscores, not starting with a digit); got {value!r}"
        )
    if len(value) > MAX_PROCEDURE_NAME:
        raise InvalidArgumentError(
            f"{name} must be at most {MAX_PROCEDURE_NAME} characters; got {len(value)}"
        )
    if keyword.iskeyword(value):
        raise InvalidArgumentError(f"{name} must not be a Python keyword; got {value!r}")
    return value


def _version(value: Any, info: ValidationInfo) -> int | None:
    name = info.field_name or "version"
    if value is None and name == "version":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(
            f"{name} must be a version number (an integer >= 1); got {value!r}"
        )
    return value


def _entity_ref(value: Any, info: ValidationInfo) -> str:
    name = info.field_name or "entity"
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(
            f"{name} must be an entity id ('ent_…') or an entity name; got {value!r}"
        )
    return " ".join(value.split())


def _run_id(value: Any, info: ValidationInfo) -> str:
    if (
        not isinstance(value, str)
        or not 8 <= len(value) <= 64
        or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in value)
    ):
        raise InvalidArgumentError(
            f"run_id must be 8-64 characters of letters, digits, '-' or '_'; got {value!r}"
        )
    return value


ProcedureName = Annotated[str, BeforeValidator(_procedure_name)]
Version = Annotated[int | None, BeforeValidator(_version)]
RequiredVersion = Annotated[int, BeforeValidator(_version)]
EntityRef = Annotated[str, BeforeValidator(_entity_ref)]


class Params(BaseModel):
    """Base of request models: unknown arguments are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class NoParams(Params):
    """An operation without arguments."""


# ----------------------------------------------------------------------------- semantic


class RememberParams(Params):
    """``remember``: store one semantic memory."""

    id: Annotated[str | None, item_id("mem", optional=True)] = None
    content: Text
    tags: Tags = Field(default_factory=list)
    metadata: Metadata = Field(default_factory=dict)
    importance: Importance = 0.5


class RememberManyParams(Params):
    """``remember_many``: store a batch of semantic memories in one transaction."""

    items: list[RememberParams] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)


class RecallParams(Params):
    """``recall``: ranked search across layers."""

    query: Text
    limit: Limit = 10
    tags: Tags = Field(default_factory=list)
    since: Timestamp = None
    until: Timestamp = None
    layers: Layers = None


class ItemParams(Params):
    """An operation on one item of any layer, by typed id."""

    id: str


class UpdateMemoryParams(Params):
    """``update``: change the fields that are given (send with ``exclude_unset``)."""

    id: Annotated[str, item_id("mem")]
    content: Annotated[str | None, BeforeValidator(check_text)] = None
    tags: Annotated[list[str] | None, BeforeValidator(check_tags)] = None
    metadata: Annotated[dict[str, Any] | None, BeforeValidator(check_metadata)] = None
    importance: Annotated[float | None, BeforeValidator(number_between(0.0, 1.0))] = None


class ConsolidateParams(Params):
    """``consolidate``: merge near-duplicates and derive patterns from recurring events."""

    before: Timestamp = None
    dry_run: Flag = False
    similarity: Similarity = 0.85
    min_occurrences: Annotated[int, bounded_int(2, 1_000_000)] = 3


# ----------------------------------------------------------------------------- events


class RecordEventParams(Params):
    """``events.record``."""

    id: Annotated[str | None, item_id("evt", optional=True)] = None
    event_type: ShortName
    content: Text
    outcome: OptionalText = None
    session: OptionalText = None
    tags: Tags = Field(default_factory=list)
    metadata: Metadata = Field(default_factory=dict)
    at: Timestamp = None


class RecentEventsParams(Params):
    """``events.recent``."""

    limit: Limit = 10
    session: OptionalText = None
    event_type: OptionalText = None


class BetweenEventsParams(Params):
    """``events.between``."""

    start: RequiredTimestamp
    end: RequiredTimestamp
    event_type: OptionalText = None
    limit: Limit = 100


class SearchEventsParams(Params):
    """``events.search``."""

    query: Text
    limit: Limit = 10
    event_type: OptionalText = None
    session: OptionalText = None
    tags: Tags = Field(default_factory=list)
    since: Timestamp = None
    until: Timestamp = None


# ----------------------------------------------------------------------------- tasks


class CreateTaskParams(Params):
    """``tasks.create``."""

    id: Annotated[str | None, item_id("task", optional=True)] = None
    title: ShortName
    description: AnyText = ""
    due: Timestamp = None
    priority: Annotated[str, choice(PRIORITIES)] = "medium"
    tags: Tags = Field(default_factory=list)


class ListTasksParams(Params):
    """``tasks.list``."""

    status: Annotated[str | None, choice(TASK_STATUSES, optional=True)] = None
    limit: Limit = 20
    tags: Tags = Field(default_factory=list)


class UpdateTaskParams(Params):
    """``tasks.update``: changes the fields that are given (send with ``exclude_unset``).

    ``due=None`` clears the due date; ``tags=None`` clears the tags.
    """

    id: Annotated[str, item_id("task")]
    title: Annotated[str | None, BeforeValidator(check_short_name)] = None
    description: Annotated[str | None, BeforeValidator(check_any_text)] = None
    due: Timestamp = None
    priority: Annotated[str | None, choice(PRIORITIES)] = None
    status: Annotated[str | None, choice(TASK_STATUSES)] = None
    tags: Annotated[list[str] | None, BeforeValidator(check_tags)] = None


class TaskIdParams(Params):
    """``tasks.complete``."""

    id: Annotated[str, item_id("task")]


class OverdueParams(Params):
    """``tasks.overdue``."""

    limit: Limit = 100


# ----------------------------------------------------------------------------- graph


class AddEntityParams(Params):
    """``graph.add_entity``."""

    id: Annotated[str | None, item_id("ent", optional=True)] = None
    name: ShortName
    entity_type: ShortName
    description: AnyText = ""
    metadata: Metadata = Field(default_factory=dict)


class RelateParams(Params):
    """``graph.relate``."""

    id: Annotated[str | None, item_id("rel", optional=True)] = None
    source: EntityRef
    target: EntityRef
    relation_type: ShortName
    strength: Strength = 1.0
    metadata: Metadata = Field(default_factory=dict)


class FindEntityParams(Params):
    """``graph.find``."""

    name: ShortName
    entity_type: OptionalText = None


class SearchParams(Params):
    """A layer's ``search``."""

    query: Text
    limit: Limit = 10


class NeighborsParams(Params):
    """``graph.neighbors``."""

    entity: EntityRef
    relation_type: OptionalText = None
    depth: Annotated[int, bounded_int(1, MAX_GRAPH_DEPTH)] = 1
    direction: Annotated[str, choice(("both", "out", "in"))] = "both"


class PathParams(Params):
    """``graph.path``."""

    a: EntityRef
    b: EntityRef
    max_depth: Annotated[int, bounded_int(1, MAX_GRAPH_DEPTH)] = 4


# ----------------------------------------------------------------------------- procedures


class SaveProcedureParams(Params):
    """``procedures.save``."""

    id: Annotated[str | None, item_id("proc", optional=True)] = None
    name: ProcedureName
    code: Text
    description: OptionalText = None
    message: OptionalText = None


class ProcedureNameParams(Params):
    """A procedure operation by name."""

    name: ProcedureName


class GetProcedureParams(Params):
    """``procedures.get``."""

    name: ProcedureName
    version: Version = None


class DiffProcedureParams(Params):
    """``procedures.diff``."""

    name: ProcedureName
    v1: RequiredVersion
    v2: RequiredVersion


class RollbackProcedureParams(Params):
    """``procedures.rollback``."""

    name: ProcedureName
    version: RequiredVersion


class RecordRunParams(Params):
    """``procedures.record_run`` (kernel only): one run of a procedure."""

    run_id: Annotated[str, BeforeValidator(_run_id)]
    name: ProcedureName
    version: Version = None
    ok: Flag
    duration_s: Seconds
    error: OptionalText = None
    at: Timestamp = None


# ----------------------------------------------------------------------------- plans


class StepInput(Params):
    """One step as given to ``plans.create``."""

    description: Text
    status: Annotated[str, choice(STEP_STATUSES)] = "pending"
    note: OptionalText = None


def _steps(value: Any, info: ValidationInfo) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise InvalidArgumentError(
            "steps must be a list of step descriptions (strings) or dicts with 'description'; "
            f"got {type(value).__name__}"
        )
    if not value:
        raise InvalidArgumentError("steps must hold at least one step; got an empty list")
    if len(value) > MAX_PLAN_STEPS:
        raise InvalidArgumentError(f"steps may hold at most {MAX_PLAN_STEPS}; got {len(value)}")
    return [{"description": step} if isinstance(step, str) else step for step in value]


class CreatePlanParams(Params):
    """``plans.create``."""

    id: Annotated[str | None, item_id("plan", optional=True)] = None
    goal: Text
    steps: Annotated[list[StepInput], BeforeValidator(_steps)]


class PlanIdParams(Params):
    """``plans.get``."""

    id: Annotated[str, item_id("plan")]


class ListPlansParams(Params):
    """``plans.list``."""

    status: Annotated[str | None, choice(PLAN_STATUSES, optional=True)] = None
    limit: Limit = 20


class UpdateStepParams(Params):
    """``plans.update_step``."""

    plan_id: Annotated[str, item_id("plan")]
    step_index: Annotated[int, bounded_int(0, MAX_PLAN_STEPS - 1)]
    status: Annotated[str, choice(STEP_STATUSES)]
    note: OptionalText = None


#: op name -> request model (the store registers a handler for each)
OPS: dict[str, type[Params]] = {
    "remember": RememberParams,
    "remember_many": RememberManyParams,
    "recall": RecallParams,
    "get": ItemParams,
    "forget": ItemParams,
    "update": UpdateMemoryParams,
    "stats": NoParams,
    "consolidate": ConsolidateParams,
    "events.record": RecordEventParams,
    "events.recent": RecentEventsParams,
    "events.between": BetweenEventsParams,
    "events.search": SearchEventsParams,
    "tasks.create": CreateTaskParams,
    "tasks.list": ListTasksParams,
    "tasks.update": UpdateTaskParams,
    "tasks.complete": TaskIdParams,
    "tasks.overdue": OverdueParams,
    "graph.add_entity": AddEntityParams,
    "graph.relate": RelateParams,
    "graph.find": FindEntityParams,
    "graph.search": SearchParams,
    "graph.neighbors": NeighborsParams,
    "graph.path": PathParams,
    "procedures.save": SaveProcedureParams,
    "procedures.get": GetProcedureParams,
    "procedures.list": NoParams,
    "procedures.history": ProcedureNameParams,
    "procedures.diff": DiffProcedureParams,
    "procedures.rollback": RollbackProcedureParams,
    "procedures.delete": ProcedureNameParams,
    "procedures.search": SearchParams,
    "procedures.record_run": RecordRunParams,
    "plans.create": CreatePlanParams,
    "plans.get": PlanIdParams,
    "plans.list": ListPlansParams,
    "plans.update_step": UpdateStepParams,
}
