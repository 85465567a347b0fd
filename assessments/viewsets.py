"""Question banks and questions in the Wagtail admin, under the "Assessments" menu.

Banks belong to courses, which the whole network shares, so these lists are not scoped by
center: trainers and programme admins add, change and delete; center managers only look
(the permissions come from ``AssessmentsConfig.ready``).
"""

import django_filters
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from courses.models import CoursePage

from .admin_forms import QuestionForm
from .models import Question, QuestionBank


class QuestionBankIndexView(IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("course")
        return queryset.annotate(question_count=Count("questions"))


class QuestionBankViewSet(ModelViewSet):
    name = "question_banks"
    url_prefix = "assessments/banks"
    model = QuestionBank
    icon = "folder-open-1"
    menu_label = _("Question banks")
    inspect_view_enabled = True
    list_display = ["title", "course", Column("question_count", label=_("Questions"))]
    list_filter = ["course"]
    search_fields = ["title", "description"]
    form_fields = ["course", "title", "description"]
    index_view_class = QuestionBankIndexView


def _categories():
    names = Question.objects.exclude(category="").values_list("category", flat=True)
    return [(name, name) for name in sorted(set(names))]


class QuestionFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), field_name="bank__course", queryset=CoursePage.objects.order_by("title")
    )
    bank = django_filters.ModelChoiceFilter(label=_("Bank"), queryset=QuestionBank.objects.all())
    category = django_filters.ChoiceFilter(label=_("Category"), choices=_categories)
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Question.Kind.choices)

    class Meta:
        model = Question
        fields = ["course", "bank", "category", "kind"]


class QuestionIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("bank")


class QuestionViewSet(ModelViewSet):
    name = "questions"
    url_prefix = "assessments/questions"
    model = Question
    icon = "help"
    menu_label = _("Questions")
    inspect_view_enabled = True
    list_display = ["__str__", "bank", "category", "kind", "points"]
    filterset_class = QuestionFilterSet
    search_fields = ["prompt"]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)
    index_view_class = QuestionIndexView


class AssessmentsViewSetGroup(ModelViewSetGroup):
    """The "Assessments" menu: the two viewsets here, then the grading queue and item analysis
    (menu items registered with the ``submenu_hook`` in ``wagtail_hooks``)."""

    menu_label = _("Assessments")
    menu_icon = "tasks"
    menu_order = 250
    submenu_hook = "register_assessments_menu_item"
    items = (QuestionBankViewSet, QuestionViewSet)
