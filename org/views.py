"""No pages of its own: a department's page lists its assignments, so it is served by tasks/views.py."""
