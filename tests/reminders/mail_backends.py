"""E-mail backends that fail, for the tests of a failing mail server."""

import os
import smtplib
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingBackend(LocmemBackend):
    """Refuses mail to the addresses in FAIL_FOR (every address when it is empty), `failures` times in all."""

    FAIL_FOR: set[str] = set()
    failures = 10**6

    def send_messages(self, messages):
        for message in messages:
            if FailingBackend.failures > 0 and (not self.FAIL_FOR or set(message.to) & self.FAIL_FOR):
                FailingBackend.failures -= 1
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed (test)")
        return super().send_messages(messages)


class SlowFileBackend(FileBackend):
    """Writes mail to files like the file backend, after TEST_MAIL_DELAY seconds: a slow mail server, so a
    test can kill the worker while it waits."""

    def send_messages(self, messages):
        time.sleep(float(os.environ.get("TEST_MAIL_DELAY", "0")))
        return super().send_messages(messages)
