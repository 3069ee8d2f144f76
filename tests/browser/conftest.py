"""Headless Chromium (the system's, not Playwright's download) against the live server."""

import os
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module", autouse=True)
def async_unsafe_allowed():
    """Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
    ordinary blocking ones, so Django's guard against async misuse does not apply while the
    browser runs. Only for these modules: `check --deploy` refuses the variable."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="module")
def browser(async_unsafe_allowed):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install the chromium package (see .ci/run).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Console:
    """Errors a page wrote to the console or threw, collected while a test runs."""

    def __init__(self, page):
        self.errors = []
        page.on("console", lambda message: self._console(message))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message):
        if message.type == "error":
            self.errors.append(message.text)


@pytest.fixture(autouse=True)
def fields_of_study(transactional_db):
    """A migration seeds the ISCED-F fields; the flush after each live-server test empties
    the table, so the next one puts them back (pytest-django runs these tests last)."""
    seed_fields_of_study()


def seed_fields_of_study():
    from partnerships.models import FieldOfStudy

    seeding = import_module("partnerships.migrations.0002_seed_fields_of_study")
    FieldOfStudy.objects.bulk_create(
        [FieldOfStudy(code=code, name=name) for code, name in seeding.FIELDS],
        ignore_conflicts=True,
    )


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console = Console(page)
    page.base = live_server.url
    yield page
    context.close()


def screenshot(page, name):
    """Save the page at desktop and phone width under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(150)  # let charts resize
        page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def sideways_on_a_phone(page):
    """What does not fit a phone's width: the page itself, or a panel or table box whose
    content is wider than the box (it would have to be scrolled sideways to be read)."""
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(150)  # let charts resize
    wide = page.evaluate(
        """() => [document.documentElement, ...document.querySelectorAll(
                '.panel, .table-scroll, .table-wrap')]
            .filter(box => box.scrollWidth > box.clientWidth + 1)
            .map(box => (box.className || box.tagName) + ': ' +
                 (box.querySelector('h2')?.textContent.trim() || ''))"""
    )
    page.set_viewport_size(DESKTOP)
    return wide


def sign_in(page, username, password):
    page.goto(f"{page.base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
