"""The fault suite's settings plus the demo app, for ``seed_demo`` only (the processes under test
run ``tests.faults.settings``, production's, which never install it)."""

from tests.faults.settings import *  # noqa: F403
from tests.faults.settings import INSTALLED_APPS

INSTALLED_APPS = ["demo", *INSTALLED_APPS]
