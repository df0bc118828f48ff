"""API keys for other systems (Open311 clients, provincial platforms)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A client's key: shown once when issued (``prefix`` + secret); only a digest is kept.
    A key reaches only the places it lists and what lies under them."""

    name = models.CharField(_("client"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=12, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    places = models.ManyToManyField("core.Place", related_name="+", verbose_name=_("places"))
    per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class ClientRequest(models.Model):
    """What an Open311 client sent with a demand beyond the demand itself: which key, and the
    specification's fields Tongxin keeps for the client (its account and device ids, e-mail,
    a link to its media). Names and phones go to the demand, masked like any other."""

    demand = models.OneToOneField("demands.Demand", on_delete=models.CASCADE, related_name="open311")
    key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="requests")
    account_id = models.CharField(max_length=100, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
