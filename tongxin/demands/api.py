"""API for demands (/api/v1/demands/, /api/v1/categories/): the same scope and masking as the workbench.

Staff see the demands of their places (dispatchers, supervisors) and those dispatched to
them (handlers). A handler who is only the handler (often the property company the
complaint is about) never sees who reported it, nor the resident's words with a rating.
The list takes filters (``DemandFilterSerializer``: a bad value is a 400 naming it) and
pages by cursor. Actions go through ``demands.services``. ``docs/api.md`` describes it.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tongxin.core import privacy
from tongxin.core.api import ScopedViewSet
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place, User
from tongxin.demands import merging, rules, selectors, services
from tongxin.demands.apps import DISPATCH
from tongxin.demands.duplicates import likely_duplicates
from tongxin.demands.models import Category, Demand, DemandEvent


class DemandEventSerializer(serializers.ModelSerializer):
    """One step of the timeline as the workbench shows it: by role, never by name."""

    action_label = serializers.SerializerMethodField()
    role = serializers.SerializerMethodField(help_text="Who acted, by role (never a name)")
    state_label = serializers.SerializerMethodField(help_text="The state reached; empty when it did not change")
    note = serializers.SerializerMethodField()

    class Meta:
        model = DemandEvent
        fields = ["at", "action", "action_label", "from_state", "to_state", "state_label", "actor_role", "role",
                  "note"]

    def get_action_label(self, event) -> str:
        return str(event.get_action_display())

    def get_role(self, event) -> str:
        return str(rules.ROLE_LABELS.get(event.actor_role, ""))

    def get_state_label(self, event) -> str:
        state = rules.STATES.get(event.to_state)
        return str(state.label) if state and event.to_state != event.from_state else ""

    def get_note(self, event) -> str:
        if event.action == "rate" and self.context.get("handler_only"):
            return event.note.split(" ", 1)[0]  # "满意 <their words>": the rating, not the words
        return event.note


class ReporterSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField(help_text="Masked")


class DemandSerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reporter = serializers.SerializerMethodField()
    affected = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    rating_comment = serializers.SerializerMethodField(
        help_text="The resident's words with the rating; null for a handler who is only the handler")

    class Meta:
        model = Demand
        fields = ["id", "tracking_code", "place", "category", "description", "source", "state", "reporter",
                  "affected", "created_at", "updated_at", "closed_at", "rating", "rating_comment", "rated_at",
                  "actions"]

    def _roles(self, demand) -> set[str]:
        request = self.context.get("request")
        return services.roles_of(request.user, demand) if request else set()

    @extend_schema_field(ReporterSerializer(allow_null=True))
    def get_reporter(self, demand) -> dict | None:
        if self._roles(demand) == {rules.HANDLER}:
            return None  # the party a complaint may be about does not learn who made it
        return {"name": demand.reporter_name, "phone": privacy.mask_phone(demand.reporter_phone)}

    def get_rating_comment(self, demand) -> str | None:
        if self._roles(demand) == {rules.HANDLER}:
            return None
        return demand.rating_comment

    def get_affected(self, demand) -> int:
        return 1 + len(demand.me_too.all())

    def get_actions(self, demand) -> list[str]:
        """The steps the act route takes; a merge has its own route (it names the target)."""
        return rules.step_actions(demand.state, self._roles(demand))


class ActSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(rules.ACTIONS))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    handler = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text="For dispatch and reassign: a user id from the candidates route")
    handler_phone = serializers.CharField(required=False, allow_blank=True, max_length=20, default="",
                                          help_text="Or the handler's login phone")
    office = serializers.CharField(required=False, allow_blank=True, max_length=100, default="",
                                   help_text="For refer: the office it goes to")
    contact = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    reference = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="demand.pk")
    tracking_code = serializers.CharField(source="demand.tracking_code")
    place = serializers.CharField(source="demand.place.code")
    category = serializers.CharField(source="demand.category.code")
    created_at = serializers.DateTimeField(source="demand.created_at")
    description = serializers.CharField(source="demand.description")
    score = serializers.FloatField(help_text="0..1; listed when at or above the duplicate threshold")


class MergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(help_text="The demand that carries the work (one of the duplicates listed)")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.pk")
    name = serializers.CharField(source="user.name")
    roles = serializers.ListField(child=serializers.CharField())


class DemandFilterSerializer(serializers.Serializer):
    """The list's filters, each optional; together they narrow (AND). A bad value is a 400."""

    state = serializers.ChoiceField(choices=list(rules.STATES), required=False, help_text="A workflow state")
    category = serializers.SlugField(max_length=40, required=False, help_text="A category code (/api/v1/categories/)")
    place = serializers.CharField(max_length=64, required=False,
                                  help_text="A place code: demands at that place or anywhere under it")
    created_after = serializers.DateTimeField(required=False, help_text="ISO 8601; reported at or after")
    created_before = serializers.DateTimeField(required=False, help_text="ISO 8601; reported before")
    updated_after = serializers.DateTimeField(required=False, help_text="ISO 8601; changed at or after")

    def validate_category(self, code):
        category = Category.objects.filter(code=code).first()
        if category is None:
            raise serializers.ValidationError(f"no category with the code {code!r}")
        return category

    def validate_place(self, code):
        place = Place.objects.filter(code=code).only("pk", "path", "path_end").first()
        if place is None:
            raise serializers.ValidationError(f"no place with the code {code!r}")
        return place

    def validate(self, data):
        after, before = data.get("created_after"), data.get("created_before")
        if after and before and after > before:
            raise serializers.ValidationError({"created_before": "must not be earlier than created_after"})
        return data

    def narrow(self, queryset):
        data = self.validated_data
        if "state" in data:
            queryset = queryset.filter(state=data["state"])
        if "category" in data:
            queryset = queryset.filter(category=data["category"])
        if "place" in data:
            place = data["place"]
            queryset = queryset.filter(place_path__gte=place.path, place_path__lt=place.path_end)
        if "created_after" in data:
            queryset = queryset.filter(created_at__gte=data["created_after"])
        if "created_before" in data:
            queryset = queryset.filter(created_at__lt=data["created_before"])
        if "updated_after" in data:
            queryset = queryset.filter(updated_at__gte=data["updated_after"])
        return queryset


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


