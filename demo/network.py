"""The Gilgit-Baltistan demo network: centers, staff, cohorts and learners. Idempotent.

The first step of ``seed_demo`` (``demo.seed``); the other steps build on it.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from lms.consent import guardian_consent_current, guardian_consent_record
from lms.models import Center, CenterStaff, Cohort, GuardianConsent, LearnerProfile, Shift
from lms.people import learner_create
from lms.roles import CENTER_MANAGER, LEARNER, PROGRAMME_ADMIN, TRAINER, roles_sync

DEMO_PASSWORD = "hunar-demo-2026"  # noqa: S105 -- printed for demo sign-in, by design
# Demo accounts share one salt: the demo password is public, so a salt protects nothing here,
# and an account whose hash is exactly the demo hash is recognised without hashing again.
_DEMO_SALT = "hunardemoaccount"

# One school IT center in each district of Gilgit-Baltistan: (district, code, school).
SCHOOL_LABS = [
    ("Gilgit", "GLT", "Government Boys High School No. 1, Gilgit"),
    ("Hunza", "HNZ", "Government High School Aliabad"),
    ("Nagar", "NGR", "Government High School Nagar Khas"),
    ("Ghizer", "GHZ", "Government High School Gahkuch"),
    ("Gupis-Yasin", "GPY", "Government High School Yasin"),
    ("Skardu", "SKD", "Government Boys High School Skardu"),
    ("Shigar", "SHG", "Government High School Shigar"),
    ("Kharmang", "KHM", "Government High School Tolti"),
    ("Roundu", "RND", "Government High School Dambudas"),
    ("Ghanche", "GHN", "Government High School Khaplu"),
    ("Astore", "AST", "Government High School Eidgah Astore"),
    ("Diamer", "DMR", "Government High School Chilas"),
    ("Darel", "DRL", "Government High School Darel"),
    ("Tangir", "TNG", "Government High School Tangir"),
]
# The three Software Technology Hubs, second shift only.
TECH_HUBS = [
    ("Diamer", "STHDMR", "Software Technology Hub Chilas"),
    ("Ghizer", "STHGHZ", "Software Technology Hub Gahkuch"),
    ("Nagar", "STHNGR", "Software Technology Hub Nagar"),
]


class DemoAccountConflict(Exception):
    """A demo username belongs to an account the demo did not create; nothing was changed."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    center: str


def _center_upsert(district, code, name, kind, school_name="") -> Center:
    center, _ = Center.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": kind,
            "district": district,
            "school_name": school_name,
            "address": f"{district}, Gilgit-Baltistan",
            "offers_school_hours": kind == Center.Kind.SCHOOL_LAB,
            "offers_second_shift": True,
            "is_active": True,
        },
    )
    return center


def _is_demo_account(user, demo_hash: str) -> bool:
    """Does ``user`` sign in with the published demo password (so the demo may update it)?"""
    # The hash differs when Django re-hashed it at a sign-in (a new default hasher or cost).
    return user.password == demo_hash or user.check_password(DEMO_PASSWORD)


