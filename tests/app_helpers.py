"""AppTest plumbing shared by the app's tests: run with a query, read the player's data, report a move."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
# A bound that catches a hang, not a speed test: a session's first run builds the GeoNames index,
# which on a busy machine can take more than a minute.
TIMEOUT = 180


def run(**query: str) -> AppTest:
    """The app, run once with these query parameters."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def player(at: AppTest, key: str = "story-player"):
    """The player component's element (AppTest shows a v2 component as an UnknownElement)."""
    return next(e for e in at.get("bidi_component") if e.proto.id.endswith(key))


def player_data(at: AppTest, key: str = "story-player") -> dict:
    """What the page handed the player on its last run: {"bundle": ..., "options": ...}."""
    return json.loads(player(at, key).proto.json)


def report(at: AppTest, key: str = "story-player", **moved) -> AppTest:
    """Rerun as if the player in the browser reported a move ({"step": 3, "order": "chrono"}).

    AppTest runs no JavaScript, so this sends the component's trigger the way the browser does:
    one widget state, the component's "events" trigger, carrying [{"event": "moved", "value": ...}].
    """
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = _make_trigger_id(player(at, key).proto.id, "events")
    state.json_trigger_value = json.dumps([{"event": "moved", "value": moved}])
    return at._run(widget_state=states)


def query(at: AppTest, name: str) -> str | None:
    """One query parameter's value after the last run."""
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def map_click(at: AppTest, **value) -> AppTest:
    """Rerun as if the reader clicked the st_folium map ({"last_clicked": {"lat": .., "lng": ..}}).

    st_folium is a v1 component: the browser sends its whole return value as one JSON widget state.
    """
    [component] = at.get("component_instance")
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = component.proto.id
    state.json_value = json.dumps({"last_clicked": None, "last_object_clicked_tooltip": None, **value})
    return at._run(widget_state=states)


def edit_table(at: AppTest, key: str, edited_rows: dict[int, dict]) -> AppTest:
    """Rerun as if the reader typed into an st.data_editor's cells ({row: {column: value}}).

    AppTest applies no cell edits; the browser sends them as one JSON string widget state.
    """
    table = next(t for t in at.dataframe if t.proto.id.endswith(key))
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = table.proto.id
    state.string_value = json.dumps({"edited_rows": {str(row): cells for row, cells in edited_rows.items()},
                                     "added_rows": [], "deleted_rows": []})
    return at._run(widget_state=states)
