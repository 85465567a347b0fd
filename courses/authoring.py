"""Who may author and publish curriculum pages, and the review workflow (being written)."""


def curriculum_review_setup() -> None:
    """Set up trainer/reviewer page permissions and the review workflow; idempotent."""
