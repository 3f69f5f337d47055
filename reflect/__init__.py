"""The pure core of the reflection app: content, flow and reflection. Never imports streamlit."""
