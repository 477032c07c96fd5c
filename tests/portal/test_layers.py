"""Dependencies point one way:
portal.foundation ← accounts ← cso_directory ← referrals ← aftercare ← reporting ← portal.wiring.

A module or template of a lower layer may not import, call or name a higher one: no import, no
string such as "aftercare:case_notes" or "aftercare.urls", no `{% url 'aftercare:…' %}`,
`{% include "aftercare/…" %}` or `{% load aftercare_tags %}`. Each failure names the file and line.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Lowest first; each layer's code and templates. Site chrome (templates/includes, base.html) is the wiring's.
LAYERS = [
    ("portal.foundation", ["portal/foundation"], ["templates/portal"]),
    ("accounts", ["accounts"], ["templates/accounts"]),
    ("cso_directory", ["cso_directory"], ["templates/cso_directory"]),
    ("referrals", ["referrals"], ["templates/referrals"]),
    ("aftercare", ["aftercare"], ["templates/aftercare"]),
    ("reporting", ["reporting"], ["templates/reporting"]),
    ("portal.wiring", ["portal/wiring"], []),
]
TEMPLATE_TAGS = [
    r"{%\s*url\s+['\"](?P<name>[\w.]+):",
    r"{%\s*(?:include|extends)\s+['\"](?P<name>[\w.]+)/",
]
TEMPLATE_LOAD = re.compile(r"{%\s*load\s+(?P<libraries>[^%]+?)\s*%}")


def module_layer(module: str) -> str | None:
    """The layer a dotted name or URL namespace belongs to, if it is one of ours."""
    for layer, _code, _templates in LAYERS:
        if module == layer or module.startswith(f"{layer}.") or module == layer.replace("portal.", "portal_"):
            return layer
    return None


def higher_layers(layer: str) -> list[str]:
    names = [name for name, _code, _templates in LAYERS]
    return names[names.index(layer) + 1 :]


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes: prose about the layers above is allowed, naming them in code is not."""
    nodes = [tree, *(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.ClassDef))]
    found = set()
    for node in nodes:
        body = getattr(node, "body", [])
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            found.add(id(body[0].value))
    return found


def names_in_python(source: str) -> list[tuple[int, str]]:
    """(line, name) of every module imported and every string naming a module, URL or template."""
    tree = ast.parse(source)
    skipped = docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            found += [(node.lineno, match) for match in re.findall(r"\b([a-z_]+(?:\.[a-z_]+)*)[:./]", node.value)]
    return found


def library_layers() -> dict[str, str]:
    """The layer that defines each template tag library, by the name `{% load %}` takes."""
    return {
        path.stem: layer
        for layer, code_dirs, _templates in LAYERS
        for code in code_dirs
        for path in (ROOT / code).glob("templatetags/*.py")
    }


def names_in_template(source: str, libraries: dict[str, str]) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        for pattern in TEMPLATE_TAGS:
            found += [(number, match.group("name")) for match in re.finditer(pattern, line)]
        for match in TEMPLATE_LOAD.finditer(line):
            found += [(number, libraries[name]) for name in match.group("libraries").split() if name in libraries]
    return found


def files_of(layer: str) -> list[Path]:
    _name, code_dirs, template_dirs = next(entry for entry in LAYERS if entry[0] == layer)
    files = [path for code in code_dirs for path in (ROOT / code).rglob("*.py")]
    files += [path for code in code_dirs for path in (ROOT / code).rglob("templates/**/*.html")]
    files += [path for templates in template_dirs for path in (ROOT / templates).rglob("*.html")]
    return sorted(files)


def upward_names(path: Path, layer: str, libraries: dict[str, str]) -> list[str]:
    """ "file:line names X" for each name in the file of a layer above `layer`."""
    source = path.read_text(encoding="utf-8")
    names = names_in_python(source) if path.suffix == ".py" else names_in_template(source, libraries)
    above = higher_layers(layer)
    relative = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return [f"{relative}:{line} names {name}" for line, name in names if module_layer(name) in above]


@pytest.mark.parametrize("layer", [name for name, *_ in LAYERS])
def test_no_module_or_template_names_a_higher_layer(layer):
    libraries = library_layers()
    offences = [offence for path in files_of(layer) for offence in upward_names(path, layer, libraries)]

    assert not offences, f"{layer} names a layer above it:\n" + "\n".join(offences)


@pytest.mark.parametrize(
    ("suffix", "source", "offence"),
    [
        (".py", "import os\n\nfrom aftercare.models import Alert\n", "3 names aftercare.models"),
        (".py", 'URL = reverse("aftercare:case_notes")\n', "1 names aftercare"),
        (".py", 'patterns = [path("", include("aftercare.urls"))]\n', "1 names aftercare"),
        (".py", "import portal.wiring.api\n", "1 names portal.wiring.api"),
        (".html", "{% load i18n %}\n<a href=\"{% url 'aftercare:caseload' %}\">x</a>\n", "2 names aftercare"),
        (".html", '{% include "aftercare/includes/goal.html" %}\n', "1 names aftercare"),
        (".html", "{% load i18n static aftercare_tags %}\n", "1 names aftercare"),
    ],
)
def test_the_check_finds_each_kind_of_upward_name(tmp_path, suffix, source, offence):
    path = tmp_path / f"example{suffix}"
    path.write_text(source, encoding="utf-8")

    libraries = {"aftercare_tags": "aftercare", "portal_navigation": "portal.foundation"}

    assert upward_names(path, "referrals", libraries) == [f"{path}:{offence}"]


def test_the_check_lets_a_layer_name_itself_and_those_below():
    source = (
        "from cso_directory.models import ServicePage\n"
        "from portal.foundation.audit import record_event\n"
        'INBOX = "referrals:inbox"\n'
    )

    assert names_in_python(source)
    assert not [name for _line, name in names_in_python(source) if module_layer(name) in higher_layers("referrals")]


def test_only_the_socket_routes_import_consumers():
    """Views and the API share helpers with the sockets through ordinary modules, never through consumers.py."""
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for _layer, code_dirs, _templates in LAYERS
        for code in code_dirs
        for path in sorted((ROOT / code).rglob("*.py"))
        if path.name != "routing.py"
        for line, name in names_in_python(path.read_text(encoding="utf-8"))
        if name.endswith(".consumers")
    ]

    assert not offences, "\n".join(offences)
