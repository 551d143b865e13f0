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
