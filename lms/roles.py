"""The four roles, as Django groups with the Wagtail admin permissions each one needs.

Groups are kept in step with this table after every ``migrate`` (see ``apps.py``). Higher apps
add the permissions of their own models with :func:`role_grant` from their ``AppConfig.ready``,
so this module never names them.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

LEARNER = "Learner"
TRAINER = "Trainer"
CENTER_MANAGER = "Center manager"
PROGRAMME_ADMIN = "Programme admin"
ROLES = (LEARNER, TRAINER, CENTER_MANAGER, PROGRAMME_ADMIN)

ACCESS_ADMIN = "wagtailadmin.access_admin"

_ROLE_PERMISSIONS: dict[str, set[str]] = {
    LEARNER: set(),
    TRAINER: {
        ACCESS_ADMIN,
        "lms.view_center",
        "lms.view_cohort",
        "lms.view_learnerprofile",
    },
    CENTER_MANAGER: {
        ACCESS_ADMIN,
        "lms.view_center",
        "lms.view_cohort",
        "lms.add_cohort",
        "lms.change_cohort",
        "lms.view_learnerprofile",
        "lms.add_learnerprofile",
        "lms.change_learnerprofile",
        "lms.view_centerstaff",
    },
    PROGRAMME_ADMIN: {
        ACCESS_ADMIN,
        *(
            f"lms.{action}_{model}"
            for action in ("view", "add", "change", "delete")
            for model in ("center", "cohort", "learnerprofile", "centerstaff")
        ),
        # Settings → Programme: the programme's name, logo, footer, contact and shift hours.
        "lms.change_programmesettings",
    },
}


def role_grant(role: str, *permissions: str) -> None:
    """Add ``app_label.codename`` permissions to a role; call from ``AppConfig.ready``."""
    _ROLE_PERMISSIONS[role].update(permissions)


def role_permissions(role: str) -> frozenset[str]:
    return frozenset(_ROLE_PERMISSIONS[role])


@transaction.atomic
def roles_sync() -> dict[str, Group]:
    """Create the role groups and set their permissions to exactly the table above."""
    groups = {}
    for role, perms in _ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in sorted(perms):
            app_label, codename = perm.split(".", 1)
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is None:
                # Permissions of an app that has not migrated yet; the next migrate adds them.
                continue
            wanted.append(found)
        group.permissions.set(wanted)
        groups[role] = group
    return groups
