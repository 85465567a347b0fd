"""Lesson blocks refuse what learners could not use and never let executable HTML through."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from content.blocks import SanitizedRawHTMLBlock, VideoBlock
from content.video import video_embed_url


@pytest.mark.parametrize(
    "url, embed",
    [
        ("https://www.youtube.com/watch?v=aEmF3Iylvr4", "https://www.youtube-nocookie.com/embed/aEmF3Iylvr4"),
        ("https://youtu.be/aEmF3Iylvr4?t=10", "https://www.youtube-nocookie.com/embed/aEmF3Iylvr4"),
        ("https://m.youtube.com/shorts/aEmF3Iylvr4", "https://www.youtube-nocookie.com/embed/aEmF3Iylvr4"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://evil.example/watch?v=aEmF3Iylvr4", None),
        ("javascript:alert(1)//youtube.com/watch?v=aEmF3Iylvr4", None),
        ("https://www.youtube.com/watch?v=<script>", None),
    ],
)  # fmt: skip
def test_video_links_become_allow_listed_embeds(url, embed):
    assert video_embed_url(url) == embed


def _video(**overrides):
    block = VideoBlock()
    value = block.to_python(
        {"title": "Phishing", "embed_url": "", "video_file": None, "captions": None,
         "transcript": ""}
    )  # fmt: skip
    value.update(overrides)
    return block, value


def test_video_needs_captions_or_transcript():
    block, value = _video(embed_url="https://youtu.be/aEmF3Iylvr4")
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(value)
    assert "transcript" in excinfo.value.block_errors


def test_video_with_transcript_is_valid_and_never_autoplays():
    block, value = _video(
        embed_url="https://youtu.be/aEmF3Iylvr4", transcript=RichText("<p>Hello.</p>")
    )
    cleaned = block.clean(value)
    html = block.render(cleaned)
    assert "https://www.youtube-nocookie.com/embed/aEmF3Iylvr4" in html
    assert "autoplay" not in html.replace('allow="encrypted-media; picture-in-picture"', "")
    assert "<details" in html  # the player loads only when opened


def test_video_refuses_other_hosts_and_both_sources():
    block, value = _video(embed_url="https://evil.example/v.mp4", transcript=RichText("<p>x</p>"))
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(value)
    assert "embed_url" in excinfo.value.block_errors
    block, value = _video(transcript=RichText("<p>x</p>"))
    with pytest.raises(StructBlockValidationError):
        block.clean(value)  # neither a link nor a file


@pytest.mark.django_db
def test_uploaded_video_file_must_be_mp4_or_webm_and_captions_vtt():
    pdf = get_document_model().objects.create(
        title="Notes", file=ContentFile(b"%PDF-1.4", name="notes.pdf")
    )
    block, value = _video(video_file=pdf, captions=pdf)
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(value)
    assert {"video_file", "captions"} <= set(excinfo.value.block_errors)


def test_raw_html_is_cleaned_on_save():
    block = SanitizedRawHTMLBlock()
    cleaned = block.clean(
        '<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:x">a</a></p>'
    )
    assert "onclick" not in cleaned and "script" not in cleaned and "javascript" not in cleaned
    assert "Hi" in cleaned


def test_raw_html_is_cleaned_again_on_render():
    # A value that bypassed clean(), e.g. written straight to the database by an old import.
    html = SanitizedRawHTMLBlock().render('<img src=x onerror="alert(1)"><p>Kept</p>')
    assert "onerror" not in html and "<p>Kept</p>" in html


def test_raw_html_that_is_all_script_is_refused():
    with pytest.raises(ValidationError):
        SanitizedRawHTMLBlock().clean("<script>alert(1)</script>")


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "jav\tascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_wagtail_rich_text_editor_drops_script_links(href):
    """What a trainer types as a link in the rich-text editor is checked by Wagtail on save."""
    converter = ContentstateConverter(features=["link"])
    contentstate = {
        "blocks": [
            {"key": "a1", "type": "unstyled", "depth": 0, "text": "click",
             "inlineStyleRanges": [], "entityRanges": [{"offset": 0, "length": 5, "key": 0}]}
        ],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": href}}},
    }  # fmt: skip
    stored = converter.to_database_format(json.dumps(contentstate))
    assert "click" in stored
    assert "script:" not in stored.lower().replace("\t", "")
    assert "data:" not in stored.lower()


def test_wagtail_rich_text_editor_keeps_ordinary_links():
    converter = ContentstateConverter(features=["link"])
    contentstate = {
        "blocks": [
            {"key": "a1", "type": "unstyled", "depth": 0, "text": "guide",
             "inlineStyleRanges": [], "entityRanges": [{"offset": 0, "length": 5, "key": 0}]}
        ],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE",
                            "data": {"url": "https://www.fiverr.com/start_selling"}}},
    }  # fmt: skip
    stored = converter.to_database_format(json.dumps(contentstate))
    assert 'href="https://www.fiverr.com/start_selling"' in stored
