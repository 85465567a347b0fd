"""Moodle XML, read through defusedxml (no entities, no DTDs, no external references) and
written the way Moodle's own export writes it.

Types: ``multichoice`` (``single`` true: single choice; false: multiple, right minus wrong),
``multichoiceset`` (the all-or-nothing plugin: multiple, all or nothing), ``truefalse``,
``shortanswer``, ``numerical``, ``essay`` (inline text: essay; ``responseformat`` noinline or
required attachments: a file question, ``filetypeslist`` its types), ``category``. A rubric is
written twice: for Moodle's graders as ``graderinfo`` HTML, and as a ``<rubric>`` element Moodle
ignores and Hunar reads back; an essay from Moodle with ``graderinfo`` and no rubric gets one
criterion holding that text. Urdu rides in Moodle multilang spans.
"""

import xml.etree.ElementTree as ET
from decimal import Decimal
from xml.sax.saxutils import escape as xml_escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils.translation import gettext as _

from .common import (
    ALL_OR_NOTHING,
    ESSAY,
    FILE,
    MULTIPLE,
    NUMERIC,
    RIGHT_MINUS_WRONG,
    SHORT_TEXT,
    SINGLE,
    TRUE_FALSE,
    ChoiceData,
    CriterionData,
    FormatError,
    Parsed,
    Problem,
    QuestionData,
    decimal_or_none,
    embedded_file_problem,
    join_languages,
    number_text,
    plain,
    plain_to_html,
    rich,
    split_answers_by_script,
    split_languages,
    true_choice_first,
    true_false_choices,
)

SUPPORTED = {"multichoice", "multichoiceset", "truefalse", "shortanswer", "numerical", "essay"}


class _Element(ET.Element):
    """An element that knows its line (ElementTree's C elements take no attributes)."""


class _LineTarget:
    def __init__(self):
        self.builder = ET.TreeBuilder(element_factory=_Element)
        self.parser = None

    def start(self, tag, attrs):
        element = self.builder.start(tag, attrs)
        element.sourceline = self.parser.parser.CurrentLineNumber
        return element

    def end(self, tag):
        return self.builder.end(tag)

    def data(self, data):
        self.builder.data(data)

    def close(self):
        return self.builder.close()


def read_xml(data: bytes):
    target = _LineTarget()
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    target.parser = parser
    try:
        parser.feed(data)
        return parser.close()
    except DefusedXmlException:
        raise FormatError(
            _("The file declares a DTD or entities; Hunar reads only plain question XML."),
            parser.parser.CurrentLineNumber,
        ) from None
    except ET.ParseError as error:
        raise FormatError(
            _("Not well-formed XML: %(error)s.") % {"error": error}, error.position[0]
        ) from None


def _text(element, path: str = "text") -> str:
    node = element.find(path) if element is not None else None
    return (node.text or "") if node is not None else ""


def _flag(element, name: str, default=False) -> bool:
    value = _text(element, name).strip().lower()
    return default if not value else value in {"1", "true"}


def parse(data: bytes, limit: int | None = None) -> Parsed:
    """The questions of ``data``; reading stops one question past ``limit``."""
    root = read_xml(data)
    parsed = Parsed()
    if root.tag != "quiz":
        parsed.problems.append(Problem(root.sourceline, _("A Moodle XML file starts with <quiz>.")))
        return parsed
    category = ""
    for element in root.findall("question"):
        if limit is not None and len(parsed.questions) > limit:
            break
        qtype = element.get("type", "")
        if qtype == "category":
            path = _text(element, "category/text").strip().rstrip("/")
            category = path.split("/")[-1].strip() if path else ""
            if category == "top":
                category = ""
            continue
        line = element.sourceline

        def problem(message, line=line):
            parsed.problems.append(Problem(line, message))

        if qtype not in SUPPORTED:
            problem(_("Moodle's %(type)s questions have no Hunar type.") % {"type": qtype})
            continue
        question = _question(element, qtype, category, problem)
        parsed.questions.append(question)
    return parsed


def _rich_pair(element, path, problem):
    raw = _text(element, path)
    has_file = element.find(path.rsplit("/", 1)[0] + "/file") is not None
    embedded = embedded_file_problem("@@PLUGINFILE@@" if has_file else raw)
    if embedded:
        problem(embedded)
    english, urdu = split_languages(raw)
    return rich(english), rich(urdu)


def _plain_pair(raw: str):
    english, urdu = split_languages(raw)
    return plain(english), plain(urdu)


