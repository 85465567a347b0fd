"""Question banks and questions in the Wagtail admin, under the "Assessments" menu.

Every view reaches only the objects ``assessments.ownership`` gives the user (docs/decisions
0001 and 0010): lists, inspect, history and usage the banks they may see; edit, delete, copy,
revisions, locking and workflow actions the banks they may edit. Anything else answers 404, so
another center's bank is not even confirmed to exist. Questions are snippets with drafts,
revisions, locking and the "Question review" workflow; a bank in live use cannot be deleted.
"""

import django_filters
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.models import CoursePage
from lms.viewsets import ScopedViewMixin

from . import ownership, selectors
from .admin_forms import QuestionBankForm, QuestionForm
from .models import Question, QuestionBank
from .review import deletion_refusal


class OwnedObjectMixin(ScopedViewMixin):
    """``lms.viewsets.ScopedViewMixin``, checking the id in the URL before the view fetches the
    object: some of Wagtail's views check per-object permissions first and would answer 403
    (confirming the object exists) where this answers 404."""

    def get_object(self, *args, **kwargs):
        pk = self.kwargs.get("pk")
        if pk is not None and not self.get_scoped_queryset().filter(pk=unquote(str(pk))).exists():
            raise Http404
        return super().get_object(*args, **kwargs)


def _scoped(view_class, scope):
    """``view_class`` answering 404 outside ``scope(user)``."""
    name = f"Scoped{view_class.__name__.lstrip('_')}"
    return type(name, (OwnedObjectMixin, view_class), {"scope": staticmethod(scope)})


class OwnedButtonsMixin:
    """List rows offer edit and delete only where the user may edit (one query a page); copy
    wherever they may see, since the copy goes into a bank of their own."""

    editable = None  # a function user -> queryset

    @cached_property
    def editable_ids(self):
        return set(type(self).editable(self.request.user).values_list("pk", flat=True))

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if instance.pk in self.editable_ids else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if instance.pk in self.editable_ids else None


def _index(view_class, visible, editable):
    name = f"Owned{view_class.__name__}"
    attrs = {"scope": staticmethod(visible), "editable": staticmethod(editable)}
    return type(name, (ScopedViewMixin, OwnedButtonsMixin, view_class), attrs)


class QuestionBankIndexView(generic.IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("course", "center")
        queryset = queryset.annotate(question_count=Count("questions"))
        return selectors.banks_with_urdu_counts(queryset=queryset)

    def get_list_more_buttons(self, instance):
        """Import where the user may edit the bank; export (GIFT, Moodle XML) wherever listed."""
        buttons = super().get_list_more_buttons(instance)
        if instance.pk in self.editable_ids:
            url = reverse("assessments_import:question_import", args=[instance.pk])
            buttons.append(
                MenuItem(_("Import questions"), url=url, icon_name="upload", priority=40)
            )
        export = reverse("assessments_import:question_export", args=[instance.pk])
        for fmt, label in (("gift", _("Export as GIFT")), ("moodlexml", _("Export as Moodle XML"))):
            url = f"{export}?format={fmt}"
            buttons.append(MenuItem(label, url=url, icon_name="download", priority=50))
        return buttons


class QuestionBankDeleteView(generic.DeleteView):
    """Refuses, with the reason, to delete a bank a live assessment uses."""

    def run_before_hook(self):
        refusal = deletion_refusal(banks=[self.object])
        if refusal:
            messages.error(self.request, refusal)
            return redirect(self.index_url_name)
        return super().run_before_hook()


class QuestionBankViewSet(ModelViewSet):
    name = "question_banks"
    url_prefix = "assessments/banks"
    model = QuestionBank
    icon = "folder-open-1"
    menu_label = _("Question banks")
    inspect_view_enabled = True
    list_display = [
        "title",
        "course",
        Column("center", label=_("Owner"), accessor="owner_label"),
        Column("question_count", label=_("Questions")),
        Column("urdu_missing_count", label=_("Questions lacking Urdu")),
    ]
    list_filter = ["course"]
    search_fields = ["title", "description"]
    edit_handler = ObjectList(QuestionBank.panels, base_form_class=QuestionBankForm)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible, editable = ownership.banks_visible_to, ownership.banks_editable_by
        self.index_view_class = _index(QuestionBankIndexView, visible, editable)
        self.inspect_view_class = _scoped(generic.InspectView, visible)
        self.history_view_class = _scoped(history.HistoryView, visible)
        self.usage_view_class = _scoped(usage.UsageView, visible)
        self.edit_view_class = _scoped(generic.EditView, editable)
        # A copy lands in a bank the user may edit (the form's choices): any visible bank's.
        self.copy_view_class = _scoped(generic.CopyView, visible)
        self.delete_view_class = _scoped(QuestionBankDeleteView, editable)


class QuestionFilterSet(WagtailFilterSet):
    """Filters whose choices (banks, categories) are those the user may see."""

    course = django_filters.ModelChoiceFilter(
        label=_("Course"), field_name="bank__course", queryset=CoursePage.objects.order_by("title")
    )
    bank = django_filters.ModelChoiceFilter(
        label=_("Bank"), queryset=lambda request: ownership.banks_visible_to(request.user)
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=())
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Question.Kind.choices)
    translation = django_filters.ChoiceFilter(
        label=_("Urdu translation"),
        choices=[("missing", _("missing")), ("complete", _("complete"))],
        method="filter_translation",
    )

    class Meta:
        model = Question
        fields = ["course", "bank", "category", "kind", "translation"]

    def filter_translation(self, queryset, name, value):
        if value == "missing":
            return selectors.questions_missing_urdu(queryset=queryset)
        if value == "complete":
            return selectors.questions_with_urdu(queryset=queryset)
        return queryset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else None
        names = (
            ownership.questions_visible_to(user)
            .exclude(category="")
            .values_list("category", flat=True)
            .distinct()
        )
        self.filters["category"].extra["choices"] = [(name, name) for name in sorted(names)]


