"""No forms: documents are kept in the admin (plans/admin.py) and seeded from plans/data."""