def _user_upsert(username: str, role: str, *, demo_hash: str, superuser: bool = False):
    """Create a demo account, or bring one up to date; never touch anybody else's account."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if not created and not _is_demo_account(user, demo_hash):
        raise DemoAccountConflict(
            f"The account {username!r} already exists and is not a demo account (its password "
            "is not the demo password). The demo would give it a role"
            + (" and superuser rights" if superuser else "")
            + "; nothing was created or changed. Rename that account, or load the demo into "
            "another database."
        )
    user.password = demo_hash
    user.is_superuser = superuser
    user.is_staff = superuser
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


@transaction.atomic
def demo_network_seed() -> list[DemoLogin]:
    """Create (or bring up to date) the demo centers, people and cohorts.

    Atomic: when a demo username belongs to an account that is not a demo account (see
    ``_is_demo_account``), it raises :class:`DemoAccountConflict` and nothing is saved.
    """
    roles_sync()
    demo_hash = make_password(DEMO_PASSWORD, salt=_DEMO_SALT)
    centers = {}
    for district, code, school in SCHOOL_LABS:
        centers[code] = _center_upsert(
            district, code, f"{district} School IT Center", Center.Kind.SCHOOL_LAB, school
        )
    for district, code, name in TECH_HUBS:
        centers[code] = _center_upsert(district, code, name, Center.Kind.TECH_HUB)

    logins = [DemoLogin("admin", PROGRAMME_ADMIN, "all centers")]
    _user_upsert("admin", PROGRAMME_ADMIN, demo_hash=demo_hash, superuser=True)

    staffed = ["GLT", "SKD", "STHDMR"]
    for code in staffed:
        center = centers[code]
        slug = code.lower()
        manager = _user_upsert(f"manager.{slug}", CENTER_MANAGER, demo_hash=demo_hash)
        CenterStaff.objects.get_or_create(
            user=manager, center=center, role=CenterStaff.Role.MANAGER
        )
        trainer = _user_upsert(f"trainer.{slug}", TRAINER, demo_hash=demo_hash)
        CenterStaff.objects.get_or_create(
            user=trainer, center=center, role=CenterStaff.Role.TRAINER
        )
        logins += [
            DemoLogin(manager.username, CENTER_MANAGER, center.name),
            DemoLogin(trainer.username, TRAINER, center.name),
        ]

        start = datetime.date(2026, 9, 1)
        for shift in center.shifts:
            label = "Digital literacy" if shift == Shift.SCHOOL_HOURS else "Freelancing"
            cohort, _ = Cohort.objects.update_or_create(
                center=center,
                name=f"{label} {start:%Y} – {Shift(shift).label}",
                defaults={"shift": shift, "start_date": start, "end_date": None},
            )
            cohort.trainers.add(trainer)

        learner_kinds = []
        if Shift.SCHOOL_HOURS in center.shifts:
            learner_kinds.append(("student", LearnerProfile.LearnerType.STUDENT))
        learner_kinds.append(("youth", LearnerProfile.LearnerType.YOUTH))
        for prefix, learner_type in learner_kinds:
            for number in (1, 2, 3):
                user = _learner_upsert(
                    f"{prefix}.{slug}{number}",
                    center,
                    learner_type,
                    full_name=f"Demo {prefix.title()} {code} {number}",
                    # Youth are adults; students are school children with a guardian's consent,
                    # so every demo certificate names its holder (lms.consent).
                    year_of_birth=(2003 if prefix == "youth" else 2012) + number,
                    preferred_language="ur" if number == 2 else "en",
                    demo_hash=demo_hash,
                )
                if prefix == "student" and guardian_consent_current(learner_user=user) is None:
                    guardian_consent_record(
                        manager=manager,
                        learner_user=user,
                        guardian_name=f"Guardian of {prefix.title()} {code} {number}",
                        relationship="father",
                        method=GuardianConsent.Method.PAPER_FORM,
                        given_on=min(start, timezone.localdate()),
                        note="Demo consent.",
                    )
            logins.append(DemoLogin(f"{prefix}.{slug}1", LEARNER, center.name))
    return logins


def _learner_upsert(
    username, center, learner_type, *, full_name, year_of_birth, preferred_language, demo_hash
):
    """A demo learner made by the people service (``learner_create``), with the demo password;
    a learner left by an earlier demo gets the fields a newer demo adds (year of birth)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = learner_create(
            by=None,
            username=username,
            full_name=full_name,
            learner_type=learner_type,
            home_center=center,
            year_of_birth=year_of_birth,
            preferred_language=preferred_language,
        ).profile.user
        # The demo password instead of the one-time one, so every demo account signs in alike.
        LearnerProfile.objects.filter(user=user).update(must_change_password=False)
        user.password = demo_hash
        user.save(update_fields=["password"])
    user = _user_upsert(username, LEARNER, demo_hash=demo_hash)
    LearnerProfile.objects.update_or_create(
        user=user,
        defaults={
            "learner_type": learner_type,
            "home_center": center,
            "full_name": full_name,
            "year_of_birth": year_of_birth,
            "preferred_language": preferred_language,
        },
    )
    return user
