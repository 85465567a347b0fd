"""The one rule for spreadsheet cells that leave Hunar (CSV and XLSX exports, Wagtail's too).

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (``=HYPERLINK(...)`` can send data away, DDE can start programs). Such text
gets a leading apostrophe, OWASP's advice for CSV injection: the spreadsheet shows the text and
runs nothing. Numbers are not text and stay as they are.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """``value`` unchanged, unless it is text a spreadsheet would run: then with a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
