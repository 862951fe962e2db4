"""The Streamlit UI: `app.py` is the entry; pages live in `ui/pages/`, one file each."""
