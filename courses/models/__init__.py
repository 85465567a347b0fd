from .learning import Enrollment, LessonProgress
from .pages import CoursePage, LessonPage, TrackPage
from .roster import RosterImport
from .staff import Announcement, AnnouncementRead, CohortDueDate

__all__ = [
    "Announcement",
    "AnnouncementRead",
    "CohortDueDate",
    "CoursePage",
    "Enrollment",
    "LessonPage",
    "LessonProgress",
    "RosterImport",
    "TrackPage",
]
