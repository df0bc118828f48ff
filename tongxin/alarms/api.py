"""The devices' API: ``POST /api/v1/alarms/`` raises (or joins) an alarm, ``POST
/api/v1/alarms/heartbeat/`` says the device is alive. A device authenticates with its id and
secret (in the body, or ``Authorization: Bearer <id>-<secret>``); no user login."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tongxin.alarms.services import alarms as services
from tongxin.core.errors import RefusedError


class PressSerializer(serializers.Serializer):
    device = serializers.IntegerField(min_value=1, max_value=2**62, required=False,
                                      help_text="The device's id (or give a bearer token)")
    secret = serializers.CharField(max_length=200, required=False, trim_whitespace=False)
    drill = serializers.BooleanField(required=False, default=False, help_text="A drill: marked, never escalates")


Answer = inline_serializer("AlarmPressed", {"alarm": serializers.IntegerField(), "joined": serializers.BooleanField(),
                                            "drill": serializers.BooleanField()})
Refusal = inline_serializer("AlarmRefused", {"code": serializers.CharField(required=False),
                                             "detail": serializers.CharField()})


class AlarmIntakeViewSet(viewsets.ViewSet):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    serializer_class = PressSerializer

    def _credentials(self, request) -> tuple[object, str, bool]:
        given = PressSerializer(data=request.data if isinstance(request.data, dict) else {})
        if not given.is_valid():
            raise RefusedError("request_invalid", "请求格式不对", "Give device, secret and optionally drill")
        data = given.validated_data
        device_id, secret = data.get("device"), data.get("secret", "")
        bearer = request.headers.get("Authorization", "")
        if bearer.startswith("Bearer "):
            device_id, _sep, secret = bearer[7:].strip().partition("-")
        return device_id, secret, data.get("drill", False)

    def _device(self, request):
        device_id, secret, drill = self._credentials(request)
        return services.authenticate(device_id, secret), drill

    @extend_schema(request=PressSerializer, responses={201: Answer, 200: Answer, 400: Refusal, 403: Refusal})
    def create(self, request):
        try:
            device_id, secret, drill = self._credentials(request)
            pressed = services.raise_alarm(device_id, secret, drill=drill)
        except RefusedError as refused:
            return Response({"code": refused.code, "detail": refused.message},
                            status=400 if refused.code == "request_invalid" else 403)
        answer = {"alarm": pressed.alarm_id, "joined": not pressed.created, "drill": pressed.drill}
        return Response(answer, status=201 if pressed.created else 200)

    @extend_schema(request=PressSerializer, responses={204: OpenApiResponse(description="Noted"), 400: Refusal,
                                                        403: Refusal})
    @action(detail=False, methods=["post"])
    def heartbeat(self, request):
        try:
            device, _drill = self._device(request)
        except RefusedError as refused:
            return Response({"code": refused.code, "detail": refused.message},
                            status=400 if refused.code == "request_invalid" else 403)
        services.heartbeat(device)
        return Response(status=204)


def register_api(router) -> None:
    router.register("alarms", AlarmIntakeViewSet, basename="alarms")
