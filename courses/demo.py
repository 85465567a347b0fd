"""Demo curriculum for seed_demo (being written)."""


def demo_curriculum_seed() -> None:
    """Create the demo tracks, courses and lessons; safe to run again."""
