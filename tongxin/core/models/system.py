from django.db import models


class DemoRun(models.Model):
    """A mechanism's demo data was loaded (so ``tongxin demo`` loads each only once)."""

    app_label = models.CharField(max_length=100, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)


class SubmittedForm(models.Model):
    """A form submission already acted on: its one-time key makes a double click a no-op.

    Pages put a fresh key in each form; the service that acts on it inserts the key in
    the same transaction, so of two identical submissions exactly one wins (the unique
    index decides) and the other is told it was already done.
    """

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey("core.User", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
