""" "My learning" as plain data, kept per learner and language in the shared cache.

The page shows what a learner's records say (enrollments, completed lessons, and what higher apps
add: attempts, certificates) through what the content says (course and lesson titles and URLs in
the reader's language). An entry is stored with the *content version* (content.page_cache) and
the learner's own *records version* it was built from, and read in the same round trip as both:
an entry of another version is a miss. ``learner_records_changed`` is the one place a learner's
version moves; it is called for every write the page shows (``watch`` connects it to a model's
saves and deletions; the courses services that write with ``QuerySet.update`` call it directly).
Entries also expire after ``TTL`` seconds: the bound for writes that bypass both (raw SQL, the
learner-record merge). Why a cache and not summary columns: docs/decisions/0016-password-hashing.md.

Higher apps add their part of each course's card with ``dashboard_part``: a function taking the
enrollment ids shown and returning ``{enrollment id: [plain dicts]}`` in one query, so the page's
query count does not grow with courses, attempts or certificates.
"""

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import FilteredRelation, Q
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from content import page_cache

TTL = 15 * 60
_VERSION = "hunar:learner-records:{}"
_ENTRY = "hunar:learning:{}:{}"

Part = Callable[[list[int]], dict[int, list[dict]]]
_parts: dict[str, Part] = {}
_COMPLETED = Q(progress__completed_at__isnull=False)


def dashboard_part(name: str):
    """Decorator: register ``func(enrollment_ids) -> {enrollment_id: [dict]}`` under ``name``.

    The dicts are cached as they are (plain values only) and reach the template as
    ``item.parts.<name>``.
    """

    def register(func: Part) -> Part:
        _parts[name] = func
        return func

    return register


def learner_records_changed(*, learner_id: int) -> None:
    """Make the learner's cached page stale: now, and again once the transaction commits (a
    request that read the rows in between must not keep its entry)."""
    key = _VERSION.format(learner_id)
    cache.set(key, secrets.token_hex(6), None)
    transaction.on_commit(lambda: cache.set(key, secrets.token_hex(6), None))


def watch(model, learner_id_of: Callable, fields: Iterable[str] | None = None) -> None:
    """Call ``learner_records_changed`` when a row of ``model`` is saved or deleted.

    ``learner_id_of(row)`` names the learner; ``fields``, when given, limits saves that name
    ``update_fields`` to those touching one of them (an autosave does not change the page).
    """
    wanted = set(fields) if fields else None

    def saved(sender, instance, update_fields=None, **kwargs):
        if wanted and update_fields is not None and not wanted.intersection(update_fields):
            return
        learner_id = learner_id_of(instance)
        if learner_id is not None:
            learner_records_changed(learner_id=learner_id)

    uid = f"learning-dashboard:{model._meta.label}"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(saved, sender=model, weak=False, dispatch_uid=uid + ":delete")


@dataclass
class Card:
    """One course on the page; plain values only, so it can be cached as is."""

    title: str
    url: str
    status: str
    completed_at: object
    done: int
    total: int
    next_title: str
    next_url: str
    parts: dict
    # For what the page adds uncached (due dates): which enrollment, cohort and lessons done.
    enrollment_id: int = 0
    cohort_id: int | None = None
    course_id: int = 0
    course_path: str = ""
    done_keys: frozenset = frozenset()

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == "completed" else 0
        return round(100 * self.done / self.total)

    @property
    def is_completed(self) -> bool:
        return self.status == "completed"

    @property
    def submitted_assessment_ids(self) -> set[int]:
        """The assessments with an attempt no longer in progress (from the attempts part)."""
        return {
            a["assessment_id"]
            for a in self.parts.get("attempts", [])
            if a["status"] != "in_progress"
        }


def learning_cards(*, learner) -> list[Card]:
    """The learner's courses for "My learning" in the active language, from the cache when the
    learner's records and the content are unchanged since it was built."""
    language = translation.get_language() or "en"
    version_key, entry_key = _VERSION.format(learner.pk), _ENTRY.format(learner.pk, language)
    found = cache.get_many([page_cache.VERSION_KEY, version_key, entry_key])
    content = found.get(page_cache.VERSION_KEY) or page_cache.content_version()
    records = found.get(version_key)
    if records is None:
        records = secrets.token_hex(6)
        if not cache.add(version_key, records, None):
            records = cache.get(version_key) or records
    entry = found.get(entry_key)
    if entry is not None and entry[0] == (content, records):
        return entry[1]
    cards = _build(learner, language)
    cache.set(entry_key, ((content, records), cards), TTL)
    return cards


