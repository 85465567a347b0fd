# Admin views of the courses app register their own hooks when imported here.
from . import admin_progress, admin_roster  # noqa: F401