#: A refused filter or body: {"field": ["what is wrong"]}, DRF's own shape.
BAD_REQUEST = OpenApiResponse(description="A parameter is invalid: each named with what is wrong")
REFUSED = {400: BAD_REQUEST, 404: OpenApiResponse(description="Not among the caller's demands"),
           409: OpenApiResponse(ErrorSerializer, description="The workflow does not allow it now")}


@extend_schema_view(
    list=extend_schema(parameters=[DemandFilterSerializer], responses={200: DemandSerializer(many=True),
                                                                       400: BAD_REQUEST}),
)
class DemandViewSet(ScopedViewSet):
    """Demands of the caller's places, and those dispatched to the caller."""

    queryset = Demand.objects.select_related("place", "category").prefetch_related("me_too").order_by("id")
    serializer_class = DemandSerializer
    permission = DISPATCH
    permission_classes = [permissions.IsAuthenticated]  # handlers hold no place permission: scope decides

    def scope(self):
        return selectors.visible_q(self.request.user)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset  # a demand by its id is found whatever the filters say
        given = DemandFilterSerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        return given.narrow(queryset)

    @extend_schema(responses=DemandEventSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def timeline(self, request, pk=None):
        """The demand's steps, oldest first, as the workbench shows them: by role, never by name."""
        demand = self.get_object()
        # A handler who is only the handler does not read the resident's words with a rating.
        handler_only = services.roles_of(request.user, demand) == {rules.HANDLER}
        context = {**self.get_serializer_context(), "handler_only": handler_only}
        return Response(DemandEventSerializer(demand.events.all(), many=True, context=context).data)

    @extend_schema(responses=CandidateSerializer(many=True))
    @action(detail=True)
    def candidates(self, request, pk=None):
        """Who this demand may be dispatched to (``demands.selectors.handler_candidates``)."""
        demand = self.get_object()
        return Response(CandidateSerializer(selectors.handler_candidates(demand.place), many=True).data)

    @extend_schema(request=ActSerializer, responses={200: DemandSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def act(self, request, pk=None):
        demand = self.get_object()
        given = ActSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        handler = None
        if data["handler"] is not None:
            handler = User.objects.filter(pk=data["handler"], is_active=True).first()
        elif data["handler_phone"]:
            handler = User.objects.filter(phone=data["handler_phone"], is_active=True).first()
        referral = {key: data[key] for key in services.REFERRAL_FIELDS}
        try:
            demand = services.act(request.user, demand, data["action"], note=data["note"], handler=handler,
                                  referral=referral)
        except rules.NotAllowed as refused:
            return Response({"code": "not_allowed", "message": str(refused)}, status=status.HTTP_409_CONFLICT)
        except RefusedError as refused:
            return Response({"code": refused.code, "message": refused.message}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(demand).data)


    @extend_schema(responses=DuplicateSerializer(many=True))
    @action(detail=True)
    def duplicates(self, request, pk=None):
        """Open demands nearby that likely report the same problem (``demands.duplicates``)."""
        found = likely_duplicates(self.get_object(), request.user)
        return Response(DuplicateSerializer([{"demand": d, "score": round(s, 3)} for d, s in found], many=True).data)

    @extend_schema(request=MergeSerializer, responses={200: DemandSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge this demand into ``into``: it closes as merged, its reporter follows ``into``."""
        demand = self.get_object()
        given = MergeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        into = self.get_queryset().filter(pk=given.validated_data["into"]).first()
        if into is None:
            return Response({"code": "not_found", "message": "no such demand"}, status=status.HTTP_404_NOT_FOUND)
        try:
            demand = merging.merge(request.user, demand, into, note=given.validated_data["note"])
        except rules.NotAllowed as refused:
            return Response({"code": "not_allowed", "message": str(refused)}, status=status.HTTP_409_CONFLICT)
        except RefusedError as refused:
            return Response({"code": refused.code, "message": refused.message}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(demand).data)


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "name_en", "sensitive", "tier", "order"]


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The public catalogue of demand categories (the QR page's list), for any signed-in caller."""

    queryset = Category.objects.filter(active=True).order_by("order", "id")
    serializer_class = CategorySerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None  # a short catalogue: one answer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"


def register_api(router) -> None:
    router.register("demands", DemandViewSet, basename="demand")
    router.register("categories", CategoryViewSet, basename="category")
