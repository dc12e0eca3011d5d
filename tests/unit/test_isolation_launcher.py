"""Launcher pieces that need no child process: target detection, environment, scratch dir,
bwrap options, default sys.path."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from athena_kernel.isolation import launcher
from athena_kernel.isolation.bwrap import _minimal_paths, bwrap_arguments, probe_bwrap
from athena_kernel.isolation.launchinfo import WORKER_ENVIRONMENT, LaunchInfo


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("athena_kernel.worker", "module"),
        ("worker", "module"),
        ("print('hi')", "code"),
        ("pass", "code"),  # a keyword is not a module name
        ("import os\nos.getpid()", "code"),
        ("a.b-c", "code"),
    ],
)
def test_target_detection(text: str, kind: str) -> None:
    assert launcher._target(text, "auto")["kind"] == kind


def test_explicit_kind_wins_and_bad_kind_is_refused() -> None:
    assert launcher._target("worker", "code") == {"kind": "code", "code": "worker"}
    with pytest.raises(ValueError, match="kind"):
        launcher._target("worker", "script")


def test_environment_is_minimal_and_refuses_secret_names() -> None:
    assert launcher._environment(None) == WORKER_ENVIRONMENT
    env = launcher._environment({"OPENBLAS_NUM_THREADS": "1"})
    assert env["OPENBLAS_NUM_THREADS"] == "1" and env["LC_ALL"] == "C.UTF-8"
    for name in ("JPY_SESSION_NAME", "OPENAI_API_KEY", "GITHUB_TOKEN", "DB_PASSWORD"):
        with pytest.raises(ValueError, match="secret"):
            launcher._environment({name: "x"})
    with pytest.raises(ValueError, match="not a valid"):
        launcher._environment({"A B": "x"})


def test_default_sys_path_has_the_project_and_site_packages() -> None:
    import athena_kernel

    paths = launcher.default_sys_path()
    project = os.path.dirname(os.path.dirname(athena_kernel.__file__))
    assert os.path.abspath(project) == paths[0]
    assert any(p.endswith("site-packages") for p in paths)
    assert len(paths) == len(set(paths))


def test_prepare_scratch_dir_creates_a_private_directory(tmp_path) -> None:
    target = tmp_path / "scratch"
    uid, gid = os.geteuid(), os.getegid()
    path = launcher.prepare_scratch_dir(str(target), uid=uid, gid=gid)
    info = os.stat(path)
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == uid
    os.chmod(path, 0o777)
    launcher.prepare_scratch_dir(path, uid=uid, gid=gid)  # existing: mode is fixed
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o700


def test_prepare_scratch_dir_refuses_symlinks(tmp_path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(ValueError, match="symlink"):
        launcher.prepare_scratch_dir(str(link), uid=os.geteuid(), gid=os.getegid())


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another uid needs root")
def test_prepare_scratch_dir_as_root_gives_it_to_the_worker_and_checks_reachability() -> None:
    import shutil
    import tempfile

    base = tempfile.mkdtemp(prefix="athena-test-")  # pytest's tmp_path is private (0700)
    try:
        os.chmod(base, 0o755)
        path = launcher.prepare_scratch_dir(os.path.join(base, "s"), uid=65534, gid=65534)
        assert os.stat(path).st_uid == 65534
        os.chmod(base, 0o700)
        with pytest.raises(ValueError, match="cannot enter"):
            launcher.prepare_scratch_dir(os.path.join(base, "t"), uid=65534, gid=65534)
    finally:
        shutil.rmtree(base)


def test_spawn_validates_arguments_before_starting_anything(tmp_path) -> None:
    from athena_kernel.isolation.policy import ConfinementPolicy

    scratch = str(tmp_path / "s")
    with pytest.raises(ValueError, match="differs"):
        launcher.spawn(
            "pass", scratch_dir=scratch, policy=ConfinementPolicy(scratch_dir="/elsewhere")
        )
    with pytest.raises(ValueError, match="pass_fds"):
        launcher.spawn("pass", scratch_dir=scratch, pass_fds=[1])
    read_end, write_end = os.pipe()
    os.close(read_end)
    os.close(write_end)
    with pytest.raises(ValueError, match="not open"):
        launcher.spawn("pass", scratch_dir=scratch, pass_fds=[read_end])
    with pytest.raises(ValueError, match="use_bwrap"):
        launcher.spawn("pass", scratch_dir=scratch, use_bwrap="sometimes")  # type: ignore[arg-type]
    assert not os.path.exists(scratch)


def test_bwrap_arguments_bind_read_only_and_scratch_read_write(tmp_path) -> None:
    scratch = str(tmp_path / "scratch")
    args = bwrap_arguments(
        read_only=[sys.base_prefix, sys.prefix, sys.base_prefix + "/lib"],
        scratch_dir=scratch,
        env={"LC_ALL": "C.UTF-8"},
        as_root=True,
        uid=65534,
        gid=65534,
    )
    text = " ".join(args)
    for flag in ("--unshare-all", "--die-with-parent", "--new-session", "--clearenv"):
        assert flag in args
    assert "--cap-drop ALL" in text
    assert "--unshare-user --uid 65534 --gid 65534" in text
    assert f"--bind {scratch} {scratch}" in text and f"--chdir {scratch}" in text
    assert f"--ro-bind {os.path.realpath(sys.base_prefix)} " in text
    assert "--setenv LC_ALL C.UTF-8" in text
    # nested paths are not bound twice
    assert text.count(os.path.realpath(sys.base_prefix) + "/lib ") == 0
    assert "--unshare-user" not in bwrap_arguments(
        read_only=[], scratch_dir=scratch, env={}, as_root=False, uid=1, gid=1
    )


def test_minimal_paths_drops_nested_and_missing(tmp_path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    paths = [str(tmp_path / "a" / "b"), str(tmp_path / "a"), str(tmp_path / "missing")]
    assert _minimal_paths(paths) == [os.path.realpath(tmp_path / "a")]


def test_probe_reports_a_missing_bwrap_clearly(tmp_path) -> None:
    probe = probe_bwrap(str(tmp_path / "no-such-bwrap"))
    assert not probe.usable and "cannot run" in probe.reason


def test_launch_info_round_trip_ignores_unknown_keys() -> None:
    info = LaunchInfo(bwrap="active", pass_fds=[5])
    data = info.to_dict() | {"future_field": 1}
    assert LaunchInfo.from_dict(data) == info
