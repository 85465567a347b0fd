"""Merge learner records split across translations into one record per canonical page.

Before issue 13 an enrolment, lesson progress or attempt could point at a translation (the Urdu
copy) of a course, lesson or assessment, so one learner could hold two enrolments in one course.
:func:`learner_records_merge` puts every record on the canonical page (content.canonical: the
source-locale translation) and merges the duplicates:

- of a learner's enrolments in translations of one course the earliest is kept (status: the
  furthest of them, completed > in progress > withdrawn; earliest start and completion);
- lesson progress is united, one row per canonical lesson: completed wins (earliest
  completion), earliest start, latest visit, time spent summed;
- attempts move to the canonical assessment and the kept enrolment and are numbered together
  by start time; if two were in progress, the earlier one is closed as submitted;
- certificates follow the kept enrolment; of two valid ones the earliest stays valid and the
  other is revoked with the reason "duplicate across languages".

It takes an app registry (``django.apps.apps`` or a migration's historical one) and names the
higher apps' models (assessments, certificates) only through it, so courses imports neither.
Used by migration 0004 and by ``manage.py learner_records_merge``.
"""

from collections import defaultdict

from django.conf import settings
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant

DUPLICATE_REASON = "duplicate across languages"
STATUS_RANK = {"completed": 2, "active": 1, "withdrawn": 0}
TEMPORARY_NUMBER = 20000  # above any real attempt number, below PositiveSmallIntegerField's max


def _model(apps, label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _canonical_map(apps, page_ids) -> dict[int, int]:
    Page = apps.get_model("wagtailcore.Page")
    Locale = apps.get_model("wagtailcore.Locale")
    page_ids = {pk for pk in page_ids if pk is not None}
    # As Locale.get_default() (content.canonical) finds it; historical models lack the method.
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    source = Locale.objects.filter(language_code=language).first()
    if source is None or not page_ids:
        return {pk: pk for pk in page_ids}
    keys = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "translation_key"))
    by_key = dict(
        Page.objects.filter(translation_key__in=set(keys.values()), locale=source).values_list(
            "translation_key", "pk"
        )
    )
    return {pk: by_key.get(keys.get(pk), pk) for pk in page_ids}


def learner_record_counts(apps) -> dict[str, int]:
    """The figures quoted before and after a merge."""
    Enrollment = apps.get_model("courses.Enrollment")
    LessonProgress = apps.get_model("courses.LessonProgress")
    Attempt = _model(apps, "assessments.Attempt")
    Certificate = _model(apps, "certificates.Certificate")
    refs = {
        "enrollments": list(Enrollment.objects.values_list("course_id", flat=True)),
        "lesson progress": list(LessonProgress.objects.values_list("lesson_id", flat=True)),
        "attempts": list(Attempt.objects.values_list("assessment_id", flat=True))
        if Attempt
        else [],
    }
    canonical = _canonical_map(apps, [pk for ids in refs.values() for pk in ids])
    counts = {name: len(ids) for name, ids in refs.items()}
    counts["records on a translation"] = sum(
        1 for ids in refs.values() for pk in ids if pk is not None and canonical[pk] != pk
    )
    pairs = Enrollment.objects.values_list("learner_id", "course_id")
    counts["learner-course pairs"] = len({(learner, canonical[c]) for learner, c in pairs})
    if Certificate:
        counts["valid certificates"] = Certificate.objects.filter(status="issued").count()
    return counts


def learner_records_merge(apps, *, now=None) -> dict[str, int]:
    """Merge as described above; returns what was changed. Run it inside a transaction."""
    now = now or timezone.now()
    Enrollment = apps.get_model("courses.Enrollment")
    LessonProgress = apps.get_model("courses.LessonProgress")
    Attempt = _model(apps, "assessments.Attempt")
    Certificate = _model(apps, "certificates.Certificate")
    done = defaultdict(int)

    enrollments = list(Enrollment.objects.order_by("enrolled_at", "pk"))
    course_of = _canonical_map(apps, (e.course_id for e in enrollments))
    groups = defaultdict(list)
    for enrollment in enrollments:
        groups[(enrollment.learner_id, course_of[enrollment.course_id])].append(enrollment)
    kept_for = {}  # enrollment id -> the kept enrollment
    for (_learner, course_id), group in groups.items():
        kept, others = group[0], group[1:]
        for enrollment in group:
            kept_for[enrollment.pk] = kept
        if others:
            _merge_enrollment_fields(kept, others)
            done["enrollments merged"] += len(others)
        if kept.course_id != course_id or others:
            done["enrollments repointed"] += kept.course_id != course_id
            kept.course_id = course_id
    moved = {pk: kept for pk, kept in kept_for.items() if kept.pk != pk}

    _merge_progress(apps, LessonProgress, kept_for, done)
    if Attempt is not None:
        _merge_attempts(apps, Attempt, kept_for, now, done)
    if Certificate is not None:
        _merge_certificates(Certificate, moved, now, done)
    Enrollment.objects.filter(pk__in=list(moved)).delete()
    for kept in {id(k): k for k in kept_for.values()}.values():
        kept.save()
    return dict(done)


