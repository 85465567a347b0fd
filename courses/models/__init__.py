from .learning import Enrollment, LessonProgress
from .pages import CoursePage, LessonPage, TrackPage
from .roster import RosterImport

__all__ = ["CoursePage", "Enrollment", "LessonPage", "LessonProgress", "RosterImport", "TrackPage"]
