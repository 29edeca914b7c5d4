"""No forms of its own: the admin edits the issuing office."""
