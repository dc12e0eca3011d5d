"""The classic-BPF assembler, packer and interpreter used for the seccomp filter."""

from __future__ import annotations

import struct

import pytest

from athena_kernel.isolation.bpf import (
    BPF_JEQ,
    BPF_JMP,
    BPF_K,
    Assembler,
    BpfError,
    Instruction,
    disassemble,
    pack,
    run,
    unpack,
)


def _data(*words: int) -> bytes:
    return struct.pack(f"={len(words)}I", *words)


def test_forward_labels_resolve_to_relative_offsets() -> None:
    asm = Assembler()
    asm.load(0)
    asm.jump_eq(7, jt="seven")
    asm.ret(1)
    asm.label("seven")
    asm.ret(2)
    program = asm.assemble()
    assert program[1] == Instruction(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 7)
    assert run(program, _data(7)) == 2
    assert run(program, _data(8)) == 1


def test_jump_ops_compare_unsigned() -> None:
    asm = Assembler()
    asm.load(0)
    asm.jump_ge(0x40000000, jt="high")
    asm.jump_gt(10, jt="mid")
    asm.jump_set(0b100, jt="bit")
    asm.ret(0)
    asm.label("high")
    asm.ret(3)
    asm.label("mid")
    asm.ret(2)
    asm.label("bit")
    asm.ret(1)
    program = asm.assemble()
    assert run(program, _data(0xFFFFFFFF)) == 3  # -1 as signed, huge unsigned
    assert run(program, _data(0x40000000)) == 3
    assert run(program, _data(11)) == 2
    assert run(program, _data(10)) == 0
    assert run(program, _data(4)) == 1
    assert run(program, _data(3)) == 0


def test_and_and_unconditional_jump() -> None:
    asm = Assembler()
    asm.load(4)
    asm.and_(0xFF)
    asm.jump_eq(0x34, jt="yes")
    asm.jump("no")
    asm.label("yes")
    asm.ret(1)
    asm.label("no")
    asm.ret(0)
    program = asm.assemble()
    assert run(program, _data(0, 0x1234)) == 1
    assert run(program, _data(0, 0x1235)) == 0


def test_pack_unpack_round_trip_and_layout() -> None:
    asm = Assembler()
    asm.load(4)
    asm.jump_eq(0xC000003E, jt="ok")
    asm.ret(0x80000000)
    asm.label("ok")
    asm.ret(0x7FFF0000)
    program = asm.assemble()
    blob = pack(program)
    assert len(blob) == 8 * len(program)
    assert blob[:8] == struct.pack("=HBBI", 0x20, 0, 0, 4)
    assert unpack(blob) == program


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda a: (a.label("x"), a.ret(0), a.jump_eq(1, jt="x"), a.ret(0)), "backwards"),
        (lambda a: (a.jump_eq(1, jt="nowhere"), a.ret(0)), "undefined label"),
        (lambda a: (a.load(0),), "must end with a ret"),
        (lambda a: (a.label("x"), a.label("x")), "defined twice"),
    ],
)
def test_assembler_refuses_bad_programs(build, message: str) -> None:
    asm = Assembler()
    with pytest.raises(BpfError, match=message):
        build(asm)
        asm.assemble()


def test_conditional_jump_farther_than_255_is_refused_but_ja_is_not() -> None:
    asm = Assembler()
    asm.load(0)
    asm.jump_eq(1, jt="far")
    for _ in range(300):
        asm.ret(0)
    asm.label("far")
    asm.ret(1)
    with pytest.raises(BpfError, match="max 255"):
        asm.assemble()
    asm = Assembler()
    asm.jump("far")
    for _ in range(300):
        asm.ret(0)
    asm.label("far")
    asm.ret(1)
    assert run(asm.assemble(), _data(0)) == 1


def test_interpreter_rejects_out_of_bounds_loads_and_unknown_opcodes() -> None:
    asm = Assembler()
    asm.load(64)
    asm.ret(0)
    with pytest.raises(BpfError, match="outside"):
        run(asm.assemble(), _data(0))
    with pytest.raises(BpfError, match="unsupported opcode"):
        run([Instruction(0x07, 0, 0, 0), Instruction(0x06, 0, 0, 0)], _data(0))
    with pytest.raises(BpfError, match="past the end"):
        run([Instruction(0x20, 0, 0, 0)], _data(0))


def test_unpack_rejects_partial_instruction() -> None:
    with pytest.raises(BpfError, match="whole number"):
        unpack(b"\x00" * 12)


def test_disassemble_shows_absolute_targets() -> None:
    asm = Assembler()
    asm.load(0)
    asm.jump_eq(41, jt="deny")
    asm.ret(0x7FFF0000)
    asm.label("deny")
    asm.ret(0x50001)
    lines = disassemble(asm.assemble())
    assert lines[0].endswith("ld [0]")
    assert lines[1].endswith("jeq #0x29, 3, 2")
    assert lines[3].endswith("ret #0x00050001")