def _question(element, qtype, category, problem) -> QuestionData:
    prompt, prompt_ur = _rich_pair(element, "questiontext/text", problem)
    feedback, feedback_ur = _rich_pair(element, "generalfeedback/text", problem)
    points = decimal_or_none(_text(element, "defaultgrade") or "1")
    if points is None:
        problem(_("defaultgrade must be a number."))
        points = Decimal(1)
    points = Decimal(number_text(points))
    question = QuestionData(
        kind=ESSAY,
        prompt=prompt,
        prompt_ur=prompt_ur,
        line=element.sourceline,
        category=category,
        points=points,
        feedback=feedback,
        feedback_ur=feedback_ur,
    )
    answers = []
    for answer in element.findall("answer"):
        fraction = decimal_or_none(answer.get("fraction", "0"))
        if fraction is None:
            problem(_("An answer's fraction must be a number."), answer.sourceline)
            fraction = Decimal(0)
        if answer.find("file") is not None or answer.find("feedback/file") is not None:
            problem(embedded_file_problem("@@PLUGINFILE@@"), answer.sourceline)
        answers.append((answer, fraction))
    if qtype in ("multichoice", "multichoiceset"):
        single = qtype == "multichoice" and _flag(element, "single", default=True)
        question.kind = SINGLE if single else MULTIPLE
        question.partial_credit = ALL_OR_NOTHING if qtype == "multichoiceset" else RIGHT_MINUS_WRONG
        for answer, fraction in answers:
            text, text_ur = _plain_pair(_text(answer))
            fb, fb_ur = _plain_pair(_text(answer, "feedback/text"))
            question.choices.append(ChoiceData(text, fraction > 0, text_ur, fb, fb_ur))
        if single and sum(1 for _a, f in answers if f > 0) == 1:
            pass
        elif single:
            problem(_("A single-choice question has exactly one answer worth points."))
    elif qtype == "truefalse":
        question.kind = TRUE_FALSE
        by_text = {_text(a).strip().lower(): (a, f) for a, f in answers}
        if set(by_text) != {"true", "false"}:
            problem(_("A true / false question has the answers true and false."))
            return question
        true_answer, true_fraction = by_text["true"]
        false_answer, _f = by_text["false"]
        fb_true = _plain_pair(_text(true_answer, "feedback/text"))
        fb_false = _plain_pair(_text(false_answer, "feedback/text"))
        question.choices = true_false_choices(
            true_fraction > 0, fb_true[0], fb_false[0], fb_true[1], fb_false[1]
        )
    elif qtype == "shortanswer":
        question.kind = SHORT_TEXT
        question.case_sensitive = _flag(element, "usecase")
        right = []
        for answer, fraction in answers:
            if fraction == 100:
                right.append(plain(_text(answer)))
            elif fraction > 0:
                problem(_("Hunar gives no partial credit for a short answer."), answer.sourceline)
        question.accepted_answers, question.accepted_answers_ur = split_answers_by_script(right)
    elif qtype == "numerical":
        question.kind = NUMERIC
        for answer, fraction in answers:
            if fraction == 100 and question.numeric_answer is None:
                value = decimal_or_none(_text(answer))
                tolerance = decimal_or_none(_text(answer, "tolerance") or "0")
                if value is None or tolerance is None:
                    problem(_("A numeric answer and its tolerance are numbers."), answer.sourceline)
                    continue
                question.numeric_answer, question.numeric_tolerance = value, abs(tolerance)
            elif 0 < fraction < 100:
                problem(_("Hunar gives no partial credit for a near number."), answer.sourceline)
        if question.numeric_answer is None:
            problem(_("A numeric question needs an answer worth 100%."))
    else:
        _essay(element, question, problem)
    return question


def _essay(element, question: QuestionData, problem) -> None:
    response_format = _text(element, "responseformat").strip() or "editor"
    attachments_required = decimal_or_none(_text(element, "attachmentsrequired") or "0") or 0
    if response_format == "noinline" or attachments_required > 0:
        question.kind = FILE
        types = _text(element, "filetypeslist").replace(";", ",").replace(" ", ",")
        question.allowed_file_types = ",".join(
            t.strip().lstrip(".").lower() for t in types.split(",") if t.strip()
        )
    rubric = element.find("rubric")
    if rubric is not None:
        for criterion in rubric.findall("criterion"):
            points = decimal_or_none(criterion.get("points", ""))
            if points is None:
                problem(_("A rubric criterion's points must be a number."), criterion.sourceline)
                continue
            title, title_ur = _plain_pair(_text(criterion, "title"))
            desc, desc_ur = _plain_pair(_text(criterion, "description"))
            question.rubric.append(CriterionData(title, points, title_ur, desc, desc_ur))
        return
    info = plain(_text(element, "graderinfo/text"))
    if info:
        question.rubric.append(
            CriterionData(str(_("Grader information")), question.points, description=info)
        )


# --- writing ----------------------------------------------------------------------------------


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _html_text(tag: str, english: str, urdu: str, indent="    ") -> str:
    text = _cdata(join_languages(english, urdu))
    return f'{indent}<{tag} format="html">\n{indent}  <text>{text}</text>\n{indent}</{tag}>'


def _plain_as_html(english: str, urdu: str) -> str:
    return join_languages(plain_to_html(english), plain_to_html(urdu))


