"""The table ``seed_demo`` prints: one demo account for each role, all with the one demo
password, and the verification codes of a valid and a revoked demo certificate (an employer
needs no account). Read from the database after seeding, so it names what really exists."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from certificates.models import Certificate

from .certificates import REVOKED_HOLDER
from .network import DEMO_PASSWORD, demo_center_codes

# (role shown, username); the certificate holder is Gilgit's finisher (demo.learning.STAGES).
ROLES = [
    ("Programme admin", "admin"),
    ("Center manager", "manager.glt"),
    ("Trainer", "trainer.glt"),
    ("Learner: student", "student.glt1"),
    ("Learner: youth", "youth.glt1"),
    ("Learner with a certificate", "student.glt2"),
]


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    center: str


@dataclass(frozen=True)
class DemoAccounts:
    accounts: list[DemoAccount]
    center_codes: list[str]  # every center has manager.<code> and trainer.<code>
    valid_code: str  # a valid certificate's verification code, as printed on it
    revoked_code: str


def demo_accounts() -> DemoAccounts:
    users = {
        user.username: user
        for user in get_user_model()
        .objects.filter(username__in=[username for _role, username in ROLES])
        .select_related("learner_profile__home_center")
        .prefetch_related("center_roles__center")
    }
    accounts = []
    for role, username in ROLES:
        user = users.get(username)
        if user is None:
            continue
        accounts.append(DemoAccount(role, username, _center_of(user)))
    certificates = Certificate.objects.order_by("pk")
    valid = (
        certificates.filter(
            status=Certificate.Status.ISSUED, enrollment__learner__username="student.glt2"
        ).first()
        or certificates.filter(status=Certificate.Status.ISSUED).first()
    )
    revoked = (
        certificates.filter(
            status=Certificate.Status.REVOKED, enrollment__learner__username=REVOKED_HOLDER
        ).first()
        or certificates.filter(status=Certificate.Status.REVOKED).first()
    )
    return DemoAccounts(
        accounts=accounts,
        center_codes=[code.lower() for code in demo_center_codes()],
        valid_code=valid.display_code if valid else "",
        revoked_code=revoked.display_code if revoked else "",
    )


def _center_of(user) -> str:
    if user.is_superuser:
        return "all centers"
    profile = getattr(user, "learner_profile", None)
    if profile is not None:
        return profile.home_center.name
    roles = list(user.center_roles.all())
    return roles[0].center.name if roles else ""


def demo_accounts_lines(accounts: DemoAccounts) -> list[str]:
    """The printed table, one line per row."""
    rows = [("Role", "Username", "Center")]
    rows += [(a.role, a.username, a.center) for a in accounts.accounts]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = [f"  {r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}".rstrip() for r in rows]
    lines.insert(1, "  " + "-" * (sum(widths) + 4 + max(len(r[2]) for r in rows)))
    lines += [
        "  Every center has its own manager.<code> and trainer.<code>, codes: "
        + ", ".join(accounts.center_codes),
        f"  Password of every demo account: {DEMO_PASSWORD}",
        "  An employer needs no account: verify a certificate at /verify/ with the code",
        f"    {accounts.valid_code or '(none)'}  (valid)",
        f"    {accounts.revoked_code or '(none)'}  (revoked)",
    ]
    return lines
