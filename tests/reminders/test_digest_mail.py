"""The digest mail as its reader sees it, and what the daily run costs per digest however long the digests are."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders.services import reminders_send_due

DUE = date(2025, 10, 16)  # a Thursday


def test_a_title_with_markup_reads_as_written_in_the_text_mail_and_is_escaped_in_the_html_mail(
    assign, ward_staff
):
    assign(DUE, title='Rà soát <b>hồ sơ</b> & "giấy tờ" của 2 phường')
    reminders_send_due(today=DUE)
    [message] = mail.outbox
    assert '\n- Rà soát <b>hồ sơ</b> & "giấy tờ" của 2 phường\n' in message.body
    html = message.alternatives[0][0]
    assert "Rà soát &lt;b&gt;hồ sơ&lt;/b&gt; &amp; &quot;giấy tờ&quot; của 2 phường</a>" in html
    assert "<b>hồ sơ</b>" not in html


@pytest.mark.parametrize("per_digest", [3, 30])
def test_the_daily_run_reads_and_sends_in_a_number_of_queries_that_does_not_grow_with_the_lines(
    assign, ward_staff, unit_head, per_digest
):
    for n in range(per_digest):
        # Due today, a week before, and overdue (a reminder of the delay: the run reads the earlier ones).
        assign([DUE, DUE + timedelta(days=7), DUE - timedelta(days=22)][n % 3])
    with CaptureQueriesContext(connection) as queries:
        run = reminders_send_due(today=DUE)
    assert {outcome for outcome in run.sent.values()} == {per_digest}
    assert len(mail.outbox) == 2
    # 15 to record the day (savepoints included), 4 to read every line ahead (the rows, one per kind of unit),
    # then 6 per digest (the claim's savepoint, the person's lock, the claim, marking SENDING, the release,
    # marking SENT) and 1 per day for the reminders delivered before it.
    assert len(queries) <= 15 + 4 + 6 * 2 + 1
