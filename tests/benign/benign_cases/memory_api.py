"""The `memory` API as agents use it. Each case tags or names what it stores with its own label,
so cases are independent of each other and of what else is in the store."""

from __future__ import annotations

from .case import BenignCase

CASES: list[BenignCase] = [
    BenignCase(
        name="memory_remember_and_recall_by_tag",
        code="""notes = [
    "The staging deploy fails when the database points at the read replica",
    "Rotate the staging credentials every 90 days",
    "Production deploys need two approvals",
]
for note in notes:
    memory.remember(note, tags=["bn-recall", "staging" if "staging" in note else "prod"])
hits = memory.recall("why does the staging deploy fail", tags=["bn-recall"], limit=2)
print(len(hits), hits[0].text)
print(hits[0].layer, sorted(hits[0].tags), hits[0].score > 0)
""",
        stdout=(
            "2 The staging deploy fails when the database points at the read replica\n"
            "semantic ['bn-recall', 'staging'] True\n"
        ),
    ),
    BenignCase(
        name="memory_record_fields_and_get",
        code="""m = memory.remember("Customer ACME prefers weekly summaries", tags=["bn-get", "Prefs"],
                    metadata={"ticket": 42}, importance=0.8)
same = memory.get(m.id)
print(m.id.startswith("mem_"), same.content, same.tags, same.metadata, same.importance)
print(same == m, sorted(m.model_dump())[:4])
""",
        stdout=(
            "True Customer ACME prefers weekly summaries ['bn-get', 'prefs'] {'ticket': 42} 0.8\n"
            "True ['content', 'created_at', 'id', 'importance']\n"
        ),
    ),
    BenignCase(
        name="memory_update_and_forget",
        code="""m = memory.remember("Cache TTL is 300 seconds", tags=["bn-forget"])
updated = memory.update(m.id, content="Cache TTL is 600 seconds", importance=0.2)
print(updated.content, updated.importance)
print(memory.forget(m.id), memory.forget(m.id))
try:
    memory.get(m.id)
except KeyError:
    print("gone")
print(memory.recall("cache TTL", tags=["bn-forget"]))
""",
        stdout="Cache TTL is 600 seconds 0.2\nTrue False\ngone\n[]\n",
    ),
    BenignCase(
        name="memory_results_are_read_only",
        code="""m = memory.remember("Build agents run Ubuntu 22.04", tags=["bn-readonly"])
try:
    m.content = "changed"
except TypeError as exc:
    print("read-only:", type(exc).__name__)
copy = m.model_copy(update={"content": "Build agents run Ubuntu 24.04"})
print(copy.content, m.content)
""",
        stdout=(
            "read-only: WriteDenied\nBuild agents run Ubuntu 24.04 Build agents run Ubuntu 22.04\n"
        ),
    ),
    BenignCase(
        name="memory_remember_many",
        code="""ids = memory.remember_many([
    "Weekly report goes out on Mondays",
    {"content": "Monthly report goes out on the 1st", "tags": ["bn-many"]},
    {"content": "Quarterly report needs finance sign-off", "tags": ["bn-many"], "importance": 0.9},
])
hits = memory.recall("report", tags=["bn-many"])
print(len(ids), all(i.startswith("mem_") for i in ids), sorted(h.text for h in hits))
""",
        stdout=(
            "3 True ['Monthly report goes out on the 1st', "
            "'Quarterly report needs finance sign-off']\n"
        ),
    ),
    BenignCase(
        name="memory_events_record_and_recent",
        code="""for n, outcome in [(1, "failure"), (2, "failure"), (3, "success")]:
    memory.events.record("bn_deploy", f"deploy attempt {n}", outcome=outcome, session="bn-s1",
                         at=f"2024-05-01T10:0{n}:00")
recent = memory.events.recent(2, event_type="bn_deploy")
print([(e.content, e.outcome) for e in recent])
window = memory.events.between("2024-05-01T10:01:30", "2024-05-01T10:05:00")
print([e.content for e in window], window[0].at.isoformat())
""",
        stdout=(
            "[('deploy attempt 3', 'success'), ('deploy attempt 2', 'failure')]\n"
            "['deploy attempt 2', 'deploy attempt 3'] 2024-05-01T10:02:00+00:00\n"
        ),
    ),
    BenignCase(
        name="memory_events_search",
        code="""memory.events.record("bn_tool_call", "search_orders timed out after 30s", outcome="failure",
                     session="bn-s2")
memory.events.record("bn_tool_call", "search_orders returned 12 rows", outcome="success",
                     session="bn-s2")
hits = memory.events.search("timed out", session="bn-s2")
print(len(hits), hits[0].text.startswith("bn_tool_call"), "timed out" in hits[0].text)
""",
        stdout="1 True True\n",
    ),
    BenignCase(
        name="memory_tasks_lifecycle",
        code="""t1 = memory.tasks.create("Point staging at the primary", priority="high",
                         due="2024-06-01", tags=["bn-tasks"])
t2 = memory.tasks.create("Write the post-mortem", tags=["bn-tasks"])
memory.tasks.update(t2.id, status="in_progress")
done = memory.tasks.complete(t1.id)
print(done.status, done.priority, done.due.date())
for t in memory.tasks.list(tags=["bn-tasks"]):
    print(f"{t.status:<12} {t.priority:<7} {t.title}")
""",
        stdout=(
            "done high 2024-06-01\n"
            "in_progress  medium  Write the post-mortem\n"
            "done         high    Point staging at the primary\n"
        ),
    ),
    BenignCase(
        name="memory_task_bad_priority_message",
        code="""try:
    memory.tasks.create("Typo in priority", priority="hgh", tags=["bn-badprio"])
except ValueError as exc:
    print(str(exc).splitlines()[0])
""",
        stdout="priority must be one of low, medium, high, urgent; got 'hgh'\n",
    ),
    BenignCase(
        name="memory_graph_entities_and_paths",
        code="""g = memory.graph
g.add_entity("bn-staging", "environment", description="pre-production cluster")
g.add_entity("bn-orders-db", "database")
g.add_entity("bn-db-host", "host")
g.relate("bn-staging", "bn-orders-db", "reads_from")
g.relate("bn-orders-db", "bn-db-host", "runs_on", strength=0.5)
print([(n.name, n.depth) for n in g.neighbors("bn-staging", depth=2)])
print(g.path("bn-staging", "bn-db-host"))
print(g.find("BN-ORDERS-DB")[0].entity_type, g.path("bn-db-host", "bn-staging", max_depth=1))
""",
        stdout=(
            "[('bn-orders-db', 1), ('bn-db-host', 2)]\n"
            "GraphPath('bn-staging' -[reads_from]-> 'bn-orders-db' -[runs_on]-> 'bn-db-host')\n"
            "database None\n"
        ),
    ),
    BenignCase(
        name="memory_plans",
        code="""plan = memory.plans.create("bn: fix staging", ["find the cause", "patch config", "redeploy"])
print(plan.status, [s.description for s in plan.steps])
plan = memory.plans.update_step(plan.id, 0, "done", note="replica URL")
print(plan.status, plan.steps[0].status, plan.steps[0].note)
for i in (1, 2):
    plan = memory.plans.update_step(plan.id, i, "done")
print(plan.status, memory.plans.get(plan.id).goal)
""",
        stdout=(
            "pending ['find the cause', 'patch config', 'redeploy']\n"
            "active done replica URL\n"
            "completed bn: fix staging\n"
        ),
    ),
    BenignCase(
        name="memory_procedures_versions",
        code="""code_v1 = "def greet(name):\\n    return 'hi ' + name\\n"
code_v2 = "def greet(name):\\n    return f'hello {name}!'\\n"
p1 = memory.procedures.save("bn_greet", code_v1, description="Greets someone")
p2 = memory.procedures.save("bn_greet", code_v2, message="friendlier")
again = memory.procedures.save("bn_greet", code_v2)
print(p1.version, p2.version, again.version, memory.procedures.get("bn_greet").description)
print([v.version for v in memory.procedures.history("bn_greet")])
print(memory.procedures.diff("bn_greet", 1, 2).splitlines()[-2:])
""",
        stdout=(
            "1 2 2 Greets someone\n"
            "[1, 2]\n"
            "[\"-    return 'hi ' + name\", \"+    return f'hello {name}!'\"]\n"
        ),
    ),
    BenignCase(
        name="memory_recall_across_layers",
        code="""memory.remember("bn-layers: the nightly backup job writes to bucket B", tags=["bn-layers"])
memory.tasks.create("bn-layers: verify the nightly backup restores", tags=["bn-layers"])
hits = memory.recall("nightly backup bn-layers", layers=["semantic", "tasks"], limit=5)
print(sorted({h.layer for h in hits if "bn-layers" in h.text}))
only_tasks = memory.recall("nightly backup bn-layers", layers=["tasks"])
print({h.layer for h in only_tasks})
""",
        stdout="['semantic', 'tasks']\n{'tasks'}\n",
    ),
    BenignCase(
        name="memory_driven_analysis",
        code="""from collections import Counter
for n, outcome in enumerate(["success", "failure", "success", "failure", "failure"]):
    memory.events.record("bn_build", f"build {n}", outcome=outcome)
outcomes = Counter(e.outcome for e in memory.events.recent(50, event_type="bn_build"))
rate = outcomes["failure"] / sum(outcomes.values())
if rate > 0.5:
    memory.remember(f"Builds fail {rate:.0%} of the time", tags=["bn-analysis"], importance=0.9)
print(dict(sorted(outcomes.items())), [h.text for h in memory.recall("builds fail", tags=["bn-analysis"])])
""",
        stdout="{'failure': 3, 'success': 2} ['Builds fail 60% of the time']\n",
    ),
    BenignCase(
        name="memory_multi_cell_ids",
        setup=(
            """task = memory.tasks.create("bn-multi: rotate keys", priority="urgent",
                           tags=["bn-multi"])
""",
        ),
        code="""memory.tasks.update(task.id, title="bn-multi: rotate API keys")
fetched = memory.get(task.id)
fetched.title, fetched.priority, fetched.status
""",
        result="('bn-multi: rotate API keys', 'urgent', 'pending')",
    ),
]
