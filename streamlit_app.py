"""Tandem's entry point: `streamlit run streamlit_app.py`.

One server, two kinds of page: the facilitator's Streamlit dashboard, and the phones' small
server-rendered pages mounted beside it as plain Starlette routes.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from workshop.facilitator_login import DashboardGate, FacilitatorLogin
from workshop.participant.routes import ParticipantPages
from workshop.participant.waiting import start_watching
from workshop.runtime import shared_store, shared_waiters

store = shared_store()
waiters = shared_waiters()


@asynccontextmanager
async def lifespan(_app):
    # Phones parked on this process also hear about actions taken in other processes.
    stop = start_watching(waiters, store)
    yield
    stop()


app = st.App(
    str(Path(__file__).parent / "workshop" / "dashboard" / "main.py"),
    routes=ParticipantPages(store, waiters).routes() + FacilitatorLogin(store).routes(),
    middleware=[Middleware(DashboardGate, store=store)],
    lifespan=lifespan,
)
