"""Two Tandem processes on one PostgreSQL database behind nginx, as docs/scaling.md deploys them.

deploy/tandem.conf runs here as production uses it (only its access log is switched on, in its
own format without addresses): phones spread over both processes, the facilitator's dashboard
pinned to one. The facilitator presses Next in Chromium through the proxy, and phones parked on
both processes wake with the new activity; every phone answers, and the store, the control view
and the projector count exactly the phones there are.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest
import streamlit
from playwright.sync_api import Page, expect

from tests.conftest import postgres_schema, small_deck_data
from workshop.curriculum.decks import parse_deck
from workshop.room import live
from workshop.store import Store
from workshop.testing.browser import PROJECTOR, TIMEOUT
from workshop.testing.proxy import TEMPLATE, Proxy, deployed, nginx_binary, render
from workshop.testing.server import PASSCODE, Server

PHONES = 20


@dataclass
class Deployment:
    store: Store
    servers: list[Server]
    proxy: Proxy

    @property
    def upstreams(self) -> set[str]:
        return {f"127.0.0.1:{server.port}" for server in self.servers}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Two processes on one schema and nginx in front, shared by this module's tests."""
    if nginx_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs nginx (make system-deps installs it)")
        pytest.skip("the two-process tests need nginx: apt-get install -y nginx")
    folder = tmp_path_factory.mktemp("two-processes")
    with postgres_schema() as url:
        store = Store(url)
        try:
            store.migrate()
            with deployed(folder, url, 2) as (servers, proxy):
                yield Deployment(store, servers, proxy)
        finally:
            store.close()


def phone(deployment: Deployment) -> httpx2.Client:
    """A phone through the proxy: its own cookie jar, the test's self-signed certificate."""
    return httpx2.Client(base_url=deployment.proxy.url, verify=False, timeout=60)


def test_the_proxy_speaks_https_compresses_and_carries_the_websocket(deployment):
    proxy = deployment.proxy
    session = live.start_session(deployment.store, parse_deck(small_deck_data()), threshold=1)
    code = session.row.join_code

    with phone(deployment) as client:
        joined = client.get(f"/j/{code}", headers={"Accept-Encoding": "gzip"})
        assert joined.status_code == 200
        assert joined.headers["content-encoding"] == "gzip"
        assert "You're in" in joined.text
        # The app learned from X-Forwarded-Proto that the phone came over https.
        assert [cookie.secure for cookie in client.cookies.jar] == [True]
        assert joined.headers["strict-transport-security"].startswith("max-age=")
        # The page names no icon, and a browser asking anyway is answered by the proxy: a
        # phone never gets the dashboard's routing cookie, only its own for this workshop.
        assert '<link rel="icon" href="data:,">' in joined.text
        icon = client.get("/favicon.ico")
        assert icon.status_code == 204 and "set-cookie" not in icon.headers
        assert [cookie.name for cookie in client.cookies.jar] == ["tandem"]

        # Streamlit leaves its JavaScript to the proxy to compress: nginx does.
        script = largest_streamlit_script()
        direct = httpx2.get(f"{deployment.servers[0].url}{script}")
        assert direct.status_code == 200
        assert "content-encoding" not in direct.headers, "Streamlit compresses it now"
        proxied = client.get(script, headers={"Accept-Encoding": "gzip"})
        assert proxied.headers["content-encoding"] == "gzip"
        assert proxied.content == direct.content

    # A typed address without https is sent on to https.
    typed = httpx2.get(f"{proxy.http_url}/j/{code}")
    assert typed.status_code == 308
    assert typed.headers["location"].startswith("https://")
    # Except a certificate authority's challenge, answered over http from its own folder.
    challenge = httpx2.get(f"{proxy.http_url}/.well-known/acme-challenge/missing")
    assert challenge.status_code == 404

    assert websocket_handshake(proxy).startswith("HTTP/1.1 101 ")


