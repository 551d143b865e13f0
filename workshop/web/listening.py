"""Where Tandem listens, where the QR code sends phones, and the one banner printed at start.

A QR code that points where the server does not listen fails in the room, not on the laptop:
the facilitator sees a working dashboard at http://localhost while every phone times out. The
usual causes are a server started on 127.0.0.1 (reachable from this laptop only) while the QR
code shows the LAN address, a WORKSHOP_PUBLIC_URL left over from another network or another
port, or https:// in front of a server that speaks plain http. `qr_problem` finds these from
what is known at start, without sending a packet anywhere: it is pure, and `is_this_computer`
(the one look at the machine) only binds a socket to see whether an address is one of ours.

Where nothing can be known (the QR code names a host, not an address: a reverse proxy, a DNS
name), nothing is said: a warning there would cry wolf.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from workshop.i18n import N_
from workshop.i18n import gettext as _

# The server address settings that listen on every address of this computer. Streamlit's own
# default (server.address unset) listens on all of them too.
EVERY_ADDRESS = {"", "0.0.0.0", "::"}
LOOPBACK_NAMES = {"localhost"}

# What the banner and the control view say, each a whole sentence: marked for the catalogue,
# and said in the language of the moment (the terminal's banner in English, the dashboard in
# the facilitator's language).
LISTENS_HERE_ONLY = N_(
    "Phones cannot reach the address in the QR code (%(qr)s): Tandem listens on %(address)s "
    "only, which only this computer can reach. Start it with `make run`, or add "
    "`--server.address 0.0.0.0`."
)
LISTENS_ELSEWHERE = N_(
    "Phones cannot reach the address in the QR code (%(qr)s): Tandem listens on %(address)s "
    "only. Start it with `--server.address 0.0.0.0`, or point WORKSHOP_PUBLIC_URL at "
    "%(address)s."
)
OTHER_PORT = N_(
    "The QR code sends phones to port %(qr_port)s (%(qr)s), but Tandem listens on port "
    "%(port)s: set WORKSHOP_PUBLIC_URL to %(suggested)s, or unset it."
)
NOT_THIS_COMPUTER = N_(
    "The QR code sends phones to %(host)s (%(qr)s), which is not an address of this computer "
    "(the network may have changed): phones will not reach Tandem unless something there "
    "forwards to it. Unset WORKSHOP_PUBLIC_URL, or set it to this computer's address."
)
NO_TLS_HERE = N_(
    "The QR code starts with https:// (%(qr)s), but Tandem serves plain http on port "
    "%(port)s: phones will not reach it. Use http:// in WORKSHOP_PUBLIC_URL, or serve it "
    "behind a proxy."
)


@dataclass(frozen=True)
class Problem:
    """Why phones would not get through: a sentence (its English, as marked) and its values,
    said in the language of whoever reads it."""

    template: str
    values: tuple[tuple[str, str | int], ...]

    def said(self) -> str:
        return _(self.template) % dict(self.values)


def _problem(template: str, **values: str | int) -> Problem:
    return Problem(template, tuple(sorted(values.items())))


@dataclass(frozen=True)
class Listening:
    """Where the server listens: Streamlit's `server.address` ('' or None for every address of
    this computer), its port, and whether it serves https itself (a certificate is set)."""

    address: str | None
    port: int
    tls: bool = False

    @property
    def everywhere(self) -> bool:
        return (self.address or "").strip() in EVERY_ADDRESS

    @property
    def local_only(self) -> bool:
        """Listening on this computer's loopback only: no phone can reach it."""
        address = (self.address or "").strip()
        if address in LOOPBACK_NAMES:
            return True
        parsed = _ip(address)
        return parsed is not None and parsed.is_loopback


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def _port_of(parts) -> int | None:
    try:
        explicit = parts.port
    except ValueError:
        return None  # a port that is not a number: the URL itself is broken
    if explicit is not None:
        return explicit
    return {"http": 80, "https": 443}.get(parts.scheme)


def is_this_computer(address: str) -> bool:
    """Whether `address` (an IP address) belongs to this computer. Binding a socket to it
    succeeds only for one of our own addresses, and sends nothing over the network."""
    parsed = _ip(address)
    if parsed is None:
        return False
    if parsed.is_loopback:
        return True
    family = socket.AF_INET6 if parsed.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.bind((str(parsed), 0))
    except OSError:
        return False
    return True


def qr_problem(
    qr_url: str | None,
    listening: Listening,
    is_local: Callable[[str], bool] = is_this_computer,
) -> str | None:
    """Why phones following `qr_url` would not reach a server listening as `listening`, in a
    sentence for the facilitator (in the language of the moment); None where they would, or
    where it cannot be known."""
    found = _find_problem(qr_url, listening, is_local)
    return None if found is None else found.said()


