"""Every choice an admin form offers stays inside the editor's centers.

A meta-test in the manner of ``tests/courses/test_permission_matrix.py``: it walks every Wagtail
admin viewset of our models (their create and edit forms and their list filters), every page
type's edit form and every plain form of ours with a model choice, as a manager and as a trainer
of one center, and fails when a choice field offers an object of another center or an account
outside the editor's reach. A choice that may rightly come from anywhere in the network must be
listed in ``NETWORK_WIDE`` with the reason; a model the test cannot place fails until it is.
Since a form validates a posted value against the same queryset it offers, a scoped choice is
also a forged POST refused.
"""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import ForeignKey, Q
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page
from wagtail.snippets.views.snippets import SnippetViewSet

from assessments.models import Question, QuestionBank
from certificates.models import CertificateTemplate
from courses.models import Announcement, CohortDueDate
from lms.models import Center, CenterStaff, CohortMembership
from tests.factories import (
    CenterFactory,
    CohortFactory,
    LearnerProfileFactory,
    UserFactory,
    manager_of,
    trainer_of,
)

pytestmark = pytest.mark.django_db

OUR_APPS = ("lms", "content", "courses", "assessments", "certificates", "reports")
OUR_MODULES = tuple(f"{app}." for app in OUR_APPS)
ACTORS = ("manager", "trainer")

# Models a form may offer from the whole network, and why that is right.
NETWORK_WIDE = {
    "wagtailcore.Page": "the curriculum (tracks, courses, lessons) is one for the whole network",
    "courses.TrackPage": "the curriculum is one for the whole network",
    "courses.CoursePage": "the curriculum is one for the whole network",
    "courses.LessonPage": "the curriculum is one for the whole network",
    "assessments.AssessmentPage": "the curriculum is one for the whole network",
    "wagtailimages.Image": "images and documents are reached through Wagtail collections, whose "
    "permissions decide who may choose one (finding 11)",
    "wagtaildocs.Document": "see wagtailimages.Image",
    "lms.PrivateDocument": "Hunar's document model: see wagtailimages.Image",
    "wagtailcore.Locale": "languages of the site",
    "taggit.Tag": "tag names are free text",
    "auth.Group": "role groups are the same at every center",
    "certificates.CertificateTemplate": "templates are the programme's, edited by its admins",
}

# Models that belong to a center through a path the automatic rule (a foreign key to Center)
# does not see: the lookup from the model to its center.
CENTER_PATH = {
    "lms.CohortMembership": "cohort__center",
    "lms.CohortSession": "cohort__center",
    "lms.AttendanceMark": "session__cohort__center",
    "courses.Enrollment": "cohort__center",
    # A bank with no center is the programme's, shared; questions follow their bank.
    "assessments.Question": "bank__center",
}


def _label(model) -> str:
    return model._meta.label


def _center_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, ForeignKey) and f.related_model is Center
    ]


def _outside(queryset, actor, mine) -> list[str]:
    """What the queryset offers outside the actor's centers (or reach, for accounts)."""
    model = queryset.model
    User = get_user_model()
    if model is User:
        reach = User.objects.filter(
            Q(pk=actor.pk)
            | Q(learner_profile__home_center__in=mine)
            | Q(center_roles__center__in=mine)
            | Q(cohort_memberships__cohort__center__in=mine)
        )
        return [u.username for u in queryset.exclude(pk__in=reach.values("pk"))]
    if model is Center:
        return [str(c) for c in queryset.exclude(pk__in=mine.values("pk"))]
    label = _label(model)
    paths = _center_fields(model) or ([CENTER_PATH[label]] if label in CENTER_PATH else [])
    if label in NETWORK_WIDE:
        assert not paths, f"{label} has a center now: remove it from NETWORK_WIDE"
        return []
    assert paths, (
        f"a form offers {label}: say how it is scoped (CENTER_PATH) or why any center's "
        "may be chosen (NETWORK_WIDE)"
    )
    outside = Q()
    for path in paths:
        # A row with no center is the programme's own (shared); a row of another center is not.
        outside |= Q(**{f"{path}__isnull": False}) & ~Q(**{f"{path}__in": mine})
    return [str(obj) for obj in queryset.filter(outside)]


