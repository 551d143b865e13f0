"""nginx in front of several Tandem processes, with deploy/tandem.conf as production uses it.

Tests and benchmarks share it. nginx listens on loopback ports only, with a throwaway
self-signed certificate made by `openssl` in the caller's folder. The one line changed from
the production file is `access_log off;`: here each request is logged in the file's own
`tandem_upstreams` format (the process that served it, the status, the method and the path;
no address, no user agent, no time), so a test can tell which process served what.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from workshop.testing.server import REPOSITORY, Server, free_port

TEMPLATE = REPOSITORY / "deploy" / "tandem.conf"
PLACEHOLDER = re.compile(r"\$\{(TANDEM_[A-Z_]+)\}")
PRIVATE_ACCESS_LOG = "access_log off;"
# A line of the tandem_upstreams format (nginx writes a quote inside a value as \x22).
LOGGED = re.compile(r'(\d+) (\S+) "([^"]*)" "([^"]*)"')


def nginx_binary() -> str | None:
    """Where nginx is installed (Debian puts it in /usr/sbin, which a user's PATH may lack)."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None


def render(template: str, values: Mapping[str, str]) -> str:
    """The template with every ${TANDEM_...} placeholder filled, as `envsubst` would; nginx's own
    variables ($host, $request_id...) are left alone. A placeholder without a value, or a value
    the template does not use, is a mistake."""
    used = set(PLACEHOLDER.findall(template))
    missing = used - set(values)
    unused = set(values) - used
    if missing or unused:
        raise ValueError(f"placeholders without values: {missing}; values unused: {unused}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def upstream_lines(ports: list[int]) -> str:
    return " ".join(f"server 127.0.0.1:{port};" for port in ports)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, valid for two days: for tests only."""
    certificate = folder / "proxy-certificate.pem"
    key = folder / "proxy-key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


@dataclass(frozen=True)
class Served:
    """One request as the test's access log recorded it."""

    upstream: str  # 127.0.0.1:PORT of the process that answered ("-" if none did)
    status: int
    method: str
    path: str


class Proxy:
    """nginx with deploy/tandem.conf, in front of the Tandem processes on `ports`."""

    def __init__(
        self,
        folder: Path,
        ports: list[int],
        *,
        log_requests: bool = True,
        connections: int = 1024,
    ) -> None:
        self.folder = folder / "nginx"
        self.ports = ports
        # nginx's worker_connections: each phone holds two, its own and one to a process (a
        # benchmark's thousand phones need more than the tests' default; nginx, out of them,
        # answers 500 itself and says why only in the error log, which here logs nothing).
        self.connections = connections
        self.https_port = free_port()
        self.http_port = free_port()
        self.url = f"https://127.0.0.1:{self.https_port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"
        self.log_requests = log_requests
        self.access_log = self.folder / "upstreams.log"
        self.output = self.folder / "nginx-output.log"
        self.process: subprocess.Popen | None = None

    def site_configuration(self, certificate: Path, key: Path) -> str:
        """deploy/tandem.conf filled for loopback ports, logging upstreams if asked."""
        site = render(
            TEMPLATE.read_text(),
            {
                "TANDEM_SERVER_NAME": "127.0.0.1",
                "TANDEM_HTTPS_LISTEN": f"127.0.0.1:{self.https_port}",
                "TANDEM_HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
                "TANDEM_CERTIFICATE": str(certificate),
                "TANDEM_CERTIFICATE_KEY": str(key),
                "TANDEM_PHONE_UPSTREAMS": upstream_lines(self.ports),
                "TANDEM_DASHBOARD_UPSTREAMS": upstream_lines(self.ports),
            },
        )
        if self.log_requests:
            if site.count(PRIVATE_ACCESS_LOG) < 1:
                raise ValueError(f"{TEMPLATE} no longer says {PRIVATE_ACCESS_LOG!r}")
            site = site.replace(
                PRIVATE_ACCESS_LOG, f"access_log {self.access_log} tandem_upstreams;"
            )
        return site

    def main_configuration(self, site: Path) -> str:
        """What Debian's /etc/nginx/nginx.conf provides, pointed at this folder: nginx runs as
        the test's user, in the foreground, with its pid and temporary files here."""
        temporary = self.folder / "temporary"
        lines = [
            # As root, nginx would run its workers as `nobody`, who cannot enter a test's
            # private temporary folder.
            "user root;" if os.geteuid() == 0 else "",
            "worker_processes 1;",
            f"pid {self.folder / 'nginx.pid'};",
            f"error_log {self.output} error;",
            # Each connection is a file; nginx raises its own limit this far (as root, or within
            # the hard limit: past it, nginx says so only in its output log).
            f"worker_rlimit_nofile {2 * self.connections};",
            f"events {{ worker_connections {self.connections}; }}",
            "http {",
            *(
                f"    {kind}_temp_path {temporary / kind};"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            ),
            f"    include {site};",
            "}",
        ]
        return "\n".join(line for line in lines if line) + "\n"

    def start(self) -> None:
        nginx = nginx_binary()
        if nginx is None:
            raise RuntimeError("nginx is not installed: apt-get install -y nginx")
        # nginx makes each temporary folder, but not their parent.
        (self.folder / "temporary").mkdir(parents=True, exist_ok=True)
        certificate, key = self_signed_certificate(self.folder)
        site = self.folder / "tandem.conf"
        site.write_text(self.site_configuration(certificate, key))
        main = self.folder / "nginx.conf"
        main.write_text(self.main_configuration(site))
        command = [nginx, "-p", str(self.folder), "-c", str(main), "-e", str(self.output)]
        checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused the configuration:\n{checked.stderr}")
        with self.output.open("a") as output:
            self.process = subprocess.Popen(
                [*command, "-g", "daemon off;"], stdout=output, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited:\n{self.output.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.https_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start:\n{self.output.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # Fast shutdown: phones' parked long polls are cut, as a restart would.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def served(self) -> list[Served]:
        """Every request logged so far (a request is logged when its response has ended)."""
        if not self.access_log.exists():
            return []
        requests = []
        for line in self.access_log.read_text().splitlines():
            status, method, upstream, path = LOGGED.fullmatch(line).groups()
            # A request retried on a second process names both, comma-separated: the last one
            # answered.
            requests.append(Served(upstream.split(",")[-1].strip(), int(status), method, path))
        return requests


@contextlib.contextmanager
def deployed(
    folder: Path, database_url: str, processes: int, *, connections: int = 1024
) -> Iterator[tuple[list[Server], Proxy]]:
    """`processes` Tandem servers on one database (already migrated) behind nginx with
    deploy/tandem.conf, as docs/scaling.md deploys them: the test's and the benchmark's way.
    Everything started is stopped afterwards, whatever failed on the way up or down."""
    with contextlib.ExitStack() as started:
        servers = []
        for _ in range(processes):
            server = Server(folder, database_url=database_url)
            started.callback(server.stop)
            server.start()
            servers.append(server)
        proxy = Proxy(folder, [server.port for server in servers], connections=connections)
        started.callback(proxy.stop)
        proxy.start()
        yield servers, proxy
