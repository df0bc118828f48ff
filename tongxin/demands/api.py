"""API for demands (/api/v1/demands/): the same scope and masking as the workbench.

Staff see the demands of their places (dispatchers, supervisors) and those dispatched to
them (handlers). A handler who is only the handler (often the property company the
complaint is about) never sees who reported it. Actions go through ``demands.services``.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tongxin.core import privacy
from tongxin.core.api import ScopedViewSet
from tongxin.core.errors import RefusedError
from tongxin.core.models import User
from tongxin.demands import merging, rules, selectors, services
from tongxin.demands.apps import DISPATCH
from tongxin.demands.duplicates import likely_duplicates
from tongxin.demands.models import Demand, DemandEvent


class DemandEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = DemandEvent
        fields = ["at", "action", "from_state", "to_state", "actor_role", "note"]


class DemandSerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reporter = serializers.SerializerMethodField()
    affected = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Demand
        fields = ["id", "tracking_code", "place", "category", "description", "source", "state", "reporter",
                  "affected", "created_at", "closed_at", "rating", "actions"]

    def _roles(self, demand) -> set[str]:
        request = self.context.get("request")
        return services.roles_of(request.user, demand) if request else set()

    def get_reporter(self, demand) -> dict | None:
        if self._roles(demand) == {rules.HANDLER}:
            return None  # the party a complaint may be about does not learn who made it
        return {"name": demand.reporter_name, "phone": privacy.mask_phone(demand.reporter_phone)}

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


class DemandViewSet(ScopedViewSet):
    """Demands of the caller's places, and those dispatched to the caller."""

    queryset = Demand.objects.select_related("place", "category").prefetch_related("me_too").order_by("id")
    serializer_class = DemandSerializer
    permission = DISPATCH
    permission_classes = [permissions.IsAuthenticated]  # handlers hold no place permission: scope decides
    filter_params = {"state": "state", "category": "category__code", "place": "place__code"}

    def scope(self):
        return selectors.visible_q(self.request.user)

    @action(detail=True)
    def timeline(self, request, pk=None):
        demand = self.get_object()
        return Response(DemandEventSerializer(demand.events.all(), many=True).data)

    @extend_schema(responses=CandidateSerializer(many=True))
    @action(detail=True)
    def candidates(self, request, pk=None):
        """Who this demand may be dispatched to (``demands.selectors.handler_candidates``)."""
        demand = self.get_object()
        return Response(CandidateSerializer(selectors.handler_candidates(demand.place), many=True).data)

    @extend_schema(request=ActSerializer, responses=DemandSerializer)
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

    @extend_schema(request=MergeSerializer, responses=DemandSerializer)
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


def register_api(router) -> None:
    router.register("demands", DemandViewSet, basename="demand")
