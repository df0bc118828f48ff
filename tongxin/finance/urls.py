"""Finance's pages (``docs/finance.md``). So far the public page of a published statement."""

from django.urls import path

from tongxin.finance.views import public

urlpatterns = [
    # Public, no login: a published quarterly statement with its lines.
    path("statements/<int:pk>/", public.statement, name="finance-statement"),
]
