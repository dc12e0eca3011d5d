"""Every attack of the corpus, through a real kernel, in both isolation modes.

An attack fails (i.e. the sandbox holds) when, judged from outside the sandbox:
- the marker (printed only after obtaining a real module, frame, globals or file content) is in
  no message the client received;
- the canary file's secret is in no message;
- no file appeared where the attack tried to write;
- the kernel still answers and `memory` still works.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest
from attacks import ATTACKS, Attack

pytestmark = [pytest.mark.security, pytest.mark.kernel]

MARK_EXPR = '"ESC" + "APED"'
MARK = "ESC" + "APED"


def render(attack: Attack, canary: str, target: str) -> str:
    """The attack's cell: placeholders filled, doubled braces made single."""
    code = attack.code.replace("{mark}", MARK_EXPR)
    code = code.replace("{canary}", canary).replace("{target}", target)
    return code.replace("{{", "{").replace("}}", "}")


def test_the_corpus_is_big_and_varied() -> None:
    assert len(ATTACKS) >= 150
    techniques = {a.technique for a in ATTACKS}
    assert len(techniques) >= 15
    names = [a.name for a in ATTACKS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: f"{a.technique}:{a.name}")
def test_attack_is_contained(attacked_kernel, attack, canary, forbidden_dir) -> None:
    target = forbidden_dir / f"{attack.name}-{uuid.uuid4().hex[:6]}"
    code = render(attack, str(canary), str(target))
    start = time.monotonic()
    cell = attacked_kernel.run(code, timeout=120)
    elapsed = time.monotonic() - start
    seen = "\n".join(
        json.dumps(m["content"]) for m in cell.messages if m["msg_type"] != "execute_input"
    ) + json.dumps(cell.reply)
    assert MARK not in seen, f"escape: {attack.name} printed the marker\n{cell.text()[:2000]}"
    assert canary.read_text() not in seen, f"{attack.name} leaked the canary"
    assert not target.exists(), f"{attack.name} wrote {target}"
    # every cell ends: within the time limit plus the grace period plus slack
    assert elapsed < 4 + 2 + 15, f"{attack.name} took {elapsed:.1f} s"
    # and the kernel carries on with memory intact
    after = attacked_kernel.run("memory.stats().schema_version >= 1", timeout=60)
    assert after.value == "True", f"after {attack.name}: {after.text()[:1000]}"
