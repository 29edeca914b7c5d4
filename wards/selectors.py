"""Reads of units are plain queries (District.objects.active(), Ward.objects.active(on=…))."""