def _build(learner, language: str) -> list[Card]:
    """Three queries of the learner's (enrollments with completed lessons; each registered part),
    and the courses' outlines from the shared content cache (built in two queries when stale)."""
    from .models import Enrollment

    rows = (
        Enrollment.objects.filter(learner=learner)
        .exclude(status=Enrollment.Status.WITHDRAWN)
        .annotate(done=FilteredRelation("progress", condition=_COMPLETED))
        .values_list(
            "pk", "course_id", "course__translation_key", "status", "completed_at",
            "done__lesson__translation_key", "cohort_id", "course__path",
        )
        .order_by("-enrolled_at", "pk")
    )  # fmt: skip
    enrollments: dict[int, list] = {}
    cohorts: dict[int, tuple] = {}
    for pk, course_id, key, status, completed_at, lesson_key, cohort_id, course_path in rows:
        entry = enrollments.setdefault(pk, [course_id, key, status, completed_at, set()])
        cohorts[pk] = (cohort_id, course_path)
        if lesson_key is not None:
            entry[4].add(lesson_key)
    if not enrollments:
        return []
    outlines = course_outlines(
        courses={entry[1]: entry[0] for entry in enrollments.values()}, language=language
    )
    ids = list(enrollments)
    parts = {name: func(ids) for name, func in _parts.items()}
    cards = []
    for pk, (course_id, key, status, completed_at, done_keys) in enrollments.items():
        outline = outlines.get(str(key)) or {"title": "", "url": "", "lessons": []}
        lessons = outline["lessons"]
        following = next((lesson for lesson in lessons if lesson[2] not in done_keys), None)
        cards.append(
            Card(
                title=outline["title"],
                url=outline["url"],
                status=status,
                completed_at=completed_at,
                done=sum(1 for lesson in lessons if lesson[2] in done_keys),
                total=len(lessons),
                next_title=following[0] if following else "",
                next_url=following[1] if following else "",
                parts={name: found.get(pk, []) for name, found in parts.items()},
                enrollment_id=pk,
                cohort_id=cohorts[pk][0],
                course_id=course_id,
                course_path=cohorts[pk][1],
                done_keys=frozenset(done_keys),
            )
        )
    return cards


def course_outlines(*, courses: dict, language: str) -> dict[str, dict]:
    """{course translation key: {"title", "url", "lessons": [(title, url, lesson key)]}} for
    ``courses`` ({translation key: enrolled (canonical) course id}), from the shared content
    cache: the live translation in ``language``, else the enrolled course."""
    keys = {str(key): f"hunar:course-outline:{key}:{language}" for key in courses}
    version, found = page_cache.read(keys.values())
    outlines = {key: found[cache_key] for key, cache_key in keys.items() if cache_key in found}
    missing = [key for key in keys if key not in outlines]
    if missing:
        enrolled = {key: courses[key] for key in courses if str(key) in missing}
        for key, outline in _outlines(enrolled, language).items():
            page_cache.write(keys[key], version, outline)
            outlines[key] = outline
    return outlines


def _outlines(enrolled: dict, language: str) -> dict[str, dict]:
    """Two queries: the courses in every language, and the live lessons of those shown."""
    from .models import CoursePage
    from .selectors import live_lessons_of

    courses = (
        CoursePage.objects.filter(translation_key__in=list(enrolled))
        .select_related("locale")
        .only(*("id", "title", "url_path", "path", "depth", "translation_key", "live"),
              "locale__language_code")
    )  # fmt: skip
    chosen, fallback = {}, {}
    for course in courses:
        key = str(course.translation_key)
        if course.locale.language_code == language and course.live:
            chosen[key] = course
        if course.pk == enrolled.get(course.translation_key):
            fallback[key] = course
    chosen = {**fallback, **chosen}
    lessons = live_lessons_of(chosen.values())
    outlines = {}
    for key, course in chosen.items():
        url = course.url or ""
        # A lesson's URL is its course's plus its slug (same site, same locale): no per-lesson
        # site lookup.
        outlines[key] = {
            "title": course.title,
            "url": url,
            "lessons": [
                (lesson.title, f"{url}{lesson.slug}/" if url else "", lesson.translation_key)
                for lesson in lessons.get(course.pk, [])
            ],
        }
    return outlines
