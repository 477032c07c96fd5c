"""docs/security.md maps each numbered security property to the tests that prove it: they must exist.

Every row must name at least one test as a node id (`tests/….py::test_…`), and every test named
anywhere in the table must exist (file and function); a cell naming a whole file is refused.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
ROW = re.compile(r"^\| (\d+) \|[^|]*\|(?P<tests>.*)\|\s*$")
NODE_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+)(?:\[[^\]]*\])?`")
PROPERTIES = range(1, 23)


def rows() -> dict[int, str]:
    lines = DOC.read_text().splitlines()
    return {int(match.group(1)): match.group("tests") for line in lines if (match := ROW.match(line))}


def functions_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_the_table_has_one_row_per_numbered_property():
    assert sorted(rows()) == list(PROPERTIES)


@pytest.mark.parametrize("number", PROPERTIES)
def test_every_test_a_row_names_exists(number):
    cell = rows()[number]
    node_ids = NODE_ID.findall(cell)
    assert node_ids, f"property {number} names no test"
    assert len(node_ids) == cell.count("`") // 2, f"property {number} names something that is not a test node id"
    missing = [
        f"{path}::{function}"
        for path, function in node_ids
        if not (ROOT / path).is_file() or function not in functions_of(ROOT / path)
    ]
    assert missing == [], f"property {number} names tests that do not exist"
