"""`.ci/audit_dependencies.py`: a known-vulnerable pin fails CI; an audit that could reach
nothing says so rather than pass for a clean one."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "audit_dependencies.py"


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pip_audit_answers(monkeypatch, stdout, stderr=""):
    def run(command, **kwargs):
        assert "--requirement" in command and "requirements.lock" in command
        return subprocess.CompletedProcess(command, 0, stdout=stdout, stderr=stderr)

    monkeypatch.setattr(subprocess, "run", run)


def report(*dependencies):
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_known_vulnerable_pin_fails_and_is_named(audit, monkeypatch, capsys):
    vulnerable = {
        "name": "django",
        "version": "5.2.0",
        "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}],
    }
    pip_audit_answers(
        monkeypatch, report(vulnerable, {"name": "whitenoise", "version": "6.9.0", "vulns": []})
    )
    assert audit.main("requirements.lock") == 1
    printed = capsys.readouterr().out
    assert "django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in printed
    assert "2 pins audited, 1 vulnerable, 0 could not be looked up" in printed


def test_clean_pins_pass(audit, monkeypatch, capsys):
    pip_audit_answers(monkeypatch, report({"name": "whitenoise", "version": "6.9.0", "vulns": []}))
    assert audit.main("requirements.lock") == 0
    assert "1 pins audited, 0 vulnerable" in capsys.readouterr().out


def test_an_unreachable_database_is_reported_not_passed_off_as_clean(audit, monkeypatch, capsys):
    skipped = {"name": "django", "skip_reason": "Dependency not found on PyPI"}
    pip_audit_answers(monkeypatch, report(skipped))
    assert audit.main("requirements.lock") == 0
    assert "WARNING: the vulnerability database was not reachable" in capsys.readouterr().out


def test_no_report_at_all_fails_unless_the_network_was_the_cause(audit, monkeypatch, capsys):
    pip_audit_answers(monkeypatch, "", stderr="requests.exceptions.ConnectionError: no route")
    assert audit.main("requirements.lock") == 0
    pip_audit_answers(monkeypatch, "", stderr="Traceback: something else broke")
    assert audit.main("requirements.lock") == 1
    assert "gave no report" in capsys.readouterr().out
