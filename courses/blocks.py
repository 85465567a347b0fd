from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from content.blocks import RICH_TEXT_FEATURES, BaseStreamBlock


class ExerciseBlock(blocks.StructBlock):
    """A step-by-step practical task the learner does at the lab computer."""

    title = blocks.CharBlock(max_length=200)
    goal = blocks.CharBlock(required=False, max_length=300, help_text=_("What the learner makes."))
    steps = blocks.ListBlock(
        blocks.RichTextBlock(features=RICH_TEXT_FEATURES), min_num=1, label=_("steps")
    )

    class Meta:
        icon = "list-ol"
        template = "blocks/exercise_block.html"
        preview_value = {
            "title": "Save a document",
            "goal": "A file on the desktop",
            "steps": ["<p>Open the editor.</p>", "<p>Press Ctrl+S.</p>"],
        }


class LessonStreamBlock(BaseStreamBlock):
    exercise = ExerciseBlock()
