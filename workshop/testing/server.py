"""A real Tandem server process for tests, benchmarks and screenshots.

Only loopback addresses are ever targets: the server listens on 127.0.0.1 and the QR code
points there through WORKSHOP_PUBLIC_URL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from workshop import PROJECT_FOLDER

REPOSITORY = PROJECT_FOLDER
PASSCODE = "browser-test-passcode"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`streamlit run streamlit_app.py` on a loopback port, with its own database file."""

    def __init__(
        self, folder: Path, *, database_url: str | None = None, passcode: str | None = PASSCODE
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database = folder / "tandem.db"
        self.database_url = database_url or f"sqlite:///{self.database}"
        self.passcode = passcode
        # Decks written in the editor stay in the test's folder, never in exercises/custom/.
        self.custom_decks = folder / "decks"
        self.log = folder / f"server-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        environment = {
            **os.environ,
            "WORKSHOP_DATABASE_URL": self.database_url,
            "WORKSHOP_PUBLIC_URL": self.url,
            "WORKSHOP_CUSTOM_DECKS": str(self.custom_decks),
        }
        environment.pop("WORKSHOP_PASSCODE", None)
        if self.passcode is not None:
            environment["WORKSHOP_PASSCODE"] = self.passcode
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "streamlit_app.py",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                command, cwd=REPOSITORY, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start:\n{self.log.read_text()}")

    def kill(self) -> None:
        """Stop the server the hard way, as a power cut or a crash would."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                # A phone's long poll keeps a graceful shutdown waiting its full 25 s, even once
                # the phone has gone (the server notices only when the poll ends); every answer
                # is committed before it is confirmed, so a test server is cut short after a
                # second. Without a poll parked it is gone well within that.
                self.process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                self.kill()


def run_workshop(
    database_url: str, *arguments: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """The `workshop` command run beside a server, in a process of its own, on `database_url`.

    Started in a session of its own, with no terminal, so a passcode comes from `stdin`.
    """
    return subprocess.run(
        [sys.executable, "-m", "workshop.cli", *arguments],
        cwd=REPOSITORY,
        env={"WORKSHOP_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,
    )