def _choice_fields(form, prefix=""):
    # An inline row's own id is a hidden ModelChoiceField over the parent's rows: not a choice.
    own_pk = form._meta.model._meta.pk.name if prefix else None
    for name, field in form.fields.items():
        if name == own_pk:
            continue
        if isinstance(field, forms.ModelChoiceField):
            yield f"{prefix}{name}", field.queryset
    for formset_name, formset in getattr(form, "formsets", {}).items():
        for sub in [*formset.forms, formset.empty_form]:
            yield from _choice_fields(sub, f"{prefix}{formset_name}.")


def _leaks(form, actor, mine) -> dict:
    leaks = {}
    for name, queryset in _choice_fields(form):
        try:
            outside = _outside(queryset, actor, mine)
        except AssertionError as error:
            raise AssertionError(f"{type(form).__name__}.{name}: {error}") from None
        if outside:
            leaks[name] = outside[:5]
    return leaks


# --- The world: two centers with everything a form could offer --------------------------------


@pytest.fixture
def world(make_course):
    _track, course, lessons = make_course(lessons=1)
    worlds = {}
    for code in ("GLT", "SKD"):
        center = CenterFactory(code=code, name=f"{code} lab")
        cohort = CohortFactory(center=center, name=f"{code} class", curriculum=course)
        manager, trainer = manager_of(center, f"manager.{code}"), trainer_of(center, f"t.{code}")
        cohort.trainers.add(trainer)
        learner = LearnerProfileFactory(home_center=center, full_name=f"{code} learner")
        CohortMembership.objects.create(cohort=cohort, learner=learner.user)
        worlds[code] = {"center": center, "cohort": cohort, "learner": learner, "staff": manager}
        worlds[code]["due_date"] = CohortDueDate.objects.create(
            cohort=cohort, page=lessons[0], due_at=timezone.now()
        )
        worlds[code]["announcement"] = Announcement.objects.create(
            cohort=cohort, title_en=f"To {code}", body_en="<p>Hello</p>"
        )
        worlds[code]["actors"] = {"manager": manager, "trainer": trainer}
    UserFactory(username="nobody.anywhere")  # an account of no center at all
    bank = QuestionBank.objects.create(course=course, title="Bank")
    Question.objects.create(bank=bank, kind="true_false", prompt="<p>Yes?</p>")
    CertificateTemplate.objects.create(name="T", signatory_name="S", signatory_title="D")
    return {"mine": worlds["GLT"], "other": worlds["SKD"], "course": course}


def _edit_target(model, world):
    """An object of ``model`` that the actor's center owns (or a shared one)."""
    mine = world["mine"]
    by_model = {
        "lms.Center": mine["center"],
        "lms.Cohort": mine["cohort"],
        "lms.LearnerProfile": mine["learner"],
        "lms.CenterStaff": CenterStaff.objects.filter(center=mine["center"]).first(),
        "lms.User": mine["learner"].user,
        "courses.CohortDueDate": mine["due_date"],
        "courses.Announcement": mine["announcement"],
    }
    if _label(model) in by_model:
        return by_model[_label(model)]
    found = model.objects.first()
    assert found is not None, f"the world has no {_label(model)} to edit: add one"
    return found


def _our_viewsets():
    assert get_resolver().url_patterns  # admin URLs (and the viewset registry) are built lazily
    return [
        vs
        for vs in viewsets.viewsets
        if isinstance(vs, ModelViewSet) and vs.model._meta.app_label in OUR_APPS
    ]


def _viewset_forms(viewset, world, actor):
    """(where, form) for the add, edit and index (filters) views the actor can open."""
    client = Client()
    client.force_login(actor)
    target = _edit_target(viewset.model, world)
    urls = {
        "add": reverse(viewset.get_url_name("add")),
        "edit": reverse(viewset.get_url_name("edit"), args=[target.pk]),
        # Snippet viewsets call their listing "list".
        "index": reverse(
            viewset.get_url_name("list" if isinstance(viewset, SnippetViewSet) else "index")
        ),
    }
    for view, url in urls.items():
        response = client.get(url)
        if response.status_code != 200 or response.context is None:
            continue  # refused: the actor never sees this form
        form = response.context.get("filters").form if view == "index" else None
        if view != "index":
            form = response.context.get("form")
        if form is not None:
            yield f"{view} {url}", form