def _merge_enrollment_fields(kept, others) -> None:
    group = [kept, *others]
    best = max(group, key=lambda e: STATUS_RANK.get(e.status, 0))
    kept.status = best.status
    started = [e.started_at for e in group if e.started_at]
    kept.started_at = min(started) if started else None
    completed = [e.completed_at for e in group if e.completed_at]
    kept.completed_at = min(completed) if completed and kept.status == "completed" else None
    if kept.cohort_id is None:
        kept.cohort_id = next((e.cohort_id for e in others if e.cohort_id), None)


def _merge_progress(apps, LessonProgress, kept_for, done) -> None:
    rows = list(LessonProgress.objects.order_by("started_at", "pk"))
    lesson_of = _canonical_map(apps, (row.lesson_id for row in rows))
    groups = defaultdict(list)
    for row in rows:
        kept = kept_for[row.enrollment_id]
        key = (kept.pk, lesson_of.get(row.lesson_id)) if row.lesson_id else (kept.pk, -row.pk)
        groups[key].append(row)
    for (enrollment_id, lesson_id), group in groups.items():
        first, others = group[0], group[1:]
        changed = first.enrollment_id != enrollment_id or (
            lesson_id > 0 and first.lesson_id != lesson_id
        )
        first.enrollment_id = enrollment_id
        if lesson_id > 0:
            first.lesson_id = lesson_id
        if others:
            completed = [r.completed_at for r in group if r.completed_at]
            first.completed_at = min(completed) if completed else None
            first.started_at = min(r.started_at for r in group)
            first.last_seen_at = max(r.last_seen_at for r in group)
            first.time_spent_seconds = sum(r.time_spent_seconds for r in group)
            LessonProgress.objects.filter(pk__in=[r.pk for r in others]).delete()
            done["lesson progress rows merged"] += len(others)
        if changed or others:
            done["lesson progress rows repointed"] += changed
            first.save()


def _merge_attempts(apps, Attempt, kept_for, now, done) -> None:
    attempts = list(Attempt.objects.order_by("started_at", "pk"))
    assessment_of = _canonical_map(apps, (a.assessment_id for a in attempts))
    groups = defaultdict(list)
    for attempt in attempts:
        groups[(attempt.learner_id, assessment_of[attempt.assessment_id])].append(attempt)
    for (_learner, assessment_id), group in groups.items():
        changed = [
            a
            for number, a in enumerate(group, start=1)
            if a.assessment_id != assessment_id
            or a.number != number
            or kept_for[a.enrollment_id].pk != a.enrollment_id
        ]
        if not changed:
            continue
        in_progress = [a for a in group if a.status == "in_progress"]
        for attempt in in_progress[:-1]:  # one may stay open: the latest started
            attempt.status = "submitted"
            attempt.submitted_at = attempt.last_saved_at or attempt.started_at
            attempt.save(update_fields=["status", "submitted_at"])
            done["attempts in progress closed"] += 1
        # Free the numbers first: (assessment, learner, number) is unique at every step.
        for offset, attempt in enumerate(group):
            attempt.number = TEMPORARY_NUMBER + offset
            attempt.save(update_fields=["number"])
        for number, attempt in enumerate(group, start=1):
            done["attempts moved"] += attempt.assessment_id != assessment_id
            attempt.assessment_id = assessment_id
            attempt.enrollment_id = kept_for[attempt.enrollment_id].pk
            attempt.number = number
            attempt.save(update_fields=["assessment", "enrollment", "number"])
        done["attempts renumbered"] += len(group)


def _merge_certificates(Certificate, moved, now, done) -> None:
    targets = defaultdict(list)
    for enrollment_id, kept in moved.items():
        targets[kept.pk].append(enrollment_id)
    for kept_id, moved_ids in targets.items():
        certificates = list(
            Certificate.objects.filter(enrollment_id__in=[kept_id, *moved_ids]).order_by(
                "issued_at", "pk"
            )
        )
        valid = [c for c in certificates if c.status == "issued"]
        for duplicate in valid[1:]:
            duplicate.status = "revoked"
            duplicate.revoked_at = now
            duplicate.revocation_reason = DUPLICATE_REASON
            duplicate.save(update_fields=["status", "revoked_at", "revocation_reason"])
            done["certificates revoked as duplicates"] += 1
        moving = [c.pk for c in certificates if c.enrollment_id != kept_id]
        Certificate.objects.filter(pk__in=moving).update(enrollment_id=kept_id)
        done["certificates moved"] += len(moving)
