"""The staff inbox: short notices to trainers and managers, in the admin and by e-mail.

``notice_send`` is the one way in: it stores one notice per user (shown on the admin home,
``reports.todo``) and, after the commit, e-mails those who have an address through a Celery
task. Reviews of lessons and questions (Wagtail workflows) are put in the inbox here too; their
e-mails are Wagtail's own (``wagtail.admin.mail``: the submitter hears of approval or rejection,
the reviewers of a submission), so they are not sent twice.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import StaffNotice

INBOX_SIZE = 10


def notice_send(*, users, message: str, url: str = "", email: bool = True) -> list[StaffNotice]:
    """One notice per distinct active user; e-mailed (after the commit) when ``email``."""
    seen, notices = set(), []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notices.append(StaffNotice(user=user, message=message[:300], url=url[:500]))
    notices = StaffNotice.objects.bulk_create(notices)
    ids = [n.pk for n in notices if n.user.email]
    if email and ids:
        from .tasks import notices_email_task

        transaction.on_commit(lambda: notices_email_task.delay(ids), robust=True)
    return notices


def notices_unread_for(*, user) -> list[StaffNotice]:
    return list(StaffNotice.objects.filter(user=user, read_at__isnull=True)[:INBOX_SIZE])


def notice_mark_read(*, user, notice_id: int) -> bool:
    """Mark one of the user's own notices read; False for anyone else's (nothing changes)."""
    own = StaffNotice.objects.filter(pk=notice_id, user=user)
    own.filter(read_at__isnull=True).update(read_at=timezone.now())
    return own.exists()


def notices_email(*, notice_ids: list[int]) -> int:
    """E-mail each notice to its user's address alone. Returns how many were sent."""
    sent = 0
    for notice in StaffNotice.objects.filter(pk__in=notice_ids).select_related("user"):
        if not notice.user.email:
            continue
        link = settings.HUNAR_PUBLIC_URL + notice.url if notice.url.startswith("/") else ""
        body = f"{notice.message}\n\n{link}\n" if link else f"{notice.message}\n"
        send_mail(_("Hunar: %(message)s") % {"message": notice.message[:80]}, body, None,
                  [notice.user.email])  # fmt: skip
        sent += 1
    return sent


def workflow_notice(sender=None, instance=None, user=None, approved=True, **kwargs) -> None:
    """Receiver of Wagtail's ``workflow_approved`` / ``workflow_rejected``: tell whoever asked
    for the review, in the admin (Wagtail e-mails them itself)."""
    requested_by = getattr(instance, "requested_by", None)
    if requested_by is None or requested_by == user:
        return
    content = instance.content_object
    title = str(getattr(content, "title", None) or content)
    if approved:
        message = _("“%(title)s” was approved.") % {"title": title}
    else:
        message = _("“%(title)s” was sent back with changes requested.") % {"title": title}
    url = ""
    if hasattr(content, "depth"):  # a page
        from django.urls import reverse

        url = reverse("wagtailadmin_pages:edit", args=[content.pk])
    notice_send(users=[requested_by], message=message, url=url, email=False)


def workflow_approved_notice(sender=None, instance=None, user=None, **kwargs):
    workflow_notice(sender=sender, instance=instance, user=user, approved=True)


def workflow_rejected_notice(sender=None, instance=None, user=None, **kwargs):
    workflow_notice(sender=sender, instance=instance, user=user, approved=False)
