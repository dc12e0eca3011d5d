"""KernelServices: the seam between user code and the trusted side."""

from __future__ import annotations

import pytest

from athena_kernel.memory import open_backend
from athena_kernel.privacy import Vault
from athena_kernel.services import KernelServices, ServicesError


@pytest.fixture()
def services():
    vault = Vault()
    svc = KernelServices(open_backend(":memory:"), vault=lambda: vault, warn=print)
    yield svc, vault
    svc.close()


def test_admin_and_unknown_ops_are_refused(services) -> None:
    svc, _ = services
    for op in ("owner.shutdown", "owner.ping", "no.such.op"):
        with pytest.raises(ServicesError, match="not an operation the kernel offers"):
            svc.call(op, {})


def test_audit_event_types_are_reserved_for_the_kernel(services) -> None:
    svc, _ = services
    with pytest.raises(ServicesError, match="reserved for the kernel's audit trail"):
        svc.call("events.record", {"event_type": "sandbox.rejected", "content": "forged"})
    svc.audit("sandbox.rejected", "cell [3] policy.import: ...", {"rule": "policy.import"})
    recent = svc.call("events.recent", {"limit": 5})
    assert [e["event_type"] for e in recent] == ["sandbox.rejected"]


def test_tokens_in_and_out(services) -> None:
    svc, vault = services
    token = vault.tokenize("mail bob@example.com")[5:]
    saved = svc.call("remember", {"content": f"ping {token}", "id": "mem_0123456789ab"})
    assert saved["content"] == f"ping {token}"  # what user code sees
    raw = svc.store.call("get", {"id": "mem_0123456789ab"})
    assert raw["content"] == "ping bob@example.com"  # what is stored
