"""Accessibility repairs to Streamlit's own markup that its Python API cannot reach."""

from __future__ import annotations

import streamlit as st

DROPZONE_KEY = "dropzone-role"

# st.file_uploader's drop area is react-dropzone's root: role="presentation" with an aria-label,
# which contradict each other (axe: presentation-role-conflict), so a screen reader may drop the
# label. As a labelled group it keeps the label and the Browse button inside it. A component's
# script runs in the page; the observer repeats the repair when Streamlit redraws the uploader.
_DROPZONE_ROLE = st.components.v2.component(
    "story_map_dropzone_role",
    js="""
export default function () {
  const repair = () => document.querySelectorAll('[data-testid="stFileUploaderDropzone"][role="presentation"]')
    .forEach((zone) => zone.setAttribute("role", "group"));
  repair();
  if (!window.__smDropzoneObserver) {
    window.__smDropzoneObserver = new MutationObserver(repair);
    window.__smDropzoneObserver.observe(document.body, {subtree: true, childList: true, attributes: true,
                                                        attributeFilter: ["role"]});
  }
}
""",
)


def mount_hidden(component, key: str, **data) -> None:
    """Mount a component that only runs a script: its slot takes no room (the script runs all the same)."""
    component(key=key, data=data or None, height=0)
    st.html(f"<style>.st-key-{key} {{display: none;}}</style>")


def labelled_dropzones() -> None:
    """Give every file uploader's drop area on the page a role that keeps its label."""
    mount_hidden(_DROPZONE_ROLE, DROPZONE_KEY)
