"""A file dropped into an upload box, read once as text."""

from __future__ import annotations

from typing import Any

import streamlit as st

from workshop.i18n import gettext as _


def new_text(uploaded: Any, handled_key: str) -> str | None:
    """The text of an upload not handled yet, else None.

    Streamlit keeps a file attached through every rerun of the page: the upload's id is
    remembered under `handled_key` so it is acted on once. A file that is not UTF-8 text is
    refused here, with a message.
    """
    if uploaded is None or st.session_state.get(handled_key) == uploaded.file_id:
        return None
    st.session_state[handled_key] = uploaded.file_id
    try:
        return uploaded.getvalue().decode("utf-8")
    except UnicodeDecodeError:
        st.error(_("%(file)s is not a text file.") % {"file": uploaded.name})
        return None
