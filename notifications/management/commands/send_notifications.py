from datetime import timedelta

from django.core.management.base import BaseCommand

from notifications.emails import notification_emails_send_pending


class Command(BaseCommand):
    help = (
        "Send the notification e-mails still unsent (a broker outage or a failing mail server left them), "
        "each once, to people who have not turned notification e-mails off. Runs without Celery."
    )

    def handle(self, *args, **options):
        sent = notification_emails_send_pending(settle=timedelta(0))
        self.stdout.write(f"notification e-mails sent {sent}")
