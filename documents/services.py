"""The issuing office is edited in the admin only (one row): nothing else writes here."""
