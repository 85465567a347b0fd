from django.dispatch import Signal

# Sent by courses.services when an enrollment becomes complete; kwargs: enrollment.
# Higher apps (certificates) connect a one-line receiver in their apps.py.
enrollment_completed = Signal()
