"""Every runtime dependency of pyproject.toml is used: its modules are imported, or named in the settings."""

import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CODE = ["portal", "accounts", "cso_directory", "referrals", "aftercare", "reporting"]
# Loaded by a library rather than named by the portal: the database driver of Django's PostgreSQL backend
# and the client of its Redis cache.
LOADED_BY_LIBRARIES = {"psycopg", "redis"}


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def distribution_name(requirement: str) -> str:
    return normalised(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0])


def modules_of(distribution: str) -> set[str]:
    return {
        module
        for module, distributions in packages_distributions().items()
        if distribution in {normalised(name) for name in distributions}
    }


def named_modules() -> set[str]:
    """The top-level modules imported (or named in a dotted string, as in settings) anywhere in the portal's code."""
    source = "\n".join(path.read_text(encoding="utf-8") for code in CODE for path in (ROOT / code).rglob("*.py"))
    imported = re.findall(r"^\s*(?:from|import)\s+(\w+)", source, flags=re.MULTILINE)
    dotted = re.findall(r"[\"'](\w+)[.\"']", source)
    return set(imported) | set(dotted)


def test_every_runtime_dependency_is_used():
    requirements = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    used = named_modules()

    unused = [
        name
        for name in map(distribution_name, requirements)
        if name not in LOADED_BY_LIBRARIES and not modules_of(name) & used
    ]

    assert not unused, f"Declared in pyproject.toml but never imported: {', '.join(unused)}"
