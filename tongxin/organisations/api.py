from rest_framework import serializers

from tongxin.core.api import ScopedViewSet
from tongxin.core.models import Organisation
from tongxin.organisations.apps import VIEW_ORGANISATIONS


class OrganisationSerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "kind", "subtype", "parent", "place", "is_temporary", "started_on", "ended_on"]


class OrganisationViewSet(ScopedViewSet):
    """Organisations based in the caller's places; ``?kind=party_branch`` filters."""

    queryset = Organisation.objects.select_related("place", "parent")
    serializer_class = OrganisationSerializer
    permission = VIEW_ORGANISATIONS
    scope_path = "place__path"
    lookup_field = "code"
    filter_params = {"kind": "kind"}


def register_api(router) -> None:
    router.register("organisations", OrganisationViewSet, basename="organisation")
