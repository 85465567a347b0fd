from .attempts import Attempt, GradeChange, Response
from .pages import AssessmentDraw, AssessmentPage, AssessmentQuestion
from .questions import Choice, Question, QuestionBank, RubricCriterion

__all__ = [
    "AssessmentDraw",
    "AssessmentPage",
    "AssessmentQuestion",
    "Attempt",
    "Choice",
    "GradeChange",
    "Question",
    "QuestionBank",
    "Response",
    "RubricCriterion",
]
