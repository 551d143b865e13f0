"""A real Tandem server beside the shared Chromium (tests/conftest.py), and zbar, which reads
the projector's QR code as a phone's camera would."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from workshop.testing.server import PASSCODE, Server


@pytest.fixture
def server(tmp_path: Path):
    running = Server(tmp_path, passcode=PASSCODE)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser(browser: Browser) -> Iterator[Browser]:
    """The shared Chromium, where zbar is installed too."""
    if not shutil.which("zbarimg"):
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium and zbar-tools (make system-deps)")
        pytest.skip("browser tests need: apt-get install -y chromium zbar-tools")
    yield browser
