"""A small classic-BPF assembler, disassembler and interpreter (the subset seccomp filters use).

Seccomp filters are classic BPF programs run over ``struct seccomp_data``. We assemble them
ourselves (no libseccomp): :class:`Assembler` takes instructions with symbolic forward jumps and
resolves them to the 8-bit offsets the kernel wants; :func:`run` interprets a program so tests can
check its decision for any system call without installing it; :func:`disassemble` prints it.

Supported instructions: ``ld [k]`` (32-bit absolute load), ``jeq/jgt/jge/jset #k`` with true and
false targets, ``ja`` (unconditional), ``and #k`` and ``ret #k``.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

# Instruction classes and modes (include/uapi/linux/bpf_common.h).
BPF_LD = 0x00
BPF_ALU = 0x04
BPF_JMP = 0x05
BPF_RET = 0x06
BPF_W = 0x00
BPF_ABS = 0x20
BPF_K = 0x00
BPF_AND = 0x50
BPF_JA = 0x00
BPF_JEQ = 0x10
BPF_JGT = 0x20
BPF_JGE = 0x30
BPF_JSET = 0x40

#: The kernel refuses filters longer than this (BPF_MAXINSNS).
MAX_INSTRUCTIONS = 4096

_JUMP_NAMES = {BPF_JEQ: "jeq", BPF_JGT: "jgt", BPF_JGE: "jge", BPF_JSET: "jset"}
_SOCK_FILTER = struct.Struct("=HBBI")


class Instruction(NamedTuple):
    """One ``struct sock_filter``: opcode, jump-if-true, jump-if-false, constant."""

    code: int
    jt: int
    jf: int
    k: int


class BpfError(ValueError):
    """A program cannot be assembled or interpreted (bad label, jump too far, bad opcode)."""


@dataclass(frozen=True)
class _Pending:
    code: int
    k: int
    jt: str | None
    jf: str | None


class Assembler:
    """Build a classic-BPF program with named forward-jump targets.

    Example:
        ``asm = Assembler(); asm.load(0); asm.jump_eq(41, "deny"); asm.ret(ALLOW);
        asm.label("deny"); asm.ret(DENY); program = asm.assemble()``
    """

    def __init__(self) -> None:
        self._items: list[_Pending] = []
        self._labels: dict[str, int] = {}

    def label(self, name: str) -> None:
        """Mark the next instruction as the target ``name``."""
        if name in self._labels:
            raise BpfError(f"label {name!r} is defined twice; use a unique name per target")
        self._labels[name] = len(self._items)

    def load(self, offset: int) -> None:
        """``ld [offset]``: load the 32-bit word at ``offset`` of the input into A."""
        self._items.append(_Pending(BPF_LD | BPF_W | BPF_ABS, offset, None, None))

    def and_(self, mask: int) -> None:
        """``and #mask``: A &= mask."""
        self._items.append(_Pending(BPF_ALU | BPF_AND | BPF_K, mask & 0xFFFFFFFF, None, None))

    def _jump(self, op: int, k: int, jt: str | None, jf: str | None) -> None:
        self._items.append(_Pending(BPF_JMP | op | BPF_K, k & 0xFFFFFFFF, jt, jf))

    def jump_eq(self, k: int, jt: str | None = None, jf: str | None = None) -> None:
        """If A == k go to ``jt`` else to ``jf`` (None: the next instruction)."""
        self._jump(BPF_JEQ, k, jt, jf)

    def jump_ge(self, k: int, jt: str | None = None, jf: str | None = None) -> None:
        """If A >= k (unsigned) go to ``jt`` else to ``jf``."""
        self._jump(BPF_JGE, k, jt, jf)

    def jump_gt(self, k: int, jt: str | None = None, jf: str | None = None) -> None:
        """If A > k (unsigned) go to ``jt`` else to ``jf``."""
        self._jump(BPF_JGT, k, jt, jf)

    def jump_set(self, k: int, jt: str | None = None, jf: str | None = None) -> None:
        """If A & k != 0 go to ``jt`` else to ``jf``."""
        self._jump(BPF_JSET, k, jt, jf)

    def jump(self, target: str) -> None:
        """``ja target``: unconditional forward jump."""
        self._items.append(_Pending(BPF_JMP | BPF_JA, 0, target, None))

    def ret(self, value: int) -> None:
        """``ret #value``: end the program with this seccomp action."""
        self._items.append(_Pending(BPF_RET | BPF_K, value & 0xFFFFFFFF, None, None))

    def assemble(self) -> list[Instruction]:
        """Resolve labels into relative offsets and return the program.

        Raises:
            BpfError: an unknown or backward label, a conditional jump farther than 255
                instructions, a program that can fall off its end, or one longer than 4096.
        """
        out: list[Instruction] = []
        for index, item in enumerate(self._items):
            if item.code == BPF_JMP | BPF_JA:
                out.append(Instruction(item.code, 0, 0, self._offset(index, item.jt, wide=True)))
            elif item.code & 0x07 == BPF_JMP:
                jt = self._offset(index, item.jt)
                jf = self._offset(index, item.jf)
                out.append(Instruction(item.code, jt, jf, item.k))
            else:
                out.append(Instruction(item.code, 0, 0, item.k))
        if not out or out[-1].code != BPF_RET | BPF_K:
            raise BpfError("a program must end with a ret instruction")
        if len(out) > MAX_INSTRUCTIONS:
            raise BpfError(f"program has {len(out)} instructions; the kernel allows 4096")
        return out

    def _offset(self, index: int, label: str | None, *, wide: bool = False) -> int:
        if label is None:
            return 0
        if label not in self._labels:
            raise BpfError(f"jump to undefined label {label!r}")
        offset = self._labels[label] - index - 1
        if offset < 0:
            raise BpfError(f"jump to {label!r} goes backwards; BPF jumps only forward")
        if not wide and offset > 255:
            raise BpfError(
                f"conditional jump to {label!r} spans {offset} instructions (max 255); "
                "move the target closer or add an unconditional 'ja' trampoline"
            )
        return offset


