"""No pages of its own: a document's page lists its tasks, so it is served by tasks/views.py."""
