"""Logging filters of the portal."""

import logging


class OneLineForbidden(logging.Filter):
    """A refused request (403) is expected and says all in one line ("Forbidden (Permission denied): /path");
    its traceback only buries real errors in the log."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
