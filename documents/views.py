"""No pages of its own: the documents are served by the pages they report on (dashboards/views.py)."""