@pytest.mark.browser
def test_phones_on_both_processes_follow_a_facilitator_on_one(deployment, browser):
    store, proxy = deployment.store, deployment.proxy
    session = live.start_session(
        store, parse_deck(small_deck_data()), threshold=5, headcount=PHONES
    )
    live.go_to(store, session.id, 0)  # "Hello", an information slide
    code = session.row.join_code

    # The phones join through the proxy, each with its own cookie jar.
    phones = [phone(deployment) for _ in range(PHONES)]
    try:
        for client in phones:
            joined = client.get(f"/j/{code}")
            assert joined.status_code == 200
            assert "Hello" in joined.text
        assert store.participant_count(session.id) == PHONES
        # nginx spread the joins over both processes.
        assert upstreams_of(proxy, "GET", f"/j/{code}") == deployment.upstreams

        # The facilitator logs in through the proxy and opens the control view: every request
        # of that browser (pages, static files, websocket) goes to one process.
        before_dashboard = len(proxy.served())
        context = browser.new_context(ignore_https_errors=True, **PROJECTOR)
        control = context.new_page()
        control.set_default_timeout(TIMEOUT)
        log_in(control, proxy.url)
        control.goto(f"{proxy.url}/control?session={session.id}")
        expect(control.get_by_role("heading", name="Hello", exact=True)).to_be_visible()
        facilitators = dashboard_upstreams(proxy, before_dashboard)
        assert len(facilitators) == 1, f"the dashboard moved between processes: {facilitators}"

        # Every phone parks on the long poll; nginx spreads them over both processes.
        version = store.versions([session.id])[session.id]
        replies: dict[int, tuple[float, dict]] = {}
        waits_before = len(served(proxy, "GET", f"/j/{code}/wait"))

        def park(number: int, client: httpx2.Client) -> None:
            reply = client.get(f"/j/{code}/wait", params={"v": version})
            replies[number] = (time.monotonic(), reply.json())

        parked = [
            threading.Thread(target=park, args=(number, client), daemon=True)
            for number, client in enumerate(phones)
        ]
        for thread in parked:
            thread.start()
        for thread in parked:
            thread.join(timeout=1.0 / PHONES)
        assert not replies, "the long polls should wait for the facilitator"

        # Next, pressed in the control view: the facilitator's process acts, and the other
        # process hears of it from the database.
        next_button = control.locator(".st-key-next button")
        expect(next_button).to_have_count(1)
        expect(next_button).to_be_enabled()
        stored: list[float] = []
        seeing = threading.Thread(
            target=note_when_stored, args=(store, session.id, version, stored), daemon=True
        )
        pressed = time.monotonic()
        seeing.start()
        next_button.click()
        expect(control.get_by_role("heading", name="Pick a colour", exact=True)).to_be_visible()
        for thread in parked:
            thread.join(timeout=30)
        assert sorted(replies) == list(range(PHONES))
        for _returned, state in replies.values():
            assert state["activity"] == "colour"
            assert state["version"] > version
        waits = served(proxy, "GET", f"/j/{code}/wait")[waits_before:]
        assert {request.upstream for request in waits} == deployment.upstreams
        # Measured, never asserted: the issue asks for "within 1 s". The moment the action was
        # stored is read every 10 ms by this process, itself busy, so it may be noted late.
        seeing.join(timeout=30)
        delays = sorted(returned - pressed for returned, _state in replies.values())
        print(
            f"\nNext pressed in Chromium (the dashboard on {', '.join(facilitators)}); the "
            f"action stored {stored[0] - pressed:.2f} s after the press; each phone woken, in "
            f"seconds after the press: {[round(delay, 2) for delay in delays]}; waits per "
            f"process: {count_by_upstream(waits)}"
        )

        # Every phone answers, through whichever process nginx picks, from the proxy's own page
        # (the same-site check compares the Origin with the Host the proxy passed on).
        for number, client in enumerate(phones):
            answered = client.post(
                f"/j/{code}",
                data={"activity": "colour", "choice": str(number % 3)},
                headers={"Origin": proxy.url},
            )
            assert answered.status_code == 303, answered.text
        assert upstreams_of(proxy, "POST", f"/j/{code}") == deployment.upstreams

        # The store, the control view and the projector count every phone, exactly.
        answers = store.answers_for(session.id, "colour")
        assert len(answers) == PHONES
        room = live.load(store, session.id)
        assert live.result_of(store, room, room.current).answered == PHONES
        answered_metric = control.locator("[data-testid=stMetric]", has_text="Answered")
        expect(answered_metric).to_contain_text(str(PHONES))
        screen = context.new_page()
        screen.set_default_timeout(TIMEOUT)
        screen.goto(f"{proxy.url}/screen?session={session.id}")
        expect(screen.get_by_text(f"{PHONES} answered · 0 passed")).to_be_visible()
        bars = screen.locator(".js-plotly-plot text.bartext")
        expect(bars.first).to_be_visible()
        labels = bars.evaluate_all("elements => elements.map(element => element.textContent)")
        assert sum(int(label) for label in labels) == PHONES
        # Closing the browser ends its websocket, which nginx logs then: the same process.
        context.close()
        assert dashboard_upstreams(proxy, before_dashboard) == facilitators
        assert served(proxy, "GET", "/_stcore/stream")[-1].upstream in facilitators
    finally:
        for client in phones:
            client.close()


