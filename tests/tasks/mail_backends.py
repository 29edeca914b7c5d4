"""E-mail backends that fail, for the tests of a failing mail server."""

import smtplib

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
