"""Hardening: login throttling with a clear page, password rules, secure cookies and headers,
a content-security policy the pages keep to, and a clean `check --deploy`."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_reports_nothing_with_production_settings():
    # Only the documented production variables: none of the test environment's overrides.
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SESSION_", "CSRF_", "DEBUG", "ALLOWED_HOSTS"))
        and key not in ("SECRET_KEY", "STATIC_MANIFEST", "DJANGO_SETTINGS_MODULE")
    }
    environment |= {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


# Login throttling


def sign_in(client, password):
    return client.post(reverse("login"), {"username": "editor", "password": password})


def test_too_many_failed_sign_ins_lock_the_account_with_a_clear_page(client, editor, caplog):
    caplog.set_level("WARNING", logger="alliance_portal.security")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200
    response = sign_in(client, "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many sign-in attempts" in page
    assert "locked for 15 minutes" in page
    assert re.search(r"Try again after \d\d:\d\d", page)
    [record] = [r for r in caplog.records if r.name == "alliance_portal.security"]
    assert "sign-in locked out for 'editor'" in record.getMessage()


def test_a_locked_account_cannot_sign_in_even_with_the_right_password(client, editor):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")
    response = sign_in(client, factories.PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_sign_in_before_the_limit_resets_the_count(client, editor):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, factories.PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "wrong").status_code == 200


# Passwords, cookies, headers


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901", "editor2026"])
def test_weak_passwords_are_refused(editor, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=editor)


def test_the_session_cookie_is_secure_and_hidden_from_scripts(client, editor):
    response = client.post(
        reverse("login"), {"username": "editor", "password": factories.PASSWORD}, secure=True
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_pages_carry_hsts_referrer_and_content_security_policy(client):
    response = client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_debug_mode_drops_the_policy_that_would_break_the_debug_pages():
    source = (ROOT / "alliance_portal" / "settings.py").read_text()
    assert "if not DEBUG:\n    # The CSP would block" in source
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE  # tests run with DEBUG off


# Pages keep to the policy: no inline script anywhere


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


@pytest.fixture
def pages(agreement_of_each_visibility, staff):
    agreement = agreement_of_each_visibility["public"]
    return {
        "anonymous": [reverse("home"), reverse("login")],
        "staff": [
            reverse("home"),
            reverse("profile"),
            reverse("admin:index"),
            reverse("admin:partnerships_agreement_changelist"),
            reverse("admin:partnerships_agreement_add"),
            reverse("admin:partnerships_agreement_change", args=[agreement.pk]),
            reverse("admin:partnerships_agreement_history", args=[agreement.pk]),
            reverse("admin:partnerships_agreement_deleted"),
            reverse("admin:partnerships_institution_changelist"),
        ],
    }


def test_no_page_relies_on_inline_scripts(client, pages, staff):
    for who, urls in pages.items():
        if who == "staff":
            client.force_login(staff)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert not INLINE_SCRIPT.findall(html), url
            assert not INLINE_HANDLER.findall(html), url
