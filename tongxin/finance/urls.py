"""Finance's pages (``docs/finance.md``): the public page of a published statement, its PDF,
residents' questions on its lines and the keepers' answers."""

from django.urls import path

from tongxin.finance.views import public, questions

urlpatterns = [
    # Public, no login: a published quarterly statement with its lines, and as a PDF.
    path("statements/<int:pk>/", public.statement, name="finance-statement"),
    path("statements/<int:pk>/pdf/", public.statement_pdf, name="finance-statement-pdf"),
    # A resident's question on one line (login).
    path("statements/<int:pk>/ask/", public.ask, name="finance-ask"),
    # The keepers answer.
    path("questions/", questions.question_list, name="finance-questions"),
]
