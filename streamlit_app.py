"""Tandem's entry point: `streamlit run streamlit_app.py`.

One server, two kinds of page: the facilitator's Streamlit dashboard, and the phones' small
server-rendered pages mounted beside it as plain Starlette routes.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from workshop.web.facilitator_login import DashboardGate, FacilitatorLogin
from workshop.web.join import public_url
from workshop.web.participant.routes import ParticipantPages
from workshop.web.participant.waiting import start_watching
from workshop.web.runtime import shared_store, shared_waiters
from workshop.web.serving import nodelay_on_listeners

store = shared_store()
waiters = shared_waiters()


def _welcome(port: int) -> str:
    phones = public_url(port)
    lines = [
        "",
        f"  Tandem is running. Facilitator: http://localhost:{port}",
        f"  Phones join at: {phones}/j" if phones else "  Phones: set WORKSHOP_PUBLIC_URL",
        f"  Database: {store.engine.url.render_as_string(hide_password=True)}",
        "",
    ]
    return "\n".join(lines)


@asynccontextmanager
async def lifespan(_app):
    # Phones parked on this process also hear about actions taken in other processes.
    stop = start_watching(waiters, store)
    port = int(st.get_option("server.port"))
    # 44 ms less on every kept-alive request: see workshop/web/serving.py.
    nodelay_on_listeners(port)
    print(_welcome(port), flush=True)
    yield
    stop()


app = st.App(
    str(Path(__file__).parent / "workshop" / "dashboard" / "main.py"),
    routes=ParticipantPages(store, waiters).routes() + FacilitatorLogin(store).routes(),
    middleware=[Middleware(DashboardGate, store=store)],
    lifespan=lifespan,
)
