"""Finance's pages (``docs/finance.md``): the public page of a published statement, its PDF,
residents' questions on its lines and the keepers' answers; the staff's books."""

from django.urls import path

from tongxin.finance.views import public, questions, staff

urlpatterns = [
    # Public, no login: a published quarterly statement with its lines, and as a PDF.
    path("statements/<int:pk>/", public.statement, name="finance-statement"),
    path("statements/<int:pk>/pdf/", public.statement_pdf, name="finance-statement-pdf"),
    # A resident's question on one line (login).
    path("statements/<int:pk>/ask/", public.ask, name="finance-ask"),
    # The keepers answer.
    path("questions/", questions.question_list, name="finance-questions"),
]

# --- staff pages (finance.view at the compound; writes finance.keep) ---------------------
urlpatterns += [
    path("books/", staff.books, name="finance-books"),
    path("books/<int:pk>/", staff.ledger_view, name="finance-ledger"),
    path("books/<int:pk>/new/", staff.entry_new, name="finance-entry-new"),
    path("books/<int:pk>/statements/", staff.statement_list, name="finance-statements"),
    path("books/statements/<int:pk>/", staff.statement_draft, name="finance-statement-draft"),
    path("entries/<int:pk>/approve/", staff.entry_approve, name="finance-entry-approve"),
    path("entries/<int:pk>/review/", staff.entry_review, name="finance-entry-review"),
    path("entries/<int:pk>/voucher/", staff.voucher, name="finance-voucher"),
]