def pack(program: Sequence[Instruction]) -> bytes:
    """The program as the kernel reads it: an array of ``struct sock_filter``."""
    return b"".join(_SOCK_FILTER.pack(*ins) for ins in program)


def unpack(blob: bytes) -> list[Instruction]:
    """Inverse of :func:`pack`."""
    if len(blob) % _SOCK_FILTER.size:
        raise BpfError(f"{len(blob)} bytes is not a whole number of 8-byte instructions")
    return [Instruction(*_SOCK_FILTER.unpack_from(blob, i)) for i in range(0, len(blob), 8)]


def run(program: Sequence[Instruction], data: bytes) -> int:
    """Interpret ``program`` over the input ``data`` and return the value of its ``ret``.

    Raises:
        BpfError: an unsupported opcode, an out-of-bounds load or a jump past the end.
    """
    acc = 0
    pc = 0
    steps = 0
    while True:
        if pc >= len(program):
            raise BpfError(f"execution ran past the end of the program (pc={pc})")
        steps += 1
        if steps > MAX_INSTRUCTIONS * 2:
            raise BpfError("program did not terminate")
        ins = program[pc]
        cls = ins.code & 0x07
        if ins.code == BPF_LD | BPF_W | BPF_ABS:
            if ins.k + 4 > len(data) or ins.k % 4:
                raise BpfError(f"load at offset {ins.k} is outside the {len(data)}-byte input")
            acc = struct.unpack_from("=I", data, ins.k)[0]
            pc += 1
        elif ins.code == BPF_ALU | BPF_AND | BPF_K:
            acc &= ins.k
            pc += 1
        elif ins.code == BPF_RET | BPF_K:
            return ins.k
        elif ins.code == BPF_JMP | BPF_JA:
            pc += 1 + ins.k
        elif cls == BPF_JMP and ins.code & 0xF0 in _JUMP_NAMES and ins.code & 0x08 == BPF_K:
            op = ins.code & 0xF0
            if op == BPF_JEQ:
                taken = acc == ins.k
            elif op == BPF_JGT:
                taken = acc > ins.k
            elif op == BPF_JGE:
                taken = acc >= ins.k
            else:
                taken = bool(acc & ins.k)
            pc += 1 + (ins.jt if taken else ins.jf)
        else:
            raise BpfError(f"unsupported opcode {ins.code:#06x} at instruction {pc}")


def disassemble(program: Sequence[Instruction]) -> list[str]:
    """One readable line per instruction, with absolute jump targets."""
    lines = []
    for pc, ins in enumerate(program):
        if ins.code == BPF_LD | BPF_W | BPF_ABS:
            text = f"ld [{ins.k}]"
        elif ins.code == BPF_ALU | BPF_AND | BPF_K:
            text = f"and #{ins.k:#x}"
        elif ins.code == BPF_RET | BPF_K:
            text = f"ret #{ins.k:#010x}"
        elif ins.code == BPF_JMP | BPF_JA:
            text = f"ja {pc + 1 + ins.k}"
        elif ins.code & 0x07 == BPF_JMP and ins.code & 0xF0 in _JUMP_NAMES:
            name = _JUMP_NAMES[ins.code & 0xF0]
            text = f"{name} #{ins.k:#x}, {pc + 1 + ins.jt}, {pc + 1 + ins.jf}"
        else:
            text = f"??? {ins}"
        lines.append(f"{pc:4d}: {text}")
    return lines
