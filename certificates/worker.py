"""Celery worker start-up for certificate rendering: check the fonts library, warm the renderer."""

import ctypes.util
import logging
import sys

from celery.signals import worker_init, worker_process_init

logger = logging.getLogger("certificates.worker")

HARFBUZZ_SUBSET_MISSING = (
    "libharfbuzz-subset0 is not installed: WeasyPrint falls back to slow font subsetting and "
    "every certificate PDF takes about 15 times longer. Install it: apt-get install -y "
    "libharfbuzz-subset0"
)


def harfbuzz_subset_available() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None


@worker_init.connect(dispatch_uid="certificates.harfbuzz_check")
def harfbuzz_subset_check(**kwargs) -> None:
    """Warn loudly, in the log and on the terminal, when PDFs will be slow on this machine."""
    if not harfbuzz_subset_available():
        logger.error(HARFBUZZ_SUBSET_MISSING)
        print(f"ERROR: {HARFBUZZ_SUBSET_MISSING}", file=sys.stderr, flush=True)


@worker_process_init.connect(dispatch_uid="certificates.renderer_warm")
def renderer_warm(**kwargs) -> None:
    """Build the fonts and stylesheet in each pool process before its first certificate."""
    from .rendering import resources

    try:
        resources()
    except Exception:  # a broken stylesheet must not stop the worker; the task reports it
        logger.exception("Could not prepare the certificate renderer")
