"""No pages of its own: the units' pages list their assignments, so they are served by tasks/views.py."""
