"""The assessment page's editor form: its question and bank choices are those the editor may
see (``assessments.ownership``: their centers' banks and the programme's), plus whatever the
page already uses, so a page another center's trainer wrote can still be saved unchanged.

Kept apart from ``admin_forms`` because the page model names this class at import time.
"""

from wagtail.admin.forms import WagtailAdminPageForm


def _scope_formset(formset, field_name, queryset):
    """Make every form of ``formset`` (existing, new and the blank template) offer only
    ``queryset`` in ``field_name``; a forged POST outside it fails validation."""
    base = formset.form

    class ScopedChildForm(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields[field_name].queryset = queryset

    ScopedChildForm.__name__ = base.__name__
    formset.form = ScopedChildForm


class AssessmentPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from .ownership import banks_visible_to, questions_visible_to

        page = self.instance
        used_questions = [row.question_id for row in page.fixed_questions.all()]
        used_banks = [row.bank_id for row in page.draws.all()]
        questions = questions_visible_to(self.for_user)
        banks = banks_visible_to(self.for_user)
        if "fixed_questions" in self.formsets:
            queryset = questions.model.objects.filter(
                Q(pk__in=questions.values("pk")) | Q(pk__in=used_questions)
            ).select_related("bank")
            _scope_formset(self.formsets["fixed_questions"], "question", queryset)
        if "draws" in self.formsets:
            queryset = banks.model.objects.filter(
                Q(pk__in=banks.values("pk")) | Q(pk__in=used_banks)
            )
            _scope_formset(self.formsets["draws"], "bank", queryset)