def _find_problem(
    qr_url: str | None, listening: Listening, is_local: Callable[[str], bool]
) -> Problem | None:
    if not qr_url:
        return None  # the banner already says to set WORKSHOP_PUBLIC_URL
    address = (listening.address or "").strip()
    if address.startswith("unix://"):
        return None  # behind a proxy by construction
    parts = urlsplit(qr_url)
    host = (parts.hostname or "").lower()
    qr_port = _port_of(parts)
    qr = qr_url.split("://", 1)[-1]
    parsed = _ip(host)
    if host in LOOPBACK_NAMES:
        parsed = ipaddress.ip_address("127.0.0.1")
    if parsed is None or qr_port is None:
        return None  # a name, not an address: a proxy or DNS decides where it goes
    if not is_local(str(parsed)):
        return _problem(NOT_THIS_COMPUTER, host=host, qr=qr)
    # The QR code points straight at this computer: the server must listen there.
    if qr_port != listening.port:
        named = f"[{host}]" if parsed.version == 6 and host not in LOOPBACK_NAMES else host
        suggested = f"{parts.scheme}://{named}:{listening.port}"
        return _problem(
            OTHER_PORT, qr_port=qr_port, qr=qr, port=listening.port, suggested=suggested
        )
    if not _covers(listening, parsed):
        template = LISTENS_HERE_ONLY if listening.local_only else LISTENS_ELSEWHERE
        return _problem(template, qr=qr, address=address)
    if parts.scheme == "https" and not listening.tls:
        return _problem(NO_TLS_HERE, qr=qr, port=listening.port)
    return None


def _covers(listening: Listening, target: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether a server listening as `listening` accepts connections to `target`."""
    address = (listening.address or "").strip()
    if address in ("", "::"):
        return True  # the dual-stack wildcard (Streamlit's default) takes IPv4 too
    if address == "0.0.0.0":
        return target.version == 4
    if address in LOOPBACK_NAMES:
        return target.is_loopback
    bound = _ip(address)
    if bound is None:
        return True  # a host name: cannot tell what it resolves to, so say nothing
    return bound == target


# The banner ---------------------------------------------------------------------------------

BANNER_RUNNING = "Tandem is running."
BANNER_FACILITATOR = "Facilitator, on this laptop: {url}"
BANNER_PHONES = "Phones join at: {url}  (the QR code on the projector)"
BANNER_NO_PHONES = "Phones: no network address found; set WORKSHOP_PUBLIC_URL."
BANNER_DATABASE = "Database: {database}"
BANNER_WARNING = "Warning: {problem}"
BANNER_FIRST_RUN = "First run: choose the facilitator passcode on this laptop at"
BANNER_STOP = "Stop with Ctrl+C."


def facilitator_url(listening: Listening, base_path: str = "") -> str:
    """The dashboard's address on this laptop: localhost, unless the server listens on one
    other address only (then localhost would not answer)."""
    address = (listening.address or "").strip()
    host = "localhost"
    if not listening.everywhere and not listening.local_only and not address.startswith("unix"):
        parsed = _ip(address)
        host = f"[{address}]" if parsed is not None and parsed.version == 6 else address
    scheme = "https" if listening.tls else "http"
    path = "/" + base_path.strip("/") if base_path.strip("/") else ""
    return f"{scheme}://{host}:{listening.port}{path}"


def banner(
    listening: Listening,
    *,
    phones_url: str | None,
    database: str,
    problems: list[str] | tuple[str, ...] = (),
    setup_token: str | None = None,
    base_path: str = "",
) -> str:
    """The one block printed when Tandem starts: where the facilitator and the phones go, the
    database, anything that will stop phones from joining, and the first-run setup link."""
    facilitator = facilitator_url(listening, base_path)
    lines = [
        "",
        f"  {BANNER_RUNNING}",
        f"  {BANNER_FACILITATOR.format(url=facilitator)}",
        f"  {BANNER_PHONES.format(url=phones_url + '/j')}"
        if phones_url
        else f"  {BANNER_NO_PHONES}",
        f"  {BANNER_DATABASE.format(database=database)}",
    ]
    for problem in problems:
        lines += ["", f"  {BANNER_WARNING.format(problem=problem)}"]
    if setup_token is not None:
        # First run: only someone who can see this terminal may choose the passcode.
        lines += [
            "",
            f"  {BANNER_FIRST_RUN}",
            f"  {facilitator}/facilitator/setup?token={setup_token}",
        ]
    lines += ["", f"  {BANNER_STOP}", ""]
    return "\n".join(lines)


@functools.lru_cache(maxsize=16)
def _remembered(qr_url: str | None, listening: Listening) -> Problem | None:
    return _find_problem(qr_url, listening, is_this_computer)


def remembered_problem(qr_url: str | None, listening: Listening) -> str | None:
    """`qr_problem` with this computer's addresses as they are, remembered per QR address (the
    dashboard asks on every page run), said in the language of the moment."""
    found = _remembered(qr_url, listening)
    return None if found is None else found.said()
