from django.db import models


class CacheVersion(models.Model):
    """A token that changes with every write to the tables of its topic (cqdt_portal/lib/versions.py): what a
    process keeps in memory under a token is as fresh as the tables were when that token was written.

    Written only by database triggers (installed after every `migrate`), so that no write path can forget it:
    the admin, bulk imports, `QuerySet.update`, raw SQL and rolled-back transactions alike."""

    topic = models.CharField(primary_key=True, max_length=40)
    token = models.CharField(max_length=64)

    class Meta:
        verbose_name = "phiên bản dữ liệu tham chiếu"
        verbose_name_plural = "phiên bản dữ liệu tham chiếu"

    def __str__(self):
        return f"{self.topic}: {self.token}"
