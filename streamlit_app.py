"""Tandem's entry point: `streamlit run streamlit_app.py`.

One server, two kinds of page: the facilitator's Streamlit dashboard, and the phones' small
server-rendered pages mounted beside it as plain Starlette routes.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from workshop.web import collector, keys
from workshop.web.facilitator_login import DASHBOARD_PATHS, DashboardGate, FacilitatorLogin
from workshop.web.faults import DatabaseFaults, database_trouble_message, is_database_trouble
from workshop.web.finished_runs import keep_finished_runs
from workshop.web.headers import SecurityHeaders
from workshop.web.join import public_url
from workshop.web.listening import Listening, banner, qr_problem
from workshop.web.participant.routes import ParticipantPages
from workshop.web.participant.waiting import start_watching
from workshop.web.phone_lane import PhoneLane, phone_app
from workshop.web.runtime import safety_flags, shared_store, shared_waiters
from workshop.web.serving import nodelay_on_listeners

store = shared_store()
waiters = shared_waiters()
# The control view's self-refreshing parts must not blank the page: see finished_runs.py.
keep_finished_runs()


def _welcome(port: int) -> str:
    """The one start-up banner (Streamlit's own is off: logger.hideWelcomeMessage)."""
    listening = Listening(
        st.get_option("server.address"), port, tls=bool(st.get_option("server.sslCertFile"))
    )
    phones = public_url(port)
    problem = qr_problem(phones, listening)
    return banner(
        listening,
        phones_url=phones,
        database=store.engine.url.render_as_string(hide_password=True),
        problems=[problem] if problem else [],
        setup_token=keys.setup_token(store),
        base_path=st.get_option("server.baseUrlPath") or "",
    )


def _on_script_error(error: Exception) -> bool:
    """A dashboard page whose database is not answering says so, without a traceback."""
    if is_database_trouble(error):
        st.error(database_trouble_message(error))
        return True
    return False


@asynccontextmanager
async def lifespan(_app):
    # Phones parked on this process also hear about actions taken in other processes.
    stop = start_watching(waiters, store)
    # Start-up's objects frozen, young collections rarer: see workshop/web/collector.py.
    collector.settle()
    port = int(st.get_option("server.port"))
    # 44 ms less on every kept-alive request: see workshop/web/serving.py.
    nodelay_on_listeners(port)
    print(_welcome(port), flush=True)
    yield
    stop()


app = st.App(
    str(Path(__file__).parent / "workshop" / "dashboard" / "main.py"),
    routes=FacilitatorLogin(store).routes(),
    middleware=[
        # The phone pages, first: past Streamlit's middleware, which they do not need.
        Middleware(PhoneLane, phones=phone_app(ParticipantPages(store, waiters, safety_flags()))),
        # Headers first, so that the gate's redirects carry them too.
        Middleware(SecurityHeaders),
        # Outside the gate, which reads the database too: a 503 page that retries, not a 500.
        Middleware(DatabaseFaults, pages=DASHBOARD_PATHS),
        Middleware(DashboardGate, store=store, base_path=st.get_option("server.baseUrlPath") or ""),
    ],
    on_script_error=_on_script_error,
    lifespan=lifespan,
)
