"""Item analysis: how each question of an assessment fared, overall and per center.

Only graded attempts count, and only those the asking user may grade
(``selectors.gradable_attempts``: a manager's centers, a trainer's cohorts, everything for a
programme admin). Questions are told apart by the ``question_id`` their attempts' snapshots
carry, so a question drawn at random, or asked at different positions, is counted as one.
The counting happens in the database, in one grouped query over the responses.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import NotSupportedError
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DecimalField,
    F,
    Func,
    Max,
    Min,
    Q,
    Sum,
)
from django.db.models.functions import Cast
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from lms.csv_safe import neutralize
from lms.models import Center

from .localize import pick, reads_urdu
from .models import AssessmentPage, Attempt, Question, Response
from .selectors import gradable_attempts

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


class SnapshotQuestionValue(Func):
    """``key`` of the snapshot question at the response's own ``position``.

    The array index differs per row, so Django's JSON key lookups (fixed paths) cannot express
    it; this is the one expression per database that can.
    """

    output_field = CharField()

    def __init__(self, key: str):
        if not re.fullmatch(r"[a-z_]+", key):
            raise ValueError(f"not a snapshot key: {key!r}")
        self.key = key
        super().__init__(F("attempt__snapshot"), F("position"))

    def _compiled(self, compiler, connection):
        snapshot, snapshot_params = compiler.compile(self.source_expressions[0])
        position, position_params = compiler.compile(self.source_expressions[1])
        return snapshot, position, [*snapshot_params, *position_params]

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"item analysis has no SQL for {connection.vendor}")

    def as_sqlite(self, compiler, connection, **extra_context):
        snapshot, position, params = self._compiled(compiler, connection)
        path = f"'$.questions[' || {position} || '].{self.key}'"
        return f"json_extract({snapshot}, {path})", params

    def as_postgresql(self, compiler, connection, **extra_context):
        snapshot, position, params = self._compiled(compiler, connection)
        return f"(({snapshot} -> 'questions' -> ({position})::integer) ->> '{self.key}')", params


@dataclass
class ItemStats:
    """Counts for one question (overall, or at one center)."""

    answered: int = 0
    fully_correct: int = 0
    total_score: Decimal = Decimal(0)
    points: Decimal = Decimal(0)

    def add(self, other: "ItemStats") -> None:
        self.answered += other.answered
        self.fully_correct += other.fully_correct
        self.total_score += other.total_score
        self.points = max(self.points, other.points)

    @property
    def percent_correct(self) -> Decimal | None:
        if not self.answered:
            return None
        return (Decimal(100) * self.fully_correct / self.answered).quantize(TENTH, ROUND_HALF_UP)

    @property
    def average_score(self) -> Decimal | None:
        if not self.answered:
            return None
        return (self.total_score / self.answered).quantize(CENT, ROUND_HALF_UP)


@dataclass
class ItemRow:
    question_id: int
    label: str
    kind: str
    question: Question | None
    label_fallback: bool = False  # English shown to an Urdu reader (no Urdu prompt)
    overall: ItemStats = field(default_factory=ItemStats)
    by_center: list[tuple[Center, ItemStats]] = field(default_factory=list)


@dataclass
class ItemAnalysis:
    assessment: AssessmentPage
    attempts: int
    centers: list[Center]
    rows: list[ItemRow]


def analysed_attempts(*, user, assessment: AssessmentPage):
    # Attempts are kept on the canonical assessment (content.canonical), whichever translation
    # was taken: the analysis of any translation finds them by translation_key.
    return gradable_attempts(user).filter(
        assessment__translation_key=assessment.translation_key, status=Attempt.Status.GRADED
    )


def item_analysis(*, user, assessment: AssessmentPage) -> ItemAnalysis:
    """Per question: attempts, % fully correct and average score, overall and per center.
    Four queries whatever the number of attempts."""
    attempts = analysed_attempts(user=user, assessment=assessment)
    points = Cast(SnapshotQuestionValue("points"), DecimalField(max_digits=8, decimal_places=2))
    grouped = (
        Response.objects.filter(attempt__in=attempts.values("pk"))
        .annotate(
            item_id=Cast(SnapshotQuestionValue("question_id"), BigIntegerField()),
            item_points=points,
            center_id=F("attempt__enrollment__center_id"),
        )
        .values("item_id", "center_id")
        .annotate(
            answered=Count("pk"),
            fully_correct=Count("pk", filter=Q(score__gte=F("item_points"))),
            total_score=Sum("score"),
            max_points=Max("item_points"),
            kind=Max(SnapshotQuestionValue("kind")),
            first_position=Min("position"),
        )
        .order_by()
    )
    groups = list(grouped)
    centers = {c.pk: c for c in Center.objects.filter(pk__in={g["center_id"] for g in groups})}
    questions = Question.objects.filter(pk__in={g["item_id"] for g in groups}).only(
        "pk", "prompt", "prompt_ur", "kind", "bank_id"
    )
    questions = {q.pk: q for q in questions}
    rows: dict[int, ItemRow] = {}
    positions: dict[int, int] = {}
    for group in groups:
        item_id = group["item_id"]
        question = questions.get(item_id)
        if item_id not in rows:
            fallback = False
            if question is not None:
                prompt, fallback = pick(
                    {"prompt": question.prompt, "prompt_ur": question.prompt_ur},
                    "prompt",
                    urdu=reads_urdu(),
                )
                label = Truncator(strip_tags(prompt)).chars(120)
            else:
                label = _("Question %(id)s (no longer in its bank)") % {"id": item_id}
            rows[item_id] = ItemRow(item_id, label, group["kind"] or "", question, fallback)
        stats = ItemStats(
            answered=group["answered"],
            fully_correct=group["fully_correct"],
            total_score=group["total_score"] or Decimal(0),
            points=Decimal(group["max_points"] or 0).quantize(CENT),
        )
        rows[item_id].overall.add(stats)
        rows[item_id].by_center.append((centers[group["center_id"]], stats))
        positions[item_id] = min(
            positions.get(item_id, group["first_position"]), group["first_position"]
        )
    for row in rows.values():
        row.by_center.sort(key=lambda pair: pair[0].name)
    ordered = sorted(rows.values(), key=lambda row: (positions[row.question_id], row.question_id))
    return ItemAnalysis(
        assessment=assessment,
        attempts=attempts.count(),
        centers=sorted(centers.values(), key=lambda c: c.name),
        rows=ordered,
    )


def csv_safe(value) -> str:
    """A cell a spreadsheet shows as text (``lms.csv_safe``: no formula ever runs)."""
    return neutralize("" if value is None else str(value))


def item_analysis_csv(analysis: ItemAnalysis) -> str:
    """The item analysis table as CSV: a row per question for all centers, then one per center."""
    kinds = dict(Question.Kind.choices)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Question id"),
            _("Question"),
            _("Type"),
            _("Center"),
            _("Attempts"),
            _("Fully correct (%)"),
            _("Average score"),
            _("Points"),
        ]
    )
    for row in analysis.rows:
        for center_name, stats in [(_("All centers"), row.overall)] + [
            (center.name, stats) for center, stats in row.by_center
        ]:
            writer.writerow(
                csv_safe(cell)
                for cell in (
                    row.question_id,
                    row.label,
                    kinds.get(row.kind, row.kind),
                    center_name,
                    stats.answered,
                    stats.percent_correct,
                    stats.average_score,
                    stats.points,
                )
            )
    return buffer.getvalue()
