"""The process and HTTP layer: the start, the middleware in front of Streamlit, the help lines
in the first page, the download sweep, and every Streamlit internal the server relies on.

server.py builds the served app with webserver.app.options; `python -m webserver` starts it.
"""
