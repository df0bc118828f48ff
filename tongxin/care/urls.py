"""Care's pages, by part (``docs/care.md``)."""

from django.urls import path  # noqa: F401

urlpatterns = []

# --- the register and pairing ------------------------------------------------------------
urlpatterns += []

# --- visits and campaigns ----------------------------------------------------------------
urlpatterns += []
