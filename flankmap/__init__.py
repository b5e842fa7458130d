"""Flankmap core: Ottawa Convention status, defence spending and borders of NATO's eastern flank.

Pure Python (no Streamlit). Used by the Streamlit views in ``app.py``/``pages/``, by the CLI
(``python -m flankmap``) and by the tests.
"""

__version__ = "0.1.0"
