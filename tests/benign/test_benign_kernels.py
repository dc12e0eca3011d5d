"""Every benign case must print exactly its expected output in every kernel configuration.

Stock ipykernel runs the cases that need no Athena name, so the expectations are checked against
CPython itself; Athena runs all of them in both isolation modes and both kernelspecs' profiles.
A case the sandbox is known to refuse carries ``xfail``: it is a strict expected failure in
Athena's kernels (and must still pass in stock).
"""

from __future__ import annotations

import pytest
from benign_cases import BenignCase, all_cases
from benign_cases.check import mismatches, run_case
from benign_kernels import KernelConfig

from athena_kernel.client import AthenaClient

pytestmark = [pytest.mark.benign, pytest.mark.kernel]


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.name)
def test_benign_case(
    benign_kernel: tuple[KernelConfig, AthenaClient],
    case: BenignCase,
    request: pytest.FixtureRequest,
) -> None:
    config, client = benign_kernel
    if config.is_stock and case.needs_athena:
        pytest.skip("uses a name only Athena binds")
    reason = case.xfail_reason(config.isolation)
    if reason is not None:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    problems = mismatches(case, run_case(client, case))
    assert not problems, f"{case.name} in {config.id}:\n" + "\n".join(problems)
