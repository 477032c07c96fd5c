"""The verbs, access rules, views and API endpoints of referrals and aftercare stay annotated, so
that mypy checks them: every parameter (but self and cls) and every return type."""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ANNOTATED_MODULES = [
    "referrals/actions.py",
    "referrals/api.py",
    "referrals/access.py",
    "aftercare/actions.py",
    "aftercare/views.py",
    "aftercare/api.py",
    "aftercare/access.py",
]
Function = ast.FunctionDef | ast.AsyncFunctionDef


def functions_of(body: list[ast.stmt]) -> Iterator[Function]:
    """The module's functions and its classes' methods; functions nested in functions excepted."""
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node
        elif isinstance(node, ast.ClassDef):
            yield from functions_of(node.body)


def missing_annotations(function: Function) -> list[str]:
    arguments = function.args
    parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    parameters += [parameter for parameter in (arguments.vararg, arguments.kwarg) if parameter is not None]
    missing = [
        parameter.arg
        for parameter in parameters
        if parameter.annotation is None and parameter.arg not in ("self", "cls")
    ]
    if function.returns is None:
        missing.append("return")
    return missing


def unannotated_in(path: str) -> list[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path)
    return [
        f"{path}:{function.lineno} {function.name}: {', '.join(missing)}"
        for function in functions_of(tree.body)
        if (missing := missing_annotations(function))
    ]


def test_the_verbs_access_views_and_api_are_fully_annotated():
    unannotated = [entry for path in ANNOTATED_MODULES for entry in unannotated_in(path)]
    assert unannotated == [], "\n".join(unannotated)


def test_the_check_names_an_unannotated_parameter_and_return():
    source = "def f(self, a: int, b, *args, c=1, **kwargs) -> None: ...\ndef g(x: int):\n    def nested(y): ...\n"
    functions = list(functions_of(ast.parse(source).body))

    assert [(function.name, missing_annotations(function)) for function in functions] == [
        ("f", ["b", "c", "args", "kwargs"]),
        ("g", ["return"]),
    ]
