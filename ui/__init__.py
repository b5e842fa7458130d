"""Streamlit-side helpers: the one caching module (``ui.cache``) and the shared view state (``ui.state``)."""
