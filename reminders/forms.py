"""No forms: the reminder settings and holidays are kept in the admin (reminders/admin.py)."""
