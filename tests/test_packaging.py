"""The lower bounds pyproject.toml declares are the versions `.ci/oldest-python` installs and tests."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10 (the oldest supported) has no tomllib; pip's vendored copy reads the same TOML
    from pip._vendor import tomli as tomllib


def _lower_bound(req: Requirement) -> Version:
    bounds = [Version(s.version) for s in req.specifier if s.operator == ">="]
    assert len(bounds) == 1, f"{req}: exactly one lower bound (>=) expected"
    return bounds[0]


def test_every_dependency_is_pinned_at_its_lower_bound_for_the_lower_bounds_run() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared: dict[str, Version] = {}
    for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
        req = Requirement(spec)
        declared[canonicalize_name(req.name)] = _lower_bound(req)
    pins: dict[str, Version] = {}
    for line in (ROOT / ".ci" / "lower-bounds.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            (pin,) = [Version(s.version) for s in req.specifier if s.operator == "=="]
            pins[canonicalize_name(req.name)] = pin
    assert sorted(pins) == sorted(declared)
    assert {k: str(v) for k, v in pins.items()} == {k: str(declared[k]) for k in pins}
    oldest = re.fullmatch(r">=\s*(\d+\.\d+)", project["requires-python"])
    assert oldest is not None and oldest.group(1) == "3.10"
    assert "python3.10" in (ROOT / ".ci" / "oldest-python").read_text(encoding="utf-8")
