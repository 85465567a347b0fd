"""Wagtail's own spreadsheet exports (site history, page and snippet listings, reports, form
submissions) under Hunar's formula rule, ``lms.csv_safe.neutralize``.

Every one of them is a view with Wagtail's ``SpreadsheetExportMixin``: each cell passes through
``preprocess_field_value`` and each column heading through ``get_heading``, for CSV and XLSX
alike. Wrapping those two methods once, on the mixin, covers every export Wagtail has or adds,
without replacing any of its views (docs/decisions/0011-content-security-policy.md).
"""

from functools import wraps

from wagtail.admin.views.mixins import SpreadsheetExportMixin

from .csv_safe import neutralize


def _neutralizing(method):
    if getattr(method, "hunar_neutralizes", False):
        return method

    @wraps(method)
    def wrapper(*args, **kwargs):
        return neutralize(method(*args, **kwargs))

    wrapper.hunar_neutralizes = True
    return wrapper


def spreadsheet_exports_neutralize() -> None:
    """Make every cell and heading of Wagtail's exports formula-safe; safe to call twice."""
    for name in ("preprocess_field_value", "get_heading"):
        setattr(SpreadsheetExportMixin, name, _neutralizing(getattr(SpreadsheetExportMixin, name)))
