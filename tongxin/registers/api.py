"""API resources for the registers: places, households and residents (/api/v1/...)."""

from rest_framework import serializers

from tongxin.core import access
from tongxin.core.api import MaskedIdNumberField, MaskedPhoneField, ScopedViewSet
from tongxin.core.models import Household, Person, Place
from tongxin.core.roles import VIEW_REGISTER, VIEW_TREE
from tongxin.core.tags import TAG_BY_CODE


class PlaceSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Place
        fields = ["id", "code", "name", "kind", "parent", "depth", "address"]


class HouseholdSerializer(serializers.ModelSerializer):
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Household
        fields = ["id", "place", "unit_number", "floor_area", "tenure"]


class ResidentSerializer(serializers.ModelSerializer):
    phone = MaskedPhoneField()
    id_number = MaskedIdNumberField()
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "name", "gender", "birth_date", "household", "phone", "id_number", "tags"]

    def get_tags(self, person) -> list[str]:
        from tongxin.core import privacy

        request = self.context.get("request")
        full = request is not None and privacy.can_see_personal(request.user, person)
        return [t.tag for t in person.tags.all() if full or not TAG_BY_CODE[t.tag].sensitive]


class PlaceViewSet(ScopedViewSet):
    """Places the caller may see; ``?parent=<code>`` lists one place's children."""

    queryset = Place.objects.select_related("parent")
    serializer_class = PlaceSerializer
    permission = VIEW_TREE
    scope_path = "path"
    lookup_field = "code"
    filter_params = {"parent": "parent__code"}


class HouseholdViewSet(ScopedViewSet):
    queryset = Household.objects.select_related("place").filter(closed_on__isnull=True)
    serializer_class = HouseholdSerializer
    permission = VIEW_REGISTER
    scope_path = "place_path"


class ResidentViewSet(ScopedViewSet):
    """Residents of the caller's places, and members of the caller's organisations."""

    queryset = Person.objects.prefetch_related("tags")
    serializer_class = ResidentSerializer
    permission = VIEW_REGISTER

    def scope(self):
        return access.person_filter(self.request.user, self.permission)


def register_api(router) -> None:
    router.register("places", PlaceViewSet, basename="place")
    router.register("households", HouseholdViewSet, basename="household")
    router.register("residents", ResidentViewSet, basename="resident")
