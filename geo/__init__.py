"""Story Map's library: stories, offline geocoding, distances and folium maps. No streamlit."""
