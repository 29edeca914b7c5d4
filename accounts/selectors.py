"""Reads of users are plain queries; who is reminded of what is reminders/selectors.py."""
