"""The dashboard's own login check, behind the gate middleware (it also covers the websocket)."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from workshop.store import Store
from workshop.web import keys
from workshop.web.facilitator_login import COOKIE


def require_login(store: Store, cookies: Mapping[str, str]) -> bool:
    """True for a facilitator with a valid login cookie; otherwise draw a way to log in."""
    if keys.login_cookie_valid(keys.server_key(store), cookies.get(COOKIE)):
        return True
    st.title("Tandem")
    if keys.passcode_is_set(store):
        st.write("Please log in as the facilitator.")
        st.markdown("[Log in](/facilitator/login)")
    else:
        st.write("First run: choose a facilitator passcode on this laptop.")
        st.markdown("[Choose a passcode](/facilitator/setup)")
    return False
