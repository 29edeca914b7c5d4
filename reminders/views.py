"""No pages of its own: an assignment's reminders show in its timeline (reporting/selectors.py)."""
