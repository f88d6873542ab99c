"""The server configuration the app's promises rest on (.streamlit/config.toml)."""

import tomllib
from pathlib import Path

CONFIG = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text("utf-8"))


def test_the_map_scripts_are_served_locally_and_nothing_reports_home():
    assert CONFIG["server"]["enableStaticServing"] is True  # Leaflet and the basemap from ./static
    assert CONFIG["browser"]["gatherUsageStats"] is False  # no request beyond this machine


def test_a_step_does_not_cost_the_server_a_full_garbage_collection():
    # Streamlit's default collects the whole heap after every rerun, the player's step reports
    # included: ~95 of the ~115 ms of server CPU a step cost (bench/step_latency.py, BENCHMARKS.md).
    assert CONFIG["runner"]["postScriptGC"] is False
