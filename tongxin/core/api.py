"""The API base every mechanism's routes build on.

* :class:`ScopedViewSet` filters its queryset through ``core.access`` for the viewset's
  ``permission`` on its ``scope_path`` field: a record outside the caller's scope is a 404.
* :class:`MaskedPhoneField` / :class:`MaskedIdNumberField` render personal data masked
  unless the caller may see it for that record (and then log the read).
* ``core.pagination.KeysetPagination`` (the default) pages by a cursor, never by OFFSET.
* :func:`build_router` collects every mechanism's ``api_routes``.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import permissions, serializers, views, viewsets
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from tongxin.core import access, privacy
from tongxin.core.registry import mechanisms


class HasScopedPermission(permissions.BasePermission):
    """The caller holds the viewset's permission somewhere (records are then scoped)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and access.has_permission(user, view.permission))


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    permission: str = ""
    scope_path: str = "path"
    #: Query parameter -> ORM lookup, e.g. ``{"kind": "kind"}`` for ``?kind=party_branch``.
    filter_params: dict[str, str] = {}
    permission_classes = [permissions.IsAuthenticated, HasScopedPermission]

    def scope(self):
        return access.path_filter(self.request.user, self.permission, self.scope_path)

    def get_queryset(self):
        queryset = super().get_queryset().filter(self.scope())
        for param, lookup in self.filter_params.items():
            value = self.request.query_params.get(param)
            if value:
                queryset = queryset.filter(**{lookup: value})
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context.setdefault("personal_reads", [])
        self._personal_reads = context["personal_reads"]
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        # Unmasked values shown in this response are logged in one statement, not one per row.
        reads = getattr(self, "_personal_reads", None)
        if reads and response.status_code < 400:
            from tongxin.core.models import PersonalDataRead

            PersonalDataRead.objects.bulk_create(reads)
        return super().finalize_response(request, response, *args, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class _PersonalField(serializers.Field):
    """Reads ``source`` from a person; masked unless the caller may see it unmasked."""

    fields_name = ""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def raw_value(self, person) -> str:
        raise NotImplementedError

    def mask(self, value: str) -> str:
        raise NotImplementedError

    def to_representation(self, person):
        value = self.raw_value(person)
        request = self.context.get("request")
        if value and request is not None and privacy.can_see_personal(request.user, person):
            from tongxin.core.models import PersonalDataRead

            read = PersonalDataRead(
                user=request.user, person=person, fields=self.fields_name, context=f"API {request.path}"[:200]
            )
            reads = self.context.get("personal_reads")
            if reads is None:
                read.save()
            else:
                reads.append(read)
            return value
        return self.mask(value)


class MaskedPhoneField(_PersonalField):
    fields_name = "phone"

    def raw_value(self, person):
        return person.phone

    def mask(self, value):
        return privacy.mask_phone(value)


class MaskedIdNumberField(_PersonalField):
    fields_name = "id_number"

    def raw_value(self, person):
        return privacy.id_number_of(person)

    def mask(self, value):
        return privacy.mask_id_number(value)


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for config in mechanisms():
        register = config.resolve("api_routes")
        if register:
            register(router)
    return router


class TokenRequestSerializer(serializers.Serializer):
    phone = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenView(views.APIView):
    """Exchange phone + password for an API token, under the same throttle as the login page."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer, responses={200: inline_serializer("Token", {"token": serializers.CharField()})}
    )
    def post(self, request):
        from rest_framework.authtoken.models import Token

        from tongxin.core.forms import LoginForm

        given = TokenRequestSerializer(data=request.data)  # a body that is no object is refused here
        if not given.is_valid():
            return Response({"code": "login_refused", "detail": "Give phone and password"}, status=400)
        form = LoginForm(request._request, data=given.validated_data)
        if not form.is_valid():
            errors = [str(e) for messages in form.errors.values() for e in messages]
            return Response({"code": "login_refused", "detail": " ".join(errors)}, status=400)
        token, _created = Token.objects.get_or_create(user=form.user)
        return Response({"token": token.key})
