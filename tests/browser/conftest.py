"""A real Tandem server and Debian's Chromium, driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from workshop.testing.browser import CHROMIUM, CHROMIUM_FLAGS
from workshop.testing.server import PASSCODE, Server


@pytest.fixture
def server(tmp_path: Path):
    running = Server(tmp_path, passcode=PASSCODE)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() or not shutil.which("zbarimg"):
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium and zbar-tools (make system-deps)")
        pytest.skip("browser tests need: apt-get install -y chromium zbar-tools")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """When a browser test fails, say what every open page showed: its address and the start
    of its text. CI keeps only the log of a failed run, and a flake seen once (a control view
    showing nothing but an image) cannot be diagnosed from the assertion alone."""
    report = yield
    if report.when == "call" and report.failed and "browser" in getattr(item, "funcargs", {}):
        said = []
        for context in item.funcargs["browser"].contexts:
            for page in context.pages:
                try:
                    text = page.evaluate("document.body ? document.body.innerText : ''")
                except Exception as problem:  # noqa: BLE001 (a closed or crashed page says why)
                    text = f"(unreadable: {problem})"
                shown = " ".join(text.split())[:400]
                said.append(f"{page.url}\n    {shown}")
        if said:
            report.sections.append(("pages when the test failed", "\n".join(said)))
    return report
