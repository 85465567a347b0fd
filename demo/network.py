"""The Gilgit-Baltistan demo network: centers, staff, cohorts and learners. Idempotent.

The first step of ``seed_demo`` (``demo.seed``); the other steps build on it.
"""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from lms.consent import guardian_consent_current, guardian_consent_record
from lms.models import (
    Center,
    CenterStaff,
    Cohort,
    CohortMembership,
    GuardianConsent,
    LearnerProfile,
    Shift,
)
from lms.people import learner_create
from lms.roles import CENTER_MANAGER, LEARNER, PROGRAMME_ADMIN, TRAINER, roles_sync

from . import clock, texts

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


# Cohort names of an older demo ("Digital literacy 2026 – School hours"): renamed to today's.
_OLD_COHORT_NAME = re.compile(r"^(Digital literacy|Freelancing) \d{4} – ")


def demo_center_codes() -> list[str]:
    return [code for _district, code, _name in SCHOOL_LABS + TECH_HUBS]


def center_kind_key(center: Center) -> str:
    return "school_lab" if center.kind == Center.Kind.SCHOOL_LAB else "tech_hub"


def demo_learner_usernames(center: Center) -> list[tuple[str, str, int]]:
    """(username, "student" or "youth", number) of every demo learner of ``center``, e.g.
    ``("student.glt1", "student", 1)``."""
    counts = texts.load("network")["learners"][center_kind_key(center)]
    return [
        (f"{prefix}.{center.code.lower()}{number}", prefix, number)
        for prefix in ("student", "youth")
        for number in range(1, counts.get(prefix, 0) + 1)
    ]


@transaction.atomic
def demo_network_seed() -> list[DemoLogin]:
    """Create (or bring up to date) the demo centers, people and cohorts: every center has a
    manager, a trainer and a cohort in each shift it offers, with its learners.

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
    data = texts.load("network")
    for code, center in centers.items():
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
        names = data["cohorts"][center_kind_key(center)]
        cohorts = {
            shift: _cohort_upsert(center, shift, names[shift], trainer) for shift in center.shifts
        }
        for username, prefix, number in demo_learner_usernames(center):
            learner_type = (
                LearnerProfile.LearnerType.STUDENT
                if prefix == "student"
                else LearnerProfile.LearnerType.YOUTH
            )
            full_name = f"Demo {prefix.title()} {code} {number}"
            # Students are school children (about 13), youth adults (about 20): ages from today.
            age = (12 if prefix == "student" else 19) + number % 3
            user = _learner_upsert(
                username,
                center,
                learner_type,
                full_name=full_name,
                year_of_birth=clock.today().year - age,
                preferred_language="ur" if number == 2 else "en",
                demo_hash=demo_hash,
            )
            shift = Shift.SCHOOL_HOURS if prefix == "student" else Shift.SECOND_SHIFT
            # The learner's class in their shift (demo.learning enrols them through it).
            CohortMembership.objects.get_or_create(cohort=cohorts[shift], learner=user)
            # Students are minors with a guardian's consent, so every demo certificate names its
            # holder (lms.consent).
            if prefix == "student" and guardian_consent_current(learner_user=user) is None:
                guardian = data["guardian"]
                guardian_consent_record(
                    manager=manager,
                    learner_user=user,
                    guardian_name=guardian["name"].format(full_name=full_name),
                    relationship=guardian["relationship"],
                    method=GuardianConsent.Method.PAPER_FORM,
                    given_on=min(cohorts[shift].start_date, clock.today()),
                    note=guardian["note"],
                )
    return logins


def _cohort_upsert(center: Center, shift: str, name: str, trainer) -> Cohort:
    """The center's demo cohort in ``shift`` (its first cohort in that shift), made when missing
    with the term's start date; an older demo's cohort gets today's name."""
    cohort = Cohort.objects.filter(center=center, shift=shift).order_by("pk").first()
    if cohort is None:
        cohort = Cohort.objects.create(
            center=center, shift=shift, name=name, start_date=clock.term_start()
        )
    elif cohort.name != name and _OLD_COHORT_NAME.match(cohort.name):
        cohort.name = name
        cohort.save(update_fields=["name"])
    cohort.trainers.add(trainer)
    return cohort


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
    wanted = {
        "learner_type": learner_type,
        "home_center": center,
        "full_name": full_name,
        "preferred_language": preferred_language,
    }
    profile, _created = LearnerProfile.objects.get_or_create(user=user, defaults=wanted)
    if profile.year_of_birth is None:  # kept once set: the demo's ages count from today
        wanted["year_of_birth"] = year_of_birth
    changed = [name for name, value in wanted.items() if getattr(profile, name) != value]
    if changed:  # saved only when something differs: a second run writes nothing
        for name in changed:
            setattr(profile, name, wanted[name])
        profile.save(update_fields=changed)
    return user
