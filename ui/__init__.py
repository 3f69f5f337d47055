"""The Streamlit layer: everything drawn on a screen, and this session's state.

app.py runs ui.main.main on every run. The pure core (reflect/) decides what to show; this
package only draws it, reads the widgets and keeps the session's state (ui/state.py).
"""
