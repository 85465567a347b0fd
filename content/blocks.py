"""StreamField blocks shared by every page type; apps extend ``BaseStreamBlock`` with their own.

Blocks render light, server-side HTML: images as width-limited WebP/JPEG renditions loaded lazily,
video players only when the learner opens them, no JavaScript.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from .sanitize import clean_html
from .video import video_embed_url

# Rich text a trainer may use inside lessons; no embeds or raw HTML (those have their own blocks).
RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "code"]


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """Fetches every image of a stream and its renditions in two queries, however many blocks."""

    def bulk_to_python(self, values):
        values = list(values)
        objects = self.model_class.objects.prefetch_renditions().in_bulk(
            [v for v in values if v is not None]
        )
        return [objects.get(value) for value in values]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("section")), ("h3", _("sub-section"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        preview_value = {"text": "Saving your work", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"
        preview_value = "<p>A file is saved on the computer's disk so you can open it again.</p>"


class ImageBlock(blocks.StructBlock):
    image = PrefetchingImageChooserBlock()
    alt_text = blocks.CharBlock(
        label=_("alt text"),
        max_length=250,
        help_text=_("Describe the image for learners who cannot see it."),
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"


class VideoBlock(blocks.StructBlock):
    """A video from YouTube/Vimeo or an uploaded file, always with captions or a transcript."""

    title = blocks.CharBlock(max_length=200)
    embed_url = blocks.URLBlock(
        required=False, label=_("YouTube or Vimeo link"), help_text=_("Leave empty for a file.")
    )
    video_file = DocumentChooserBlock(
        required=False, label=_("video file"), help_text=_("An MP4 or WebM uploaded as a document.")
    )
    captions = DocumentChooserBlock(
        required=False, label=_("captions (WebVTT)"), help_text=_("For an uploaded video file.")
    )
    transcript = blocks.RichTextBlock(required=False, features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if bool(value["embed_url"]) == bool(value["video_file"]):
            errors["embed_url"] = ErrorList([_("Give either a video link or a video file.")])
        elif value["embed_url"] and not video_embed_url(value["embed_url"]):
            errors["embed_url"] = ErrorList([_("Only YouTube and Vimeo video links can be used.")])
        if value["video_file"] and value["video_file"].file_extension not in ("mp4", "webm"):
            errors["video_file"] = ErrorList([_("The video file must be MP4 or WebM.")])
        if value["captions"] and value["captions"].file_extension != "vtt":
            errors["captions"] = ErrorList([_("Captions must be a WebVTT (.vtt) file.")])
        if not value["captions"] and not strip_tags(value["transcript"].source).strip():
            errors["transcript"] = ErrorList(
                [_("Add captions or a transcript so every learner can follow the video.")]
            )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_src"] = video_embed_url(value["embed_url"]) if value["embed_url"] else None
        return context


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    label = blocks.CharBlock(required=False, max_length=200, help_text=_("Defaults to its title."))

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(
        choices=[
            ("html", "HTML"),
            ("css", "CSS"),
            ("javascript", "JavaScript"),
            ("python", "Python"),
            ("sql", "SQL"),
            ("text", _("plain text")),
        ],
        default="html",
    )
    code = blocks.TextBlock()

    class Meta:
        icon = "code"
        template = "blocks/code_block.html"
        preview_value = {"language": "html", "code": "<h1>My first page</h1>"}


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", _("tip")), ("warning", _("warning")), ("note", _("note"))], default="tip"
    )
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        preview_value = {"kind": "tip", "text": "<p>Press Ctrl+S often.</p>"}


class SanitizedRawHTMLBlock(blocks.RawHTMLBlock):
    """HTML imported from elsewhere: cleaned when saved and cleaned again when shown."""

    def clean(self, value):
        value = super().clean(value)
        cleaned = clean_html(str(value))
        if not cleaned.strip():
            raise ValidationError(_("Nothing is left of this HTML once unsafe parts are removed."))
        return mark_safe(cleaned)  # noqa: S308 -- clean_html output is the allow-listed subset

    def render_basic(self, value, context=None):
        # Cleaned again on render: rows saved before a stricter allow-list, or written by an
        # import that skipped clean(), are still made safe.
        return mark_safe(clean_html(str(value)))  # noqa: S308

    class Meta:
        icon = "code"
        label = _("imported HTML")


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every page body offers; ``LessonStreamBlock`` in courses adds its own."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    code = CodeBlock()
    callout = CalloutBlock()
    raw_html = SanitizedRawHTMLBlock()