def _answer(fraction, text: str, feedback: str = "", extra: str = "") -> str:
    lines = [
        f'    <answer fraction="{fraction}" format="html">',
        f"      <text>{_cdata(text)}</text>",
        f'      <feedback format="html">\n        <text>{_cdata(feedback)}</text>\n'
        "      </feedback>",
    ]
    if extra:
        lines.append(extra)
    lines.append("    </answer>")
    return "\n".join(lines)


def _fraction(value: Decimal) -> str:
    return number_text(value.quantize(Decimal("0.0000001")))


def _choices(question: QuestionData) -> list[str]:
    right = sum(1 for c in question.choices if c.is_correct)
    wrong = len(question.choices) - right
    out = []
    for c in question.choices:
        if question.kind == SINGLE or question.partial_credit == ALL_OR_NOTHING:
            fraction = "100" if c.is_correct else "0"
        else:
            share = Decimal(100) / (right if c.is_correct else -wrong)
            fraction = _fraction(share)
        feedback = _plain_as_html(c.feedback, c.feedback_ur)
        out.append(_answer(fraction, _plain_as_html(c.text, c.text_ur), feedback))
    return out


def _type(question: QuestionData) -> str:
    if question.kind in (SINGLE, MULTIPLE):
        if question.kind == MULTIPLE and question.partial_credit == ALL_OR_NOTHING:
            return "multichoiceset"
        return "multichoice"
    return {
        TRUE_FALSE: "truefalse",
        SHORT_TEXT: "shortanswer",
        NUMERIC: "numerical",
        ESSAY: "essay",
        FILE: "essay",
    }[question.kind]


def _body(question: QuestionData) -> list[str]:
    kind = question.kind
    if kind in (SINGLE, MULTIPLE):
        return [
            f"    <single>{'true' if kind == SINGLE else 'false'}</single>",
            "    <shuffleanswers>true</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
            *_choices(question),
        ]
    if kind == TRUE_FALSE:
        first_is_true = true_choice_first(question.choices)
        true_c, false_c = question.choices if first_is_true else question.choices[::-1]
        return [
            _answer(
                "100" if c.is_correct else "0", label, _plain_as_html(c.feedback, c.feedback_ur)
            )
            for c, label in ((true_c, "true"), (false_c, "false"))
        ]
    if kind == SHORT_TEXT:
        answers = [
            *question.accepted_answers.splitlines(),
            *question.accepted_answers_ur.splitlines(),
        ]
        return [f"    <usecase>{int(question.case_sensitive)}</usecase>"] + [
            _answer("100", plain_to_html(a)) for a in answers if a.strip()
        ]
    if kind == NUMERIC:
        tolerance = f"      <tolerance>{number_text(question.numeric_tolerance)}</tolerance>"
        return [_answer("100", number_text(question.numeric_answer), extra=tolerance)]
    is_file = kind == FILE
    types = ",".join("." + t for t in question.allowed_file_types.split(",") if t.strip())
    info = "".join(
        f"<li><strong>{xml_escape(r.title)}</strong> ({number_text(r.max_points)}): "
        f"{xml_escape(r.description)}</li>"
        for r in question.rubric
    )
    lines = [
        f"    <responseformat>{'noinline' if is_file else 'editor'}</responseformat>",
        f"    <responserequired>{0 if is_file else 1}</responserequired>",
        "    <responsefieldlines>15</responsefieldlines>",
        f"    <attachments>{1 if is_file else 0}</attachments>",
        f"    <attachmentsrequired>{1 if is_file else 0}</attachmentsrequired>",
        f"    <filetypeslist>{xml_escape(types)}</filetypeslist>",
        _html_text("graderinfo", f"<ul>{info}</ul>" if info else "", ""),
        '    <responsetemplate format="html">\n      <text></text>\n    </responsetemplate>',
    ]
    if question.rubric:
        lines.append("    <rubric>")
        for r in question.rubric:
            lines += [
                f'      <criterion points="{number_text(r.max_points)}">',
                f"        <title>{_cdata(_plain_as_html(r.title, r.title_ur))}</title>",
                "        <description>"
                f"{_cdata(_plain_as_html(r.description, r.description_ur))}</description>",
                "      </criterion>",
            ]
        lines.append("    </rubric>")
    return lines


def write(questions: list[QuestionData]) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category = None
    for number, question in enumerate(questions, start=1):
        if question.category != category:
            category = question.category
            path = "$course$/top" + (f"/{category}" if category else "")
            out += [
                '  <question type="category">',
                f"    <category><text>{xml_escape(path)}</text></category>",
                "  </question>",
            ]
        name = " ".join(plain(question.prompt).split())[:40] or f"Q{number}"
        out += [
            f'  <question type="{_type(question)}">',
            f"    <name><text>{xml_escape(name)}</text></name>",
            _html_text("questiontext", question.prompt, question.prompt_ur),
            _html_text("generalfeedback", question.feedback, question.feedback_ur),
            f"    <defaultgrade>{number_text(question.points)}</defaultgrade>",
            "    <penalty>0</penalty>",
            "    <hidden>0</hidden>",
            *_body(question),
            "  </question>",
        ]
    out.append("</quiz>")
    return "\n".join(out) + "\n"
