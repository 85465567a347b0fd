import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.search.backends import get_search_backend

from courses.models import LessonPage
from lms import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_image(title="Parts of a computer", size=(1600, 900)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (11, 110, 79)).save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


def image_block(image, alt="A monitor, a keyboard and a mouse on a desk"):
    return ("image", {"image": image, "alt_text": alt, "caption": "The parts you touch."})


def test_images_render_as_lazy_width_limited_webp_with_fallback(client, make_course):
    _track, course, _lessons = make_course(lessons=1)
    lesson = course.add_child(
        instance=LessonPage(title="Parts", slug="parts", body=[image_block(make_image())])
    )
    lesson.save_revision().publish()
    html = client.get(lesson.url).text
    assert "<picture>" in html
    assert 'type="image/webp"' in html
    assert 'loading="lazy"' in html
    assert 'alt="A monitor, a keyboard and a mouse on a desk"' in html
    assert "<figcaption>The parts you touch.</figcaption>" in html
    # The 1600 px original is never sent; renditions are at most 800 px wide.
    assert 'width="800"' in html and "1600" not in html


@pytest.mark.parametrize("images", [1, 20])
def test_query_budget_holds_with_many_images(
    client, make_course, django_assert_max_num_queries, images
):
    _track, course, _lessons = make_course(lessons=2)
    picture_set = [make_image(f"Picture {n}") for n in range(images)]
    lesson = course.add_child(
        instance=LessonPage(
            title="Gallery", slug="gallery", body=[image_block(i) for i in picture_set]
        )
    )
    lesson.save_revision().publish()
    client.force_login(UserFactory(username="learner", role=roles.LEARNER))
    client.get(lesson.url)  # the first view creates the renditions
    with django_assert_max_num_queries(12):
        assert client.get(lesson.url).status_code == 200


def test_image_alt_text_is_required():
    from content.blocks import ImageBlock

    block = ImageBlock()
    with pytest.raises(Exception) as excinfo:
        block.clean(block.to_python({"image": make_image().pk, "alt_text": "", "caption": ""}))
    assert "alt_text" in str(excinfo.value.block_errors)


@pytest.mark.postgres
def test_search_uses_postgresql_full_text_on_postgresql(client, make_course):
    backend = get_search_backend()
    assert "postgres" in type(backend).__module__
    make_course(lessons=2)
    # Full-text search stems words: "folders" finds lessons that say "folder".
    response = client.get("/search/", {"q": "folders"})
    assert "Lesson 1" in response.text


def test_authors_may_start_translations():
    from courses.authoring import curriculum_review_setup

    curriculum_review_setup()
    for role in (roles.TRAINER, roles.CENTER_MANAGER, roles.PROGRAMME_ADMIN):
        user = UserFactory(username=f"user-{role}", role=role)
        assert user.has_perm("simple_translation.submit_translation"), role
    learner = UserFactory(username="just-a-learner", role=roles.LEARNER)
    assert not learner.has_perm("simple_translation.submit_translation")
