"""Shared fixtures: a real store on SQLite and on PostgreSQL, a small deck of every kind, and
Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from workshop.curriculum.deck_files import DECK_FOLDER
from workshop.curriculum.decks import Deck, parse_deck
from workshop.store import Store

if TYPE_CHECKING:
    from playwright.sync_api import Browser

POSTGRES_URL = os.environ.get(
    "WORKSHOP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def small_deck_data() -> dict:
    """One activity of every kind: the deck the store, page and browser tests share."""
    return {
        "id": "every-kind",
        "title": "Every kind",
        "activities": [
            {"id": "hello", "kind": "info", "title": "Hello", "minutes": 1, "body": "Welcome."},
            {
                "id": "colour",
                "kind": "single_choice",
                "title": "Pick a colour",
                "minutes": 2,
                "options": ["Red", "Green", "Blue"],
            },
            {
                "id": "words",
                "kind": "word_cloud",
                "title": "One word",
                "minutes": 2,
                "max_words": 2,
            },
            {
                "id": "many",
                "kind": "multiple_choice",
                "title": "Pick any",
                "minutes": 1,
                "options": ["A", "B", "C"],
                "max_choices": 2,
            },
            {
                "id": "weather",
                "kind": "scale",
                "title": "Weather",
                "minutes": 1,
                "points": ["Storm", "Rain", "Sun"],
            },
            {
                "id": "reflect",
                "kind": "battery",
                "title": "Reflect",
                "minutes": 2,
                "sensitive": True,
                "scale": ["Rarely", "Often"],
                "statements": [
                    {"text": "I notice others first.", "construct": "external focusing"},
                    {"text": "I say yes too fast.", "construct": "self-sacrificing"},
                ],
            },
            {
                "id": "quiz",
                "kind": "knowledge_check",
                "title": "Quiz",
                "minutes": 2,
                "statements": [
                    {"text": "A boundary is about me.", "answer": True, "explanation": "Yes."},
                    {"text": "Codependency is a diagnosis.", "answer": False},
                ],
            },
            {
                "id": "sort",
                "kind": "scenario_sort",
                "title": "Sort",
                "minutes": 2,
                "categories": ["Codependent", "Interdependent"],
                "vignettes": [{"text": "Asks a friend for company.", "explanation": "Healthy."}],
            },
            {
                "id": "order",
                "kind": "ranking",
                "title": "Order",
                "minutes": 1,
                "items": ["One", "Two", "Three"],
            },
            {"id": "say", "kind": "open_text", "title": "Say", "minutes": 1, "max_length": 80},
        ],
    }


@pytest.fixture
def deck() -> Deck:
    return parse_deck(small_deck_data())


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """The URL of a fresh PostgreSQL schema of its own, dropped afterwards.

    Tests never see each other's rows, and several processes can share one schema.
    """
    schema = f"tandem_test_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as error:
        admin.dispose()
        if os.environ.get("CI"):
            raise  # in CI the PostgreSQL tests must run, never skip
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {error.orig}")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path) -> Store:
    """A migrated, empty store on each database the project supports."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'tandem.db'}"
        else:
            url = stack.enter_context(postgres_schema())
        made = Store(url)
        made.migrate()
        yield made
        made.close()


@pytest.fixture
def postgres_store() -> Iterator[Store]:
    """A migrated, empty store on PostgreSQL alone: for what only PostgreSQL does."""
    with postgres_schema() as url:
        made = Store(url)
        made.migrate()
        yield made
        made.close()


@pytest.fixture
def sqlite_store(tmp_path) -> Store:
    made = Store(f"sqlite:///{tmp_path / 'tandem.db'}")
    made.migrate()
    yield made
    made.close()


@pytest.fixture
def deck_folder(tmp_path: Path) -> Path:
    """The built-in decks copied to a folder of their own: saving never touches exercises/."""
    folder = tmp_path / "exercises"
    folder.mkdir()
    for path in DECK_FOLDER.glob("*.toml"):
        shutil.copy(path, folder)
    return folder


@pytest.fixture(autouse=True)
def quick_passcode_hashes(request: pytest.FixtureRequest, monkeypatch) -> None:
    """Passcode hashes at a low scrypt cost, so that tests which log in do not each spend
    0.7 s; a test marked `owasp_scrypt` keeps the real cost (servers started by tests always
    use it)."""
    if request.node.get_closest_marker("owasp_scrypt") is None:
        from workshop.web import keys

        monkeypatch.setattr(keys, "CURRENT_COST", keys.ScryptCost(log_n=10, r=8, p=1))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (never a downloaded browser), one per module. Each test's own windows
    are closed when it ends (see pytest_runtest_makereport), so that a server the test stops is
    not kept waiting by a phone's long poll, nor later tests slowed by pages left polling.

    Not one for the whole run: Playwright's event loop, alive between tests, would stand in the
    way of the tests that run one of their own (asyncio, AppTest)."""
    from workshop.testing.browser import CHROMIUM, CHROMIUM_FLAGS

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium (make system-deps)")
        pytest.skip("browser tests need: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


# The browser's windows open before a test's body runs: fixtures' own, which outlive the test.
_OPEN_BEFORE = pytest.StashKey[set]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    browser = getattr(item, "funcargs", {}).get("browser")
    if browser is not None:
        item.stash[_OPEN_BEFORE] = set(browser.contexts)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """When a browser test fails, say what every open page showed: its address and the start
    of its text. CI keeps only the log of a failed run, and a flake seen once (a control view
    showing nothing but an image) cannot be diagnosed from the assertion alone.

    Then, failed or not, close the windows the test's body opened."""
    report = yield
    browser = getattr(item, "funcargs", {}).get("browser")
    if report.when != "call" or browser is None:
        return report
    if report.failed:
        said = []
        for context in browser.contexts:
            for page in context.pages:
                try:
                    text = page.evaluate("document.body ? document.body.innerText : ''")
                except Exception as problem:  # noqa: BLE001 (a closed or crashed page says why)
                    text = f"(unreadable: {problem})"
                shown = " ".join(text.split())[:400]
                said.append(f"{page.url}\n    {shown}")
        if said:
            report.sections.append(("pages when the test failed", "\n".join(said)))
    before = item.stash.get(_OPEN_BEFORE, set())
    for context in browser.contexts:
        if context not in before:
            try:
                context.close()
            except Exception:  # noqa: BLE001, S110 (a crashed browser has nothing left to close)
                pass
    return report
