"""The phones' side: small server-rendered pages, mounted beside Streamlit with st.App(routes=)."""
