"""No forms: departments are kept in the admin (org/admin.py) and seeded from org/data."""
