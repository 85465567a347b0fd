from .attempts import Attempt, GradeChange, Response
from .pages import AssessmentDraw, AssessmentPage, AssessmentQuestion
from .questions import Choice, Question, QuestionBank, RubricCriterion
from .review import QuestionReviewTask

__all__ = [
    "AssessmentDraw",
    "AssessmentPage",
    "AssessmentQuestion",
    "Attempt",
    "Choice",
    "GradeChange",
    "Question",
    "QuestionBank",
    "QuestionReviewTask",
    "Response",
    "RubricCriterion",
]
