"""``seed_demo``'s steps, in order: each builds on the ones before and is idempotent."""

from assessments.review import question_review_setup
from courses.authoring import curriculum_review_setup
from lms.media import media_collections_sync

from .accounts import DemoAccounts, demo_accounts
from .assessments import demo_assessments_seed
from .certificates import demo_certificates_seed
from .classroom import demo_classroom_seed
from .curriculum import demo_curriculum_seed
from .learning import demo_completions_seed, demo_learning_seed
from .network import demo_network_seed
from .reports import demo_reports_seed

STEPS = [
    media_collections_sync,  # before the curriculum files its images into collections
    demo_curriculum_seed,
    curriculum_review_setup,
    demo_learning_seed,
    demo_assessments_seed,
    question_review_setup,
    demo_completions_seed,  # the finishers pass the assessments made in the step before
    demo_certificates_seed,
    demo_classroom_seed,
    demo_reports_seed,
]


def demo_seed() -> DemoAccounts:
    """The demo network, then every step; returns the accounts to print.

    Raises :class:`demo.network.DemoAccountConflict` (nothing saved) when a demo username
    belongs to somebody else's account.
    """
    demo_network_seed()
    for step in STEPS:
        step()
    return demo_accounts()
