"""The project is self-contained: the HSDS files it uses are vendored, and nothing reads outside the repository."""

import os
import re
from pathlib import Path

from django.conf import settings

REPOSITORY = Path(settings.BASE_DIR)
VENDOR = REPOSITORY / "cso_directory" / "hsds" / "vendor"
SOURCE_COMMIT = "279fd2eb3552c349bf698c07c00cc25f5fc8249b"

# A path leaving the repository: the sibling `shared` folder (not a folder of that name inside a
# package, like wagtailadmin/shared/), a parent directory, or the parent of BASE_DIR.
OUTSIDE_PATH = re.compile(r"""(?<![\w/])shared/|/work/|["']shared["']|\.\./|BASE_DIR\)?\.parent""")


SKIPPED_NAMES = {".git", ".venv", "var", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def project_files() -> list[Path]:
    """Every regular file of the project, the vendored copies, tool caches, local data and links aside."""
    files = []
    for folder, subfolders, names in os.walk(REPOSITORY):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_NAMES]
        files += [Path(folder) / name for name in names if name not in SKIPPED_NAMES]
    regular = [path for path in files if not path.is_symlink() and path.is_file()]
    return [path for path in regular if VENDOR not in path.parents and path != Path(__file__)]


def test_no_code_or_test_refers_to_a_path_outside_the_repository():
    offending = []
    for path in project_files():
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        offending += [
            f"{path.relative_to(REPOSITORY)}:{number}: {line.strip()}"
            for number, line in enumerate(text.splitlines(), start=1)
            if OUTSIDE_PATH.search(line)
        ]
    assert offending == []


def test_the_vendored_hsds_files_carry_their_licence_and_source():
    readme = (VENDOR / "README.md").read_text()
    assert "https://github.com/openreferral/specification" in readme
    assert SOURCE_COMMIT in readme
    assert "CC BY-SA 4.0" in readme
    assert "Attribution Share-Alike 4.0" in (VENDOR / "LICENSE").read_text()
    assert (VENDOR / "schema" / "openapi.json").is_file()
    assert (VENDOR / "examples" / "csv" / "datapackage.json").is_file()
