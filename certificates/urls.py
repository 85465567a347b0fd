"""Public verification URLs (being written)."""

urlpatterns: list = []
