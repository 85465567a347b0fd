"""The order of a course's children: lessons first, then assessments; translations follow the
source. Wagtail's page tree keeps the order (see docs/decisions/0027-course-content-order.md).

Reordering uses Wagtail's own tools (the explorer's "Sort menu order" and its drag handles);
this module only widens who may use them on a course and keeps the other languages in step.
"""

from wagtail.models import Locale, Page, PagePermissionTester


def _is_course(page) -> bool:
    from courses.models import CoursePage

    return page is not None and issubclass(page.specific_class or Page, CoursePage)


def course_source(*, course):
    """The course in the default language (the one trainers order), or ``course`` itself when
    it has no translation there."""
    default = Locale.get_default()
    if course.locale_id == default.pk:
        return course
    source = Page.objects.filter(translation_key=course.translation_key, locale=default).first()
    return source or course


def course_is_translation(*, course) -> bool:
    return course_source(course=course).pk != course.pk


class CoursePermissionTester(PagePermissionTester):
    """Whoever may edit a course may reorder its lessons and assessments; a translation's order
    is not set by hand (it follows the source)."""

    def can_reorder_children(self):
        if not self.user.is_active:
            return False
        if course_is_translation(course=self.page):
            return False
        return super().can_reorder_children() or self.can_edit()


class CourseChildPermissionTester(PagePermissionTester):
    """A lesson or assessment may be moved within its own course by whoever may reorder it
    (Wagtail's drag handles move the page, which otherwise asks for delete and publish rights)."""

    def can_move_to(self, destination):
        if self.user.is_active and self.page.is_child_of(destination) and _is_course(destination):
            return destination.permissions_for_user(self.user).can_reorder_children()
        return super().can_move_to(destination)


class CourseChildPagePermissionsMixin:
    """For the page types that live under a course (LessonPage, AssessmentPage)."""

    def permissions_for_user(self, user):
        return CourseChildPermissionTester(user, self)


def _move_in_order(parent, wanted: list) -> int:
    """Move ``parent``'s children into the order of ``wanted`` (pages); the number of moves."""
    moves = 0
    previous = None
    for page in wanted:
        current = list(parent.get_children().values_list("pk", flat=True))
        index = current.index(page.pk)
        expected = 0 if previous is None else current.index(previous.pk) + 1
        if index != expected:
            page = Page.objects.get(pk=page.pk)  # its tree path changed with the earlier moves
            if previous is None:
                page.move(parent, pos="first-child")
            else:
                page.move(Page.objects.get(pk=previous.pk), pos="right")
            moves += 1
        previous = page
    return moves


def course_child_place(*, page) -> bool:
    """Put a lesson just created in a course after the course's last lesson, so it comes before
    the assessments; other pages stay where Wagtail put them (last). True when it moved."""
    from courses.models import LessonPage

    if not isinstance(page.specific, LessonPage):
        return False
    parent = page.get_parent()
    if not _is_course(parent):
        return False
    siblings = parent.get_children().exclude(pk=page.pk)
    last_lesson = siblings.type(LessonPage).order_by("path").last()
    if last_lesson is not None:
        if not siblings.filter(path__gt=last_lesson.path, path__lt=page.path).exists():
            return False
        page.move(last_lesson, pos="right")
        page.refresh_from_db(fields=["path", "depth", "numchild"])
        return True
    first = siblings.order_by("path").first()
    if first is None or first.path > page.path:
        return False
    page.move(first, pos="left")
    page.refresh_from_db(fields=["path", "depth", "numchild"])
    return True


def course_order_sync(*, course) -> int:
    """Order every translation's children as the source course orders theirs (matched by
    translation key); children with no counterpart in the source keep their order, last.
    Returns the number of moves made (0 when every translation is already in order)."""
    source = course_source(course=course)
    order = {
        key: index
        for index, key in enumerate(
            source.get_children().order_by("path").values_list("translation_key", flat=True)
        )
    }
    moves = 0
    for translation in Page.objects.filter(translation_key=source.translation_key).exclude(
        pk=source.pk
    ):
        children = list(translation.get_children().order_by("path"))
        wanted = sorted(
            children, key=lambda child: (order.get(child.translation_key, len(order)), child.path)
        )
        if [c.pk for c in wanted] != [c.pk for c in children]:
            moves += _move_in_order(translation, wanted)
    return moves


def on_page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs) -> None:
    """Receiver of Wagtail's ``post_page_move``: a reordered course's translations follow it."""
    parents = {page.pk: page for page in (parent_page_before, parent_page_after)}
    for parent in parents.values():
        if _is_course(parent) and not course_is_translation(course=parent):
            course_order_sync(course=parent)


def on_translation_copied(sender, source_obj, target_obj, **kwargs) -> None:
    """Receiver of Wagtail's ``copy_for_translation_done``: a lesson or assessment translated
    into a course's translation takes its place in the source's order."""
    if not isinstance(target_obj, Page):
        return
    parent = target_obj.get_parent()
    if _is_course(parent) and course_order_sync(course=parent):
        # The caller holds this object; let its next save() write the path the sync gave it.
        target_obj.refresh_from_db(fields=["path", "depth", "numchild"])
