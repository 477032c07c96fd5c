"""Our semgrep rules (.semgrep/) catch what they are written for, and only that.

Each snippet is a small file in a temporary folder, named like the module it stands for; one
semgrep run (offline, no registry rules) scans them all, and each file must raise exactly the rules
expected of it. So a rule that no longer matches anything fails here, not silently in checks.sh.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[2] / ".semgrep"
PERSON_QUERYSET = "person-queryset-outside-access"
FORMATTED_SQL = "raw-sql-built-with-string-formatting"
FORMATTED_SQL_VARIABLE = "raw-sql-from-a-formatted-variable"

IMPORTS = """\
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test import Client as HttpClient

from aftercare.models import CaseNote
from referrals.models import Client, Referral
"""

# path of the snippet → (body, the rules it must raise)
SNIPPETS = {
    "referrals/views.py:clients": ("Client.objects.filter(pk=pk)", [PERSON_QUERYSET]),
    "referrals/views.py:referrals": ("Referral.objects.all()", [PERSON_QUERYSET]),
    "aftercare/views.py:notes": ("CaseNote.objects.filter(client=client).count()", [PERSON_QUERYSET]),
    "aftercare/consumers.py:default_manager": ("CaseNote._default_manager.all()", [PERSON_QUERYSET]),
    "portal/wiring/views.py:base_manager": ("Client._base_manager.get(pk=pk)", [PERSON_QUERYSET]),
    "aftercare/forms.py:empty": ("CaseNote.objects.none()", []),
    "referrals/access.py:access": ("Client.objects.filter(pk=pk)", []),
    "referrals/actions.py:verb": ("Referral.objects.select_for_update().get(pk=pk)", []),
    "aftercare/management/commands/purge.py:command": ("CaseNote.objects.filter(client=client).delete()", []),
    "portal/wiring/views.py:test_client": ("HttpClient().get('/')", []),
    "portal/health.py:f_string": ("connection.cursor().execute(f\"SELECT '{name}'\")", [FORMATTED_SQL]),
    "portal/health.py:percent": ("connection.cursor().execute(\"SELECT '%s'\" % name)", [FORMATTED_SQL]),
    "portal/health.py:format": ("connection.cursor().execute(\"SELECT '{}'\".format(name))", [FORMATTED_SQL]),
    "portal/health.py:concatenated": ('connection.cursor().execute("SELECT " + name)', [FORMATTED_SQL]),
    "portal/health.py:executemany": ("connection.cursor().executemany(f'SELECT {name}', [])", [FORMATTED_SQL]),
    "portal/health.py:parameters": ("connection.cursor().execute('SELECT %s', [name])", []),
    "portal/health.py:variable": ("sql = f'SELECT {name}'\nconnection.cursor().execute(sql)", [FORMATTED_SQL_VARIABLE]),
    "portal/listing.py:raw_sql": ("queryset.annotate(rank=RawSQL(f'SELECT {name}', []))", [FORMATTED_SQL]),
    "portal/listing.py:raw_sql_parameters": ("queryset.annotate(rank=RawSQL('SELECT %s', [name]))", []),
    "portal/listing.py:raw": ("queryset.raw('SELECT * FROM t WHERE n = %s' % name)", [FORMATTED_SQL]),
    "portal/listing.py:raw_parameters": ("queryset.raw('SELECT * FROM t WHERE n = %s', [name])", []),
    "portal/listing.py:extra_where": ("queryset.extra(where=[f\"name = '{name}'\"])", [FORMATTED_SQL]),
    "portal/listing.py:extra_select": ("queryset.extra(select={'n': 'upper(%s)' % name})", [FORMATTED_SQL]),
}


def snippet_file(root: Path, key: str) -> Path:
    module, case = key.split(":")
    path = root / str(Path(module).with_suffix("")) / f"{case}.py"
    if Path(module).parent.name in {"management", "commands"} or Path(module).stem in {"access", "actions"}:
        # The rules exempt modules by name and folder: keep both.
        path = root / case / module
    return path


@pytest.fixture(scope="module")
def findings(tmp_path_factory) -> dict[str, list[str]]:
    root = tmp_path_factory.mktemp("snippets")
    files = {}
    for key, (body, _expected) in SNIPPETS.items():
        path = snippet_file(root, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = "\n".join(f"    {line}" for line in body.splitlines())
        path.write_text(f"{IMPORTS}\n\ndef snippet(pk, client, name, queryset):\n{lines}\n")
        files[str(path.relative_to(root))] = key
    semgrep = Path(sys.executable).with_name("semgrep")
    run = subprocess.run(  # noqa: S603 - our own executable and arguments
        [semgrep, "scan", "--metrics=off", "--disable-version-check", "--config", str(RULES), "--json", "--quiet"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"},
        timeout=120,
        check=False,
    )
    report = json.loads(run.stdout)
    assert report["errors"] == [], report["errors"]
    found: dict[str, list[str]] = {key: [] for key in SNIPPETS}
    for result in report["results"]:
        found[files[result["path"]]].append(result["check_id"].rsplit(".", 1)[-1])
    return found


@pytest.mark.parametrize("key", list(SNIPPETS))
def test_rule_catches_the_snippet(findings, key):
    _body, expected = SNIPPETS[key]
    assert sorted(findings[key]) == sorted(expected)
