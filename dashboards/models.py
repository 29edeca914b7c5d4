"""Dashboards keep no data of their own: every figure is read from the plan (tasks) when asked."""
