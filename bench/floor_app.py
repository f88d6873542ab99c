"""The floor for bench/step_latency.py's cold loads: a Streamlit page with one heading and nothing else.

No page of a Streamlit app can be drawn sooner than this: its time is Streamlit's own start in the
browser (its bundle, the websocket, one script run), which every app on the page pays.
"""

import streamlit as st

st.title("Floor")
