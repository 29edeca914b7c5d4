"""No forms: reading a notification and marking all read take no input; the e-mail choice is the user's own
setting (accounts/forms.py)."""
