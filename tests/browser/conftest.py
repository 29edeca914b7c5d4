"""Playwright (sync API) driving Debian's chromium against pytest-django's live server.

The live server needs committed data, so these tests use a transactional database that is emptied after
each test: `seeded_live_server` loads the reference data again first.
"""

import io
import os
import shutil

import pytest
from django.core.management import call_command
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium before the tests")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still
    # synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _close_connections_around_browser_tests():
    # Playwright runs greenlets, each with its own context, and Django keeps one connection per context:
    # close them before and after each browser test, or PostgreSQL keeps a session open and the test
    # database cannot be dropped at the end of the run.
    connections.close_all()
    yield
    connections.close_all()


@pytest.fixture
def seeded_live_server(transactional_db, live_server):
    call_command("seed", "--until", "2024-12-31", stdout=io.StringIO())
    return live_server


@pytest.fixture(params=[(1280, 900), (390, 844)], ids=["desktop", "phone"])
def page(browser, request):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def login(page, base_url, username, password):
    page.goto(f"{base_url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
