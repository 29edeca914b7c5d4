"""Dashboards write nothing; the seed commands (management/commands) call the other apps' services."""
