"""The lock files `make` installs from must satisfy what pyproject.toml asks for (re-run `make lock`)."""

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def locked_versions(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        requirement = line.split("#", 1)[0].strip()
        if requirement:
            package, version = requirement.split("==")
            pins[canonicalize_name(package)] = version
    return pins


@pytest.mark.parametrize(
    ("lock_file", "requirements"),
    [
        ("requirements.lock", PROJECT["dependencies"]),
        ("requirements-test.lock", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]),
    ],
)
def test_every_direct_dependency_is_locked_within_its_range(lock_file, requirements):
    pins = locked_versions(lock_file)
    for requirement in map(Requirement, requirements):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is missing from {lock_file}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock_file} pins {requirement.name}=={pins[name]}, outside {requirement.specifier}: run `make lock`"
        )
