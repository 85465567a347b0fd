"""The weekly report: PDF (charts included) and CSV, by command, by e-mail, on the beat."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from lms import roles
from lms.celery import app
from lms.models import Center
from reports import tasks
from reports.selectors import center_table
from reports.weekly import Week, WeekError, week_of, week_parse, weekly_reports_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_week_parsing():
    week = week_parse("2026-W48")
    assert (week.monday, week.sunday) == (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))
    assert week_parse("2026-W53").monday == datetime.date(2026, 12, 28)
    for bad in ("2025-W53", "2026-48", "2026-W00", "W48", "2026-W5"):
        with pytest.raises(WeekError):
            week_parse(bad)
    assert week_parse("") == week_of(timezone.localdate() - datetime.timedelta(days=7))


def _this_week() -> Week:
    return week_of(timezone.localdate())


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_programme_report_command_writes_the_pdf_and_csv(network, tmp_path):
    week = _this_week()
    out = io.StringIO()
    call_command("programme_report", "--week", week.label, "--output", str(tmp_path), stdout=out)
    pdf = (tmp_path / f"programme-{week.label}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert f"weekly report {week.label}" in text
    assert "Gilgit lab" in text and "Skardu lab" in text
    assert "Learners per center" in text and "Completion rate per center" in text  # charts
    csv_text = (tmp_path / f"programme-{week.label}.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0][0] == "Center"  # the header row first
    body = rows[next(i for i, r in enumerate(rows) if r and r[0] == "Center") + 1 :]
    expected, _total = center_table(
        centers=Center.objects.filter(is_active=True), filters=week.filters()
    )
    assert [(r[0], int(r[3]), r[6]) for r in body] == [
        (e.label, e.learners, "" if e.completion_rate is None else str(e.completion_rate))
        for e in expected
    ]
    assert [r[3] for r in body] == ["6", "3"]


def test_center_report_names_its_cohorts(network, tmp_path):
    week = _this_week()
    call_command(
        "programme_report", "--week", week.label, "--center", "glt", "--output", str(tmp_path),
        stdout=io.StringIO(),
    )  # fmt: skip
    text = _pdf_text((tmp_path / f"GLT-{week.label}.pdf").read_bytes())
    assert "Gilgit lab: weekly report" in text
    assert "GLT day" in text and "GLT evening" in text and "SKD day" not in text


def test_command_refuses_bad_input(network, tmp_path):
    with pytest.raises(CommandError, match="YYYY-Www"):
        call_command("programme_report", "--week", "last week", "--output", str(tmp_path))
    with pytest.raises(CommandError, match="No center"):
        call_command("programme_report", "--center", "NOPE", "--output", str(tmp_path))


def test_weekly_reports_are_emailed_to_managers_and_programme_admins(network, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    network.manager.email = "glt@example.org"
    network.manager.save()
    UserFactory(username="director", email="director@example.org", role=roles.PROGRAMME_ADMIN)
    week = _this_week()
    assert tasks.weekly_reports_send_task.delay(week.label).get() == 3  # 2 centers + programme
    # SKD's manager has no address: GLT's report and the programme's went out.
    assert sorted(m.to[0] for m in mail.outbox) == ["director@example.org", "glt@example.org"]
    for message in mail.outbox:
        names = sorted(name for name, _content, _mime in message.attachments)
        assert [n.rsplit(".", 1)[1] for n in names] == ["csv", "pdf"]
        pdf = next(c for n, c, _m in message.attachments if n.endswith(".pdf"))
        assert pdf.startswith(b"%PDF")
    glt = next(m for m in mail.outbox if m.to == ["glt@example.org"])
    assert glt.subject == f"Gilgit lab: weekly report {week.label}"
    mail.outbox.clear()
    assert weekly_reports_send(week=week) == 2


def test_beat_runs_the_report_tasks():
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reports.weekly_reports_send_task", "reports.followups_send_due_task"} <= schedule
    app.loader.import_default_modules()
    assert {"reports.weekly_reports_send_task", "reports.weekly_report_send_task",
            "reports.followups_send_due_task"} <= set(app.tasks)  # fmt: skip


def test_a_weekly_report_lost_to_an_outage_goes_out_at_the_next_run_once(network, settings):
    """Each run sends only the reports still owed; a report already sent is never sent again."""
    from reports.models import WeeklyReportDelivery
    from reports.weekly import weekly_report_deliver, weekly_reports_owed

    settings.CELERY_TASK_ALWAYS_EAGER = True
    network.manager.email = "glt@example.org"
    network.manager.save()
    week = _this_week()
    glt = Center.objects.get(code="GLT")
    # The broker was down at the first run: nothing sent, but all three recorded as owed.
    assert sorted(weekly_reports_owed(week=week), key=str) == sorted(
        [*Center.objects.values_list("pk", flat=True), None], key=str
    )
    assert WeeklyReportDelivery.objects.filter(week=week.label, sent_at=None).count() == 3
    assert weekly_report_deliver(week=week, center=glt) == 1
    assert weekly_report_deliver(week=week, center=glt) == 0
    assert len(mail.outbox) == 1
    # The next hourly run queues only the two still owed.
    assert tasks.weekly_reports_send_task.delay(week.label).get() == 2
    assert tasks.weekly_reports_send_task.delay(week.label).get() == 0
    assert [m.to for m in mail.outbox] == [["glt@example.org"]]
    assert WeeklyReportDelivery.objects.filter(week=week.label, sent_at=None).count() == 0
