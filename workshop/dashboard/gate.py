"""The dashboard's own access check, behind the gate middleware (it also covers the websocket,
which the middleware never sees): every script run asks again, so a logout, a new passcode or a
renewed link takes effect at the next click.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from workshop.store import Store
from workshop.web import keys, links
from workshop.web.facilitator_login import COOKIE


@dataclass(frozen=True)
class Access:
    """Who is looking: the facilitator (every page), or a link's holder (one page of one
    session: `purpose` "screen" or "remote")."""

    purpose: str | None = None
    session_id: int | None = None

    @property
    def facilitator(self) -> bool:
        return self.purpose is None


def access(store: Store, cookies: Mapping[str, str], query: Mapping[str, str]) -> Access | None:
    """The access this browser has, or None (after drawing a way to log in)."""
    if keys.login_valid(store, cookies.get(COOKIE)):
        return Access()
    for purpose, path in links.PAGES.items():
        session_id = links.opens(store, path, query.get("session"), query.get("key"))
        if session_id is not None:
            return Access(purpose, session_id)
    st.title("Tandem")
    if keys.passcode_is_set(store):
        st.write("Please log in as the facilitator.")
        st.markdown("[Log in](/facilitator/login)")
    else:
        st.write(
            "First run: open the setup link printed in the terminal where Tandem started, "
            "or run `workshop passcode` there."
        )
    return None


def still_allowed(store: Store, cookies: Mapping[str, str], query: Mapping[str, str]) -> bool:
    """For views that refresh themselves (fragments): is this browser still let in?"""
    if keys.login_valid(store, cookies.get(COOKIE)):
        return True
    return any(
        links.opens(store, path, query.get("session"), query.get("key")) is not None
        for path in links.PAGES.values()
    )


def recheck(store: Store) -> None:
    """At the top of a self-refreshing fragment: after a logout or a revoked link, run the whole
    page again, which then shows the way to log in instead."""
    if not still_allowed(store, st.context.cookies, st.query_params):
        st.rerun(scope="app")