def test_the_proxy_logs_no_address_no_user_agent_and_no_time():
    """Tandem's rule holds at its door too: deploy/tandem.conf logs no request (each server
    says `access_log off`), keeps its error log to `emerg` (nginx names the client beside
    every request's error), and passes no client address on to the processes."""
    template = TEMPLATE.read_text()
    servers = template.count("\nserver {")
    assert servers >= 2
    assert template.count("    access_log off;") == servers
    assert template.count("    error_log stderr emerg;") == servers
    code = "\n".join(line.split("#")[0] for line in template.splitlines())
    for variable in ("$remote_addr", "$http_user_agent", "$time_", "$binary_remote_addr"):
        assert variable not in code
    for header in ("X-Forwarded-For", "X-Real-IP", "Forwarded"):
        assert f'proxy_set_header {header} "";' in code


def test_the_template_is_filled_as_envsubst_fills_it(tmp_path):
    """docs/scaling.md fills deploy/tandem.conf with envsubst; the test with `render`."""
    envsubst = shutil.which("envsubst")
    if envsubst is None:
        pytest.skip("envsubst (Debian's gettext-base) is not installed")
    values = {
        "TANDEM_SERVER_NAME": "workshop.example.org",
        "TANDEM_HTTPS_LISTEN": "443",
        "TANDEM_HTTP_LISTEN": "80",
        "TANDEM_CERTIFICATE": "/etc/letsencrypt/live/workshop.example.org/fullchain.pem",
        "TANDEM_CERTIFICATE_KEY": "/etc/letsencrypt/live/workshop.example.org/privkey.pem",
        "TANDEM_PHONE_UPSTREAMS": "server 127.0.0.1:8501; server 127.0.0.1:8502;",
        "TANDEM_DASHBOARD_UPSTREAMS": "server 127.0.0.1:8501; server 127.0.0.1:8502;",
    }
    filled = subprocess.run(
        [envsubst, " ".join(f"${name}" for name in values)],
        input=TEMPLATE.read_text(),
        env={"PATH": os.environ.get("PATH", ""), **values},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert filled == render(TEMPLATE.read_text(), values)
    assert "${TANDEM_" not in filled.split("\nlog_format", 1)[1]


# Steps ----------------------------------------------------------------------------------------


def log_in(page: Page, base: str) -> None:
    page.goto(base + "/")
    page.fill("input[name=passcode]", PASSCODE)
    page.click("button[type=submit]")
    expect(page.get_by_text("Workshop library")).to_be_visible()


def served(proxy: Proxy, method: str, path: str) -> list:
    return [
        request for request in proxy.served() if request.method == method and request.path == path
    ]


def upstreams_of(proxy: Proxy, method: str, path: str) -> set[str]:
    return {request.upstream for request in served(proxy, method, path)}


def dashboard_upstreams(proxy: Proxy, since: int) -> set[str]:
    """The processes that answered the dashboard's requests logged after the first `since`:
    anything but a phone's."""
    return {
        request.upstream for request in proxy.served()[since:] if not request.path.startswith("/j")
    }


def note_when_stored(store: Store, session_id: int, version: int, stored: list[float]) -> None:
    """Note when the session's version moves past `version` (read every 10 ms, for 30 s)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if store.versions([session_id])[session_id] != version:
            stored.append(time.monotonic())
            return
        time.sleep(0.01)


def count_by_upstream(requests: list) -> dict[str, int]:
    counts: dict[str, int] = {}
    for request in requests:
        counts[request.upstream] = counts.get(request.upstream, 0) + 1
    return counts


def largest_streamlit_script() -> str:
    """The path of Streamlit's biggest JavaScript file, as its pages ask for it."""
    scripts = Path(streamlit.__file__).parent / "static" / "static" / "js"
    largest = max(scripts.glob("*.js"), key=lambda path: path.stat().st_size)
    return f"/static/js/{largest.name}"


def websocket_handshake(proxy: Proxy) -> str:
    """The status line and headers of a plain websocket upgrade to /_stcore/stream."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    host = f"127.0.0.1:{proxy.https_port}"
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Upgrade: websocket\r\n"
        "Connection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: streamlit\r\n"
        f"Origin: {proxy.url}\r\n\r\n"
    )
    with (
        socket.create_connection(("127.0.0.1", proxy.https_port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(request.encode())
        return tls.recv(4096).decode("latin-1")
