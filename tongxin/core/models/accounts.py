"""Login accounts (phone + password), failed-login records and the personal-data read log."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone, password=None, **extra):
        if not phone:
            raise ValueError("phone is required")
        user = self.model(phone=phone, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    phone = models.CharField(_("phone"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("For notices by e-mail; optional."))
    person = models.OneToOneField(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="user", verbose_name=_("person")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("back-office access"), default=False)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.phone


class LoginFailure(models.Model):
    """One failed login; the throttle counts recent rows per phone and per address."""

    phone = models.CharField(max_length=20, db_index=True)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip", "at"], name="loginfailure_ip_at")]


class PersonalDataRead(models.Model):
    """Who saw which person's unmasked personal information, when, and where.

    Someone outside the registers (a QR report's or a wish's contact) is named by a keyed
    hash of their phone (``privacy.phone_hash``): the read is logged all the same, and a
    request "who saw my data" finds it by the phone without the log holding the number."""

    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    fields = models.CharField(max_length=100)
    context = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data read")
        verbose_name_plural = _("personal data reads")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) | ~Q(phone_hash=""), name="read_names_someone"),
        ]
