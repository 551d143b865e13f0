"""Start-up: one banner, and a warning when the QR code points where Tandem does not listen."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from workshop.testing.server import REPOSITORY, free_port
from workshop.web.listening import Listening, banner, facilitator_url, is_this_computer, qr_problem

LAPTOP = "192.168.1.20"  # this laptop's address on the room's Wi-Fi, in these examples


def ours(address: str) -> bool:
    """The example laptop's addresses: its LAN address and loopback."""
    return address in (LAPTOP, "127.0.0.1", "::1")


def problem(qr_url: str | None, address: str | None, port: int = 8501, **options) -> str | None:
    return qr_problem(qr_url, Listening(address, port, **options), is_local=ours)


@pytest.mark.parametrize(
    ("qr_url", "address"),
    [
        (f"http://{LAPTOP}:8501", "0.0.0.0"),  # what `make run` does
        (f"http://{LAPTOP}:8501", None),  # Streamlit's default: every address
        (f"http://{LAPTOP}:8501", ""),
        (f"http://{LAPTOP}:8501", "::"),
        (f"http://{LAPTOP}:8501", LAPTOP),  # bound to that one address
        ("http://127.0.0.1:8501", "127.0.0.1"),  # the tests' own servers
        ("http://localhost:8501", "localhost"),
        # A name, or an address elsewhere with a proxy in front: nothing can be known here.
        ("https://workshop.example.org", "127.0.0.1"),
        ("http://tandem.local:9000", "0.0.0.0"),
        (None, "127.0.0.1"),  # no address at all: the banner says so on its own
    ],
)
def test_no_warning_where_phones_get_through_or_nothing_can_be_known(qr_url, address):
    assert problem(qr_url, address) is None


def test_a_server_on_loopback_cannot_be_reached_from_the_lan_address_in_the_qr_code():
    said = problem(f"http://{LAPTOP}:8501", "127.0.0.1")
    assert said.startswith(f"Phones cannot reach the address in the QR code ({LAPTOP}:8501)")
    assert "listens on 127.0.0.1 only" in said and "--server.address 0.0.0.0" in said
    assert "listens on localhost only" in problem(f"http://{LAPTOP}:8501", "localhost")


def test_a_server_bound_to_another_address_is_named():
    said = problem(f"http://{LAPTOP}:8501", "10.0.0.5")
    assert "listens on 10.0.0.5 only" in said
    # 0.0.0.0 takes IPv4 only: an IPv6 address in the QR code is not covered.
    assert problem("http://[::1]:8501", "0.0.0.0") is not None
    assert problem("http://[::1]:8501", "::") is None


def test_a_qr_code_on_another_port_names_the_right_one():
    said = problem(f"http://{LAPTOP}:8502", "0.0.0.0", port=8501)
    assert "port 8502" in said and "listens on port 8501" in said
    assert f"set WORKSHOP_PUBLIC_URL to http://{LAPTOP}:8501" in said
    # No port written means 80 for http.
    assert "port 80 " in problem(f"http://{LAPTOP}", "0.0.0.0", port=8501)


def test_an_address_that_is_not_this_computer_is_called_out():
    said = problem("http://192.168.7.7:8501", "0.0.0.0")
    assert "192.168.7.7" in said and "not an address of this computer" in said


def test_https_in_front_of_a_plain_http_server():
    said = problem(f"https://{LAPTOP}:8501", "0.0.0.0")
    assert "https://" in said and "plain http" in said
    assert problem(f"https://{LAPTOP}:8501", "0.0.0.0", tls=True) is None


def test_this_computers_own_addresses_are_recognised_without_sending_anything():
    assert is_this_computer("127.0.0.1")
    assert is_this_computer("::1")
    # A documentation address (never assigned to a machine): binding to it fails.
    assert not is_this_computer("192.0.2.1")
    assert not is_this_computer("not an address")


def test_the_facilitator_address_is_the_one_that_answers():
    assert facilitator_url(Listening("0.0.0.0", 8501)) == "http://localhost:8501"
    assert facilitator_url(Listening(None, 8501)) == "http://localhost:8501"
    assert facilitator_url(Listening("127.0.0.1", 8600)) == "http://localhost:8600"
    # Bound to one LAN address only, localhost would not answer.
    assert facilitator_url(Listening(LAPTOP, 8501)) == f"http://{LAPTOP}:8501"
    assert facilitator_url(Listening("0.0.0.0", 8501, tls=True), "/tandem/") == (
        "https://localhost:8501/tandem"
    )


def test_the_banner_says_where_everyone_goes_once():
    said = banner(
        Listening("0.0.0.0", 8501),
        phones_url=f"http://{LAPTOP}:8501",
        database="sqlite:///sessions/tandem.db",
    )
    assert said.count("Tandem is running.") == 1
    assert "Facilitator, on this laptop: http://localhost:8501" in said
    assert f"Phones join at: http://{LAPTOP}:8501/j" in said
    assert "Database: sqlite:///sessions/tandem.db" in said
    assert "Warning" not in said and "First run" not in said


def test_the_banner_carries_the_warning_and_the_first_run_link():
    said = banner(
        Listening("127.0.0.1", 8501),
        phones_url=None,
        database="sqlite:///x.db",
        problems=["Phones cannot reach it."],
        setup_token="abc",
    )
    assert "Phones: no network address found; set WORKSHOP_PUBLIC_URL." in said
    assert "Warning: Phones cannot reach it." in said
    assert "http://localhost:8501/facilitator/setup?token=abc" in said


def test_a_real_start_prints_one_banner_with_the_warning(tmp_path):
    """`streamlit run` as make run does it, but bound to loopback with the QR code on another
    port: Streamlit's own banner is off, ours names the addresses once and warns."""
    port = free_port()
    environment = {
        **os.environ,
        "WORKSHOP_DATABASE_URL": f"sqlite:///{tmp_path / 'tandem.db'}",
        "WORKSHOP_PUBLIC_URL": f"http://127.0.0.1:{port + 1}",
        "WORKSHOP_PASSCODE": "a-start-up-passcode",
    }
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    with log.open("w") as output:
        server = subprocess.Popen(
            command, cwd=REPOSITORY, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while "Stop with Ctrl+C." not in log.read_text() and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=20)
    printed = log.read_text()
    assert printed.count("Tandem is running.") == 1, printed
    assert "You can now view your Streamlit app" not in printed
    assert f"Facilitator, on this laptop: http://localhost:{port}" in printed
    assert f"Phones join at: http://127.0.0.1:{port + 1}/j" in printed
    assert f"listens on port {port}" in printed
