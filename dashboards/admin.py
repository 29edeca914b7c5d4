"""Nothing of the dashboards' own in the admin (they have no models)."""