@pytest.mark.parametrize("actor_role", ACTORS)
def test_admin_viewset_forms_offer_only_the_editors_centers(world, actor_role):
    actor = world["mine"]["actors"][actor_role]
    mine = Center.objects.filter(pk=world["mine"]["center"].pk)
    leaks, opened = {}, []
    for viewset in _our_viewsets():
        for where, form in _viewset_forms(viewset, world, actor):
            opened.append(where)
            found = _leaks(form, actor, mine)
            if found:
                leaks[where] = found
    assert opened, "the actor opened no admin form at all: the walk is broken"
    assert not leaks, f"{actor_role} of GLT is offered other centers' objects: {leaks}"


def test_the_walk_reaches_the_learner_and_cohort_forms(world):
    """Guards the walk itself: the forms of finding 5 are among those checked."""
    actor = world["mine"]["actors"]["manager"]
    opened = {
        where.split()[0] + " " + viewset.name
        for viewset in _our_viewsets()
        for where, _form in _viewset_forms(viewset, world, actor)
    }
    for expected in (
        "add learners", "edit learners", "index learners", "add cohorts",
        "add due_dates", "edit due_dates", "add announcements", "edit announcements",
    ):  # fmt: skip
        assert expected in opened


def _our_page_models():
    return [
        model
        for model in Page.__subclasses__()
        + [m for p in Page.__subclasses__() for m in p.__subclasses__()]
        if model._meta.app_label in OUR_APPS and not model._meta.abstract
    ]


@pytest.mark.parametrize("actor_role", ACTORS)
def test_page_edit_forms_offer_only_the_editors_centers(world, actor_role):
    actor = world["mine"]["actors"][actor_role]
    mine = Center.objects.filter(pk=world["mine"]["center"].pk)
    parent = world["course"]
    leaks = {}
    for model in _our_page_models():
        form_class = model.get_edit_handler().get_form_class()
        form = form_class(instance=model(), for_user=actor, parent_page=parent)
        found = _leaks(form, actor, mine)
        if found:
            leaks[_label(model)] = found
    assert not leaks, f"{actor_role} of GLT is offered other centers' objects: {leaks}"


# Plain forms of ours with a model choice, and how the admin builds them for a user.
PLAIN_FORMS = {
    "courses.admin_roster.RosterUploadForm": lambda actor: _roster_form(actor),
}


def _roster_form(actor):
    from courses.admin_roster import RosterUploadForm

    return RosterUploadForm(user=actor)


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _our_plain_forms_with_model_choices():
    found = set()
    for form_class in _all_subclasses(forms.BaseForm):
        if not form_class.__module__.startswith(OUR_MODULES) or "tests" in form_class.__module__:
            continue
        if issubclass(form_class, forms.BaseModelForm):
            continue  # model forms are reached through their viewsets and page types
        declared = getattr(form_class, "declared_fields", {}).values()
        if any(isinstance(field, forms.ModelChoiceField) for field in declared):
            found.add(f"{form_class.__module__}.{form_class.__qualname__}")
    return found


def test_every_plain_form_with_a_model_choice_is_checked():
    import assessments.admin_forms  # noqa: F401  (load every module that defines admin forms)
    import certificates.admin_views  # noqa: F401
    import courses.admin_roster  # noqa: F401
    import lms.admin_attendance  # noqa: F401
    import reports.filters  # noqa: F401

    missing = sorted(_our_plain_forms_with_model_choices() - set(PLAIN_FORMS))
    assert not missing, f"add these forms to PLAIN_FORMS so their choices are checked: {missing}"


@pytest.mark.parametrize("actor_role", ACTORS)
@pytest.mark.parametrize("name", sorted(PLAIN_FORMS))
def test_plain_forms_offer_only_the_editors_centers(world, actor_role, name):
    actor = world["mine"]["actors"][actor_role]
    mine = Center.objects.filter(pk=world["mine"]["center"].pk)
    assert not _leaks(PLAIN_FORMS[name](actor), actor, mine)
