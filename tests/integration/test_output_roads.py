"""The output filter on every road, through a real `athena` kernel (agent profile, 2,000 chars)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.kernel

#: a 1x1 PNG, base64 (as Jupyter carries image/png)
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)


def test_small_outputs_are_byte_identical(agent_kernel):
    cell = agent_kernel.run("import sys\nprint('hello')\nprint('err', file=sys.stderr)\n40 + 2")
    assert cell.ok, cell.text()
    assert cell.stdout == "hello\n"
    assert cell.stderr == "err\n"
    assert cell.value == "42"


def test_stream_flood_keeps_head_and_tail_with_one_marker(agent_kernel):
    cell = agent_kernel.run("for i in range(5000):\n    print(f'line {i}')")
    assert cell.ok
    out = cell.stdout
    assert len(out) < 3000
    assert out.startswith("line 0\nline 1\n")
    assert out.rstrip().endswith("line 4999")
    markers = re.findall(r"chars of output omitted — see them with %output (\d+) --range", out)
    assert markers == [str(cell.execution_count)]
    stats = cell.reply_metadata["athena"]["output"]
    assert stats["truncated"] and stats["chars_in"] > 40_000 and stats["chars_out"] < 3000


def test_full_output_is_retrievable(agent_kernel):
    flood = agent_kernel.run("for i in range(3000):\n    print(f'row {i}')")
    n = flood.execution_count
    assert "row 1500\n" not in flood.stdout
    part = agent_kernel.run(f"%output {n} --grep 'row 1500'")
    assert part.ok, part.text()
    assert "row 1500" in part.stdout
    whole = agent_kernel.run(f"len(_output({n}))")
    assert int(whole.value) == sum(len(f"row {i}\n") for i in range(3000))


def test_large_value_is_summarised_by_structure(agent_kernel):
    cell = agent_kernel.run("[{'id': i, 'ok': i % 3 == 0} for i in range(5000)]")
    assert cell.ok
    text = cell.value
    assert len(text) <= 2000
    assert "5000" in text.replace(",", "") and "dict" in text


def test_error_traceback_is_compacted_and_filtered(agent_kernel):
    cell = agent_kernel.run("def f(n):\n    return 1 / n\nf(0)")
    assert cell.status == "error"
    tb = "\n".join(cell.error["traceback"])
    assert "\x1b[" not in tb  # ANSI stripped in the agent profile
    assert "ZeroDivisionError" in tb
    assert "site-packages/IPython" not in tb and "ipykernel" not in tb
    # the execute_reply repeats the same, filtered error
    assert cell.reply["traceback"] == cell.error["traceback"]


def test_request_metadata_sets_the_budget(agent_kernel):
    code = "print('x' * 6000)"
    small = agent_kernel.run(code)
    big = agent_kernel.run(code, max_output_chars=8000)
    assert len(small.stdout) < 2500
    assert big.stdout == "x" * 6000 + "\n"
    assert big.reply_metadata["athena"]["output"]["budget_chars"] == 8000


def test_binary_output_is_described_in_agent_profile(agent_kernel):
    cell = agent_kernel.run(f"display({{'image/png': '{PNG}', 'text/plain': 'dot'}}, raw=True)")
    assert cell.ok, cell.text()
    bundle = cell.displays[0]
    assert "image/png" not in bundle
    assert "1×1" in bundle["text/plain"] or "1x1" in bundle["text/plain"]


def test_binary_output_is_kept_in_human_profile(lab_kernel):
    cell = lab_kernel.run(f"display({{'image/png': '{PNG}', 'text/plain': 'dot'}}, raw=True)")
    assert cell.displays[0]["image/png"].startswith("iVBOR")


@pytest.fixture(scope="module", params=["process", "inprocess"])
def kernel_per_mode(request):
    from kernel_helpers import start_kernel

    client = start_kernel("athena", ATHENA_ISOLATION=request.param)
    yield client
    client.stop()


def test_reply_figures_count_every_streamed_byte_in_both_modes(kernel_per_mode):
    # the figures are taken after ipykernel's end-of-cell flush: buffered output is counted
    small = kernel_per_mode.run("print('a' * 10)\nimport sys\nn = sys.stderr.write('b' * 5)")
    stats = small.reply_metadata["athena"]["output"]
    assert small.stdout == "a" * 10 + "\n" and small.stderr == "b" * 5
    assert stats["chars_in"] == 16 and not stats["truncated"]
    flood = kernel_per_mode.run("for i in range(3000):\n    print(f'row {i}')")
    stats = flood.reply_metadata["athena"]["output"]
    assert stats["truncated"]
    assert stats["chars_in"] == sum(len(f"row {i}\n") for i in range(3000))
    assert flood.stdout.rstrip().endswith("row 2999")  # the tail is sent before the reply
    assert len(re.findall(r"chars of output omitted", flood.stdout)) == 1
