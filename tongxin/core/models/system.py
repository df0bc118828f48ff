from django.db import models


class DemoRun(models.Model):
    """A mechanism's demo data was loaded (so ``tongxin demo`` loads each only once)."""

    app_label = models.CharField(max_length=100, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
