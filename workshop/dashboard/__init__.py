"""The facilitator's Streamlit pages: each is `render(store, ...)`, thin, tested with AppTest."""
