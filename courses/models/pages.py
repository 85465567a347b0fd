"""The curriculum as Wagtail pages: HomePage > TrackPage > CoursePage > LessonPage.

Trainers author these in the Wagtail admin (drafts, previews, revisions, moderation, scheduled
publishing); learners read the published versions.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from content.page_cache import SharedParts, connect_signals
from courses.blocks import LessonStreamBlock
from courses.ordering import CourseChildPagePermissionsMixin, CoursePermissionTester

connect_signals()  # shared page parts go stale when content changes, in every process


class CurriculumPageMixin:
    """Breadcrumbs, neighbours and translations of a curriculum page in one query.

    Learners open these pages all day on a shared connection; Wagtail's own helpers would spend
    a query on each (ancestors, siblings, translations, aliases for view restrictions).
    """

    @cached_property
    def navigation(self) -> dict:
        if not self.pk:  # a preview of a page not saved yet: not in the tree
            return {
                **{"ancestors": [], "breadcrumbs": [], "page_translations": []},
                **{"parent_page": None, "previous_page": None, "next_page": None},
            }
        # Ancestors' tree paths are prefixes of this page's path: no lookup needed to find them.
        steplen = self.steplen
        ancestor_paths = [self.path[:end] for end in range(2 * steplen, len(self.path), steplen)]
        parent_path = self.path[:-steplen]
        rows = list(
            Page.objects.filter(
                models.Q(path__in=ancestor_paths)
                | models.Q(path__startswith=parent_path, depth=self.depth, live=True)
                | models.Q(translation_key=self.translation_key, live=True)
            )
            .exclude(pk=self.pk)
            .select_related("locale")
            .only(
                *("id", "title", "slug", "url_path", "path", "depth", "translation_key"),
                *("alias_of_id", "locale__id", "locale__language_code"),
            )
            .order_by("path")
        )
        ancestors = [row for row in rows if row.path in ancestor_paths]
        siblings = [
            row for row in rows if row.depth == self.depth and row.path.startswith(parent_path)
        ]
        return {
            "ancestors": ancestors,
            "breadcrumbs": ancestors,
            "parent_page": ancestors[-1] if ancestors else None,
            "previous_page": next((r for r in reversed(siblings) if r.path < self.path), None),
            "next_page": next((r for r in siblings if r.path > self.path), None),
            "page_translations": [
                row
                for row in rows
                if row.translation_key == self.translation_key and row.locale_id != self.locale_id
            ],
        }

    @cached_property
    def tree(self) -> dict:
        """What serving needs on every request: ancestors as (id, alias_of_id), translations.

        Taken from ``navigation`` here; a subclass may keep it in a cache instead.
        """
        return self._tree_from_navigation()

    def _tree_from_navigation(self) -> dict:
        return {
            "ancestors": [(row.pk, row.alias_of_id) for row in self.navigation["ancestors"]],
            "translations": self.navigation["page_translations"],
        }

    def get_view_restrictions(self):
        """Wagtail's check, reusing the ancestors above unless an alias is involved (then
        Wagtail's own version resolves it). Restrictions are read fresh, unless the tree says
        there are none (only a cached tree says so, and any restriction saved makes it stale)."""
        ancestors = self.tree["ancestors"]
        if self.alias_of_id or any(alias_of_id for _pk, alias_of_id in ancestors):
            return super().get_view_restrictions()
        if self.tree.get("restricted") is False:
            return PageViewRestriction.objects.none()  # known, no query: see LessonPage.tree
        return PageViewRestriction.objects.filter(page_id__in=self._restrictable_ids())

    def _restrictable_ids(self) -> list[int]:
        return [self.pk, *(pk for pk, _alias_of_id in self.tree["ancestors"])]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.pk:
            context.update(self.navigation)
        return context


class TrackPage(CurriculumPageMixin, Page):
    """A learning track for one audience, e.g. Digital literacy (students) or Freelancing (youth).

    Its courses are its child pages, in the order trainers arrange them in the page tree.
    """

    class Audience(models.TextChoices):
        STUDENTS = "students", _("students — digital literacy in school hours")
        YOUTH = "youth", _("youth — freelancing in the second shift")

    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    summary = models.TextField(_("summary"), max_length=600)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("audience"),
        FieldPanel("summary"),
        FieldPanel("image"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("track")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.child_of(self).live().order_by("path")
        return context


class CoursePage(CurriculumPageMixin, Page):
    """A course in a track: what a learner will be able to do, its lessons and its rules."""

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("beginner")
        INTERMEDIATE = "intermediate", _("intermediate")
        ADVANCED = "advanced", _("advanced")

    summary = models.TextField(_("summary"), max_length=800)
    outcomes = models.TextField(
        _("outcomes"),
        blank=True,
        help_text=_("Skills a learner will have at the end: one per line."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default="beginner")
    hours = models.PositiveSmallIntegerField(
        _("hours"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("prerequisites"),
        blank=True,
        symmetrical=False,
        related_name="unlocks",
        help_text=_("Courses a learner must complete before this one."),
    )
    open_for_self_enrollment = models.BooleanField(
        _("learners may enrol themselves"),
        default=True,
        help_text=_("Otherwise only a center manager enrols learners (e.g. from a roster)."),
    )
    completion_requires_all_lessons = models.BooleanField(
        _("all lessons must be completed"), default=True
    )
    minimum_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("0 means attendance does not count towards completion."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("outcomes"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("hours")]),
        FieldPanel("prerequisites"),
        MultiFieldPanel(
            [
                FieldPanel("open_for_self_enrollment"),
                FieldPanel("completion_requires_all_lessons"),
                FieldPanel("minimum_attendance_percent"),
            ],
            heading=_("Completion rules"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("outcomes"),
    ]
    parent_page_types = ["courses.TrackPage"]
    # AssessmentPage (assessments app) is named by string: courses never imports it.
    subpage_types = ["courses.LessonPage", "assessments.AssessmentPage"]

    class Meta:
        verbose_name = _("course")

    def permissions_for_user(self, user):
        return CoursePermissionTester(user, self)

    def clean(self):
        super().clean()
        if self.pk and self._prerequisite_cycle():
            raise ValidationError(
                {"prerequisites": _("A course cannot require itself, directly or through others.")}
            )

    def _prerequisite_cycle(self) -> bool:
        seen: set[int] = set()
        frontier = [course.pk for course in self.prerequisites.all()]
        while frontier:
            if self.pk in frontier:
                return True
            seen.update(frontier)
            frontier = list(
                CoursePage.prerequisites.through.objects.filter(from_coursepage_id__in=frontier)
                .exclude(to_coursepage_id__in=seen)
                .values_list("to_coursepage_id", flat=True)
            )
        return False

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.outcomes.splitlines() if line.strip()]

    @cached_property
    def lessons(self):
        """Live lessons in tree order, with only the fields a listing needs (one query)."""
        return list(
            LessonPage.objects.child_of(self)
            .live()
            .order_by("path")
            .only(
                "id",
                "title",
                "slug",
                "url_path",
                "path",
                "depth",
                "estimated_minutes",
                "translation_key",
            )
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = self.lessons
        context["total_minutes"] = sum(lesson.estimated_minutes for lesson in self.lessons)
        # Quizzes and projects (the assessments app's pages), without naming that app here.
        context["activities"] = list(
            Page.objects.child_of(self)
            .live()
            .not_type(LessonPage)
            .order_by("path")
            .only("id", "title", "slug", "url_path", "path", "depth")
        )
        if request.user.is_authenticated:
            # The enrollment is in the canonical course, whichever translation this is.
            from courses.models import Enrollment

            context["enrollment"] = (
                Enrollment.objects.filter(
                    learner=request.user, course__translation_key=self.translation_key
                )
                .select_related("course")
                .first()
            )
            if context["enrollment"] is not None:
                from courses.staff import due_items_of

                # Ticks beside the lessons done (progress is kept on the source-language lesson),
                # and what is still due.
                context["done_lesson_keys"] = set(
                    context["enrollment"]
                    .progress.filter(completed_at__isnull=False)
                    .values_list("lesson__translation_key", flat=True)
                )
                context["due"] = due_items_of(
                    enrollment=context["enrollment"],
                    done_lesson_keys=context["done_lesson_keys"],
                )
        if not context.get("enrollment"):
            context["prerequisites"] = self._prerequisites_for(request.user)
        return context

    def _prerequisites_for(self, user) -> list[dict]:
        """The courses to finish before this one, in the reader's language, each marked done or
        not for a signed-in learner: shown before "Enrol" (enrolment refuses without them)."""
        required = list(self.prerequisites.all().order_by("title"))
        if not required:
            return []
        missing = set()
        if user.is_authenticated:
            from courses.services import missing_prerequisites

            missing = {course.pk for course in missing_prerequisites(learner=user, course=self)}
        shown = []
        for course in required:
            page = course.localized
            shown.append(
                {
                    "title": page.title,
                    "url": page.url,
                    "done": user.is_authenticated and course.pk not in missing,
                }
            )
        return shown


class LessonPage(CourseChildPagePermissionsMixin, CurriculumPageMixin, Page):
    """One lesson: a StreamField body a learner reads at the lab computer."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=20, validators=[MinValueValidator(1)]
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("summary"), FieldPanel("estimated_minutes")]),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def clean(self):
        super().clean()
        # The editor validates blocks through its form; imports and scripts come through here.
        try:
            self.body.stream_block.clean(self.body)
        except ValidationError as error:
            raise ValidationError({"body": error}) from error

    @cached_property
    def shared_parts(self) -> SharedParts:
        """Tree facts and HTML every visitor shares (content.page_cache); the template's
        {% sharedpart %} blocks keep theirs here too."""
        return SharedParts.for_page(self)

    @cached_property
    def tree(self) -> dict:
        if not self.pk:
            return {"ancestors": [], "translations": []}
        return self.shared_parts.get("tree", self._shared_tree)

    def _shared_tree(self) -> dict:
        tree = self._tree_from_navigation()
        # Whether this lesson or an ancestor has a view restriction. Kept with the tree, it
        # saves the query on every view of a public lesson; saving or deleting a restriction
        # sets a new content version, so a new restriction applies on the next request.
        tree["restricted"] = PageViewRestriction.objects.filter(
            page_id__in=[self.pk, *(pk for pk, _alias_of_id in tree["ancestors"])]
        ).exists()
        return tree

    def get_context(self, request, *args, **kwargs):
        # Not the mixin's: breadcrumbs and neighbours are only read when the shared parts of
        # the template are rendered (a cache miss), through ``page.navigation``.
        context = Page.get_context(self, request, *args, **kwargs)
        context["page_translations"] = self.tree["translations"]
        if not getattr(request, "is_preview", False):  # a draft's parts are never stored
            context["shared_parts"] = self.shared_parts if self.pk else None
        context["progress"] = self._record_visit(request)
        return context

    def _record_visit(self, request):
        """A signed-in learner's progress row for this lesson (opening it records the start)."""
        ancestors = self.tree["ancestors"]
        if not ancestors or not request.user.is_authenticated:
            return None
        if getattr(request, "is_preview", False):
            return None
        from courses.services import lesson_open  # services import these models

        return lesson_open(learner=request.user, lesson=self, course_id=ancestors[-1][0])
