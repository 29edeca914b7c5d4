"""Reads of departments are plain queries; the units' one branch is org/units.py."""