class QuestionIndexView(snippets.IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("bank")
        return selectors.questions_with_urdu_state(queryset=queryset)


class ScopedChooseMixin:
    """The snippet chooser lists (and returns) only questions the user may see."""

    def get_object_list(self):
        return ownership.questions_visible_to(self.request.user)


class ScopedChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return get_object_or_404(ownership.questions_visible_to(self.request.user), pk=pk)


class ScopedChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return ownership.questions_visible_to(self.request.user).filter(pk__in=pks)


class QuestionChooserViewSet(SnippetChooserViewSet):
    # The assessment editor keeps its plain select; the chooser is only reachable by URL.
    register_widget = False
    choose_view_class = type(
        "ScopedChooseView", (ScopedChooseMixin, snippet_chooser.ChooseView), {}
    )
    choose_results_view_class = type(
        "ScopedChooseResultsView", (ScopedChooseMixin, snippet_chooser.ChooseResultsView), {}
    )
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


# Views that show a question (or its history) and views that change it.
_VISIBLE_VIEWS = (
    "inspect_view_class",
    "history_view_class",
    "usage_view_class",
    "revisions_compare_view_class",
    "workflow_history_view_class",
    "workflow_history_detail_view_class",
    "copy_view_class",  # the copy goes into a bank the user may edit (the form's choices)
)
_EDITING_VIEWS = (
    "edit_view_class",
    "delete_view_class",
    "revisions_view_class",
    "revisions_unschedule_view_class",
    "unpublish_view_class",
    "preview_on_edit_view_class",
    "lock_view_class",
    "unlock_view_class",
    "workflow_action_view_class",
    "collect_workflow_action_data_view_class",
    "confirm_workflow_cancellation_view_class",
    "workflow_preview_view_class",
)


class QuestionViewSet(SnippetViewSet):
    """Questions as snippets: drafts, revisions, locking and the review workflow. Deleting one
    from a bank in live use is refused by the ``before_delete_snippet`` hook."""

    model = Question
    admin_url_namespace = "questions"
    base_url_path = "assessments/questions"
    chooser_admin_url_namespace = "question_chooser"
    chooser_base_url_path = "assessments/questions/choose"
    icon = "help"
    menu_label = _("Questions")
    inspect_view_enabled = True
    list_display = [
        "__str__",
        "bank",
        "category",
        "kind",
        "points",
        BooleanColumn("urdu_complete", label=_("Urdu complete")),
    ]
    filterset_class = QuestionFilterSet
    search_fields = ["prompt"]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)
    chooser_viewset_class = QuestionChooserViewSet

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible, editable = ownership.questions_visible_to, ownership.questions_editable_by
        self.index_view_class = _index(QuestionIndexView, visible, editable)
        for attribute in _VISIBLE_VIEWS:
            setattr(self, attribute, _scoped(getattr(self, attribute), visible))
        for attribute in _EDITING_VIEWS:
            setattr(self, attribute, _scoped(getattr(self, attribute), editable))

    @property
    def revisions_revert_view_class(self):
        # Wagtail builds this from the edit view, which is scoped above.
        return type(
            "ScopedRevisionsRevertView",
            (generic.RevisionsRevertMixin, self.edit_view_class),
            {"view_name": "revisions_revert"},
        )


class AssessmentsViewSetGroup(SnippetViewSetGroup):
    """The "Assessments" menu: the two viewsets here, then the grading queue and item analysis
    (menu items registered with the ``submenu_hook`` in ``wagtail_hooks``)."""

    menu_label = _("Assessments")
    menu_icon = "tasks"
    menu_order = 250
    submenu_hook = "register_assessments_menu_item"
    items = (QuestionBankViewSet, QuestionViewSet)
