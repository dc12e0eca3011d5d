"""Install, uninstall and list Athena's two kernelspecs (``athena`` and ``athena-lab``)."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

#: template directory name -> output profile it runs
SPEC_PROFILES = {"athena": "agent", "athena-lab": "human"}


@dataclass(frozen=True)
class InstalledSpec:
    """One installed Athena kernelspec."""

    name: str
    display_name: str
    profile: str
    path: str


def _template_dir(template: str) -> Path:
    root = resources.files("athena_kernel.kernelspecs")
    return Path(str(root.joinpath(template)))


def spec_names(base_name: str | None = None) -> dict[str, str]:
    """Map template -> installed kernel name (``--name N`` gives ``N`` and ``N-lab``)."""
    if not base_name:
        return {t: t for t in SPEC_PROFILES}
    return {"athena": base_name, "athena-lab": f"{base_name}-lab"}


def default_target() -> dict[str, object]:
    """Where to install by default: the active virtual environment, else the user's data dir."""
    in_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
    return {"prefix": sys.prefix} if in_venv else {"user": True}


def install(
    *,
    user: bool = False,
    prefix: str | None = None,
    name: str | None = None,
    profiles: tuple[str, ...] = ("agent", "human"),
    python: str | None = None,
) -> list[InstalledSpec]:
    """Install the kernelspecs; installing again replaces them (harmless).

    ``python`` is the interpreter the kernel runs with (default: this one).
    """
    if name is not None and (not name or any(c in name for c in "/\\ \t")):
        raise ValueError(
            f"--name must be a plain kernel name without spaces or slashes; got {name!r}"
        )
    unknown = set(profiles) - set(SPEC_PROFILES.values())
    if unknown:
        raise ValueError(f"unknown profile(s) {sorted(unknown)}; choose from agent, human")
    ksm = KernelSpecManager()
    names = spec_names(name)
    done: list[InstalledSpec] = []
    for template, profile in SPEC_PROFILES.items():
        if profile not in profiles:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            staged = Path(tmp) / names[template]
            shutil.copytree(_template_dir(template), staged)
            spec_file = staged / "kernel.json"
            spec = json.loads(spec_file.read_text())
            spec["argv"][0] = python or sys.executable
            if name:
                spec["display_name"] = f"{spec['display_name']} [{name}]"
            spec_file.write_text(json.dumps(spec, indent=2) + "\n")
            path = ksm.install_kernel_spec(
                str(staged), names[template], user=user, prefix=prefix, replace=None
            )
        done.append(InstalledSpec(names[template], spec["display_name"], profile, path))
    return done


def find_installed() -> list[InstalledSpec]:
    """Every Athena kernelspec Jupyter can see (identified by its ``athena`` metadata)."""
    ksm = KernelSpecManager()
    found = []
    for kname, path in sorted(ksm.find_kernel_specs().items()):
        try:
            spec = ksm.get_kernel_spec(kname)
        except (NoSuchKernel, ValueError, OSError):
            continue
        athena = (spec.metadata or {}).get("athena")
        if isinstance(athena, dict) or "athena_kernel" in spec.argv:
            profile = athena.get("profile", "?") if isinstance(athena, dict) else "?"
            found.append(InstalledSpec(kname, spec.display_name, profile, path))
    return found


def uninstall(names: list[str] | None = None) -> list[InstalledSpec]:
    """Remove the named kernelspecs (default: every Athena kernelspec found)."""
    ksm = KernelSpecManager()
    installed = {s.name: s for s in find_installed()}
    targets = names or list(installed)
    removed = []
    for kname in targets:
        if kname not in installed:
            raise ValueError(
                f"no Athena kernelspec named {kname!r}; installed: "
                + (", ".join(sorted(installed)) or "none")
            )
        ksm.remove_kernel_spec(kname)
        removed.append(installed[kname])
    return removed
