"""Who may use which images and documents: Wagtail collections and collection permissions.

The collection tree is::

    Root                      programme admins: add, change, choose (images and documents)
    ├── Programme             every trainer and center manager: choose; documents public
    └── <center> (<code>)     that center's staff group: add, change, choose; documents
                              for signed-in users (a Wagtail collection view restriction)

Wagtail's own policies (``CollectionOwnershipPermissionPolicy``) read these grants in every
listing, chooser, upload form and edit view. Roles are global groups, so each center also has
a group of its staff ("<code> staff"), whose members are exactly the users with a
``CenterStaff`` row there: :func:`staff_media_access_sync` keeps it so and must be called by
whatever adds, changes or removes a ``CenterStaff`` row; :func:`media_collections_sync` puts
everything right after every ``migrate`` and ``seed_demo``.
See docs/decisions/0012-collections-per-center.md.
"""

from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.db.models import Q
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission

from .models import Center, CenterStaff
from .roles import CENTER_MANAGER, PROGRAMME_ADMIN, TRAINER, roles_sync

PROGRAMME_COLLECTION = "Programme"

_IMAGES_AND_DOCUMENTS = ("wagtailimages.{}_image", "wagtaildocs.{}_document")


def _media(*actions: str) -> tuple[str, ...]:
    # Wagtail treats "delete" as "change" for images and documents, so "change" is both.
    return tuple(pattern.format(action) for pattern in _IMAGES_AND_DOCUMENTS for action in actions)


ROOT_PERMISSIONS = {PROGRAMME_ADMIN: _media("add", "change", "choose")}
PROGRAMME_PERMISSIONS = {TRAINER: _media("choose"), CENTER_MANAGER: _media("choose")}
CENTER_STAFF_PERMISSIONS = _media("add", "change", "choose")


def _permissions(dotted_names) -> list[Permission]:
    wanted = []
    for dotted in dotted_names:
        app_label, codename = dotted.split(".", 1)
        found = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if found is not None:  # else an app not migrated yet; the next migrate adds it
            wanted.append(found)
    return wanted


def _grants_set(group: Group, collection: Collection, dotted_names) -> None:
    """Make the group's permissions on this one collection exactly ``dotted_names``."""
    wanted = _permissions(dotted_names)
    GroupCollectionPermission.objects.filter(group=group, collection=collection).exclude(
        permission__in=wanted
    ).delete()
    for permission in wanted:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )


def _root() -> Collection:
    return Collection.get_first_root_node()


def programme_collection() -> Collection:
    """The shared collection (the curriculum's images and documents), made if missing."""
    root = _root()
    found = root.get_children().filter(name=PROGRAMME_COLLECTION).first()
    return found or root.add_child(name=PROGRAMME_COLLECTION)


def _center_label(center: Center) -> str:
    return f"{center.name} ({center.code})"


@transaction.atomic
def center_media_setup(*, center: Center) -> Center:
    """Give a center its collection and staff group, with the group's grants; idempotent.

    Call it when a center is created or renamed. Names follow the center; the rows stay the same.
    """
    center = Center.objects.select_for_update().get(pk=center.pk)
    collection = center.media_collection
    if collection is None:
        collection = _root().add_child(name=_center_label(center))
        # A center's documents are for signed-in people (staff, learners of any center, whose
        # lessons may use them); an admin may change this under the collection's "Privacy".
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.LOGIN
        )
    elif collection.name != _center_label(center):
        collection.name = _center_label(center)
        collection.save(update_fields=["name"])
    group = center.staff_group
    group_name = f"{center.code} staff"
    if group is None:
        group, _ = Group.objects.get_or_create(name=group_name)
    elif group.name != group_name:
        group.name = group_name
        group.save(update_fields=["name"])
    if (center.media_collection_id, center.staff_group_id) != (collection.pk, group.pk):
        center.media_collection, center.staff_group = collection, group
        center.save(update_fields=["media_collection", "staff_group"])
    _grants_set(group, collection, CENTER_STAFF_PERMISSIONS)
    # A center's staff group holds nothing anywhere else.
    GroupCollectionPermission.objects.filter(group=group).exclude(collection=collection).delete()
    group.permissions.clear()
    return center


@transaction.atomic
def staff_media_access_sync(*, user) -> None:
    """Make the user a member of exactly the staff groups of the centers they work at.

    Call it after adding, changing or removing a ``CenterStaff`` row of this user.
    """
    wanted = set(
        Group.objects.filter(
            pk__in=Center.objects.filter(staff__user=user).values("staff_group")
        ).values_list("pk", flat=True)
    )
    all_staff_groups = set(
        Center.objects.exclude(staff_group=None).values_list("staff_group", flat=True)
    )
    current = set(user.groups.filter(pk__in=all_staff_groups).values_list("pk", flat=True))
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))


@transaction.atomic
def media_collections_sync() -> None:
    """Set every collection grant above, for every center and every staff member; idempotent.

    Runs after every ``migrate`` and from ``seed_demo``. Any other grant a role group holds on
    the root or Programme collection is removed: it would reach every center's collection.
    """
    tables = connection.introspection.table_names()
    if Collection._meta.db_table not in tables or Center._meta.db_table not in tables:
        return  # a partial migrate: the next full one comes back here
    if _root() is None:  # a flushed test database: the tree comes back with the next migrate
        return
    groups = roles_sync()
    root, programme = _root(), programme_collection()
    for role, group in groups.items():
        _grants_set(group, root, ROOT_PERMISSIONS.get(role, ()))
        _grants_set(group, programme, PROGRAMME_PERMISSIONS.get(role, ()))
    for center in Center.objects.all():
        center_media_setup(center=center)
    User = CenterStaff._meta.get_field("user").related_model
    staff_group_ids = Center.objects.exclude(staff_group=None).values("staff_group")
    members_or_staff = Q(groups__in=staff_group_ids) | Q(center_roles__isnull=False)
    for user in User.objects.filter(members_or_staff).distinct():
        staff_media_access_sync(user=user)
