"""A user's session through jupyter_client: memory across cells and restarts, interrupts,
completion and inspection of their own variables — in both isolation modes."""

from __future__ import annotations

import time

import pytest
from kernel_helpers import start_kernel

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module", params=["process", "inprocess"])
def kernel(request):
    client = start_kernel("athena", ATHENA_ISOLATION=request.param)
    yield client
    client.stop()


def test_kernel_info_names_athena(kernel):
    info = kernel.kernel_info()
    assert info["implementation"] == "athena_kernel"
    assert info["language_info"]["name"] == "python"
    assert info["implementation_version"]


def test_memory_is_bound_before_the_first_cell_and_survives_reset(kernel):
    assert kernel.run("memory.stats().schema_version >= 1").value == "True"
    kernel.run("%reset -f")
    assert kernel.run("memory.stats().schema_version >= 1").value == "True"
    kernel.run("del memory")
    assert kernel.run("memory.stats().schema_version >= 1").value == "True"


def test_memory_across_cells_and_restart(kernel):
    saved = kernel.run("m = memory.remember('orders service pages on-call at 2am', tags=['ops'])")
    assert saved.ok, saved.text()
    again = kernel.run("[h.id == m.id for h in memory.recall('orders on-call', limit=1)]")
    assert again.value == "[True]", again.text()
    mem_id = kernel.run("m.id").value
    kernel.restart()
    assert kernel.run("m").status == "error"  # variables are gone...
    found = kernel.run(f"memory.get({mem_id}).tags")  # ...the memory is not
    assert found.value == "['ops']", found.text()


def test_interrupt_stops_a_running_cell_and_the_kernel_carries_on(kernel):
    msg_id = kernel.send_execute("n = 0\nwhile True:\n    n += 1")
    time.sleep(1.5)
    kernel.interrupt()
    cell = kernel.collect(msg_id, timeout=30)
    assert cell.status == "error"
    assert cell.error["ename"] == "KeyboardInterrupt"
    assert kernel.run("n > 0").value == "True"
    assert kernel.run("memory.stats().schema_version >= 1").ok


def test_completion_and_inspection_see_user_variables(kernel):
    kernel.run("customer_total = 42")
    reply = kernel.complete("customer_to")
    assert "customer_total" in reply["matches"]
    info = kernel.inspect("customer_total")
    assert info["found"]
    assert "42" in info["data"]["text/plain"]


def test_top_level_await_is_rejected_by_the_policy_not_run(kernel):
    # the sandbox turns IPython's autoawait off (the policy refuses async code anyway):
    # a top-level await must still be one clear rejection, and the next cell must run
    cell = kernel.run("pending = None\nawait pending")
    assert cell.status == "error"
    assert cell.error["ename"] == "PolicyViolation"  # an InputRejected
    assert "policy.async" in cell.error["evalue"]
    assert "line 2" in cell.error["evalue"]
    assert kernel.run("40 + 2").value == "42"
