"""The Streamlit side of kg: bank loading and caching, navigation, widgets, and one module per page.

``app.py`` is the entry point and router; everything here is Streamlit glue around the kg library.
"""
