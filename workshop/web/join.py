"""Where phones join: the public URL, the join link for a session, and its QR code.

The QR code must never point at localhost: a phone would try to reach itself.
"""

from __future__ import annotations

import io
import ipaddress
import os
import socket

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def _usable(text: str) -> bool:
    address = ipaddress.ip_address(text)
    return not (address.is_loopback or address.is_link_local or address.is_unspecified)


def lan_address() -> str | None:
    """This machine's address on the local network, found without sending any packet."""
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            if _usable(info[4][0]):
                return info[4][0]
    except OSError:
        pass
    # Many laptops resolve their own name to 127.0.1.1. Connecting a UDP socket sends nothing;
    # it only asks the kernel which local address would carry traffic to another network
    # (192.0.2.1 is a documentation address, never routed).
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return address if _usable(address) else None


def public_url(port: int) -> str | None:
    """WORKSHOP_PUBLIC_URL if set, else http://<LAN address>:<port>; None if neither is known."""
    configured = os.environ.get("WORKSHOP_PUBLIC_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    address = lan_address()
    return f"http://{address}:{port}" if address else None


def join_url(base: str, join_code: str, proof: str | None = None) -> str:
    """The link in the QR code; `proof` (keys.join_proof) lets it past the throttle on guesses."""
    return f"{base}/j/{join_code}" + (f"?k={proof}" if proof else "")


def short_url(base: str) -> str:
    """The address to type by hand, without the scheme: what the projector prints."""
    return f"{base.split('://', 1)[-1]}/j"


def qr_png(url: str, box_size: int = 12) -> bytes:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=2)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()
