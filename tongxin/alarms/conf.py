"""The alarms' knobs: ``TONGXIN_ALARMS_*`` variables, or the same names in settings (tests)."""

from django.conf import settings

from tongxin.env import env_int


def _value(name: str, default: int) -> int:
    return getattr(settings, name, None) or env_int(name, default)


def ack_seconds() -> int:
    """Nobody acknowledged within this: the alarm goes one level up (5 minutes)."""
    return _value("TONGXIN_ALARMS_ACK_SECONDS", 300)


def sweep_seconds() -> int:
    return _value("TONGXIN_ALARMS_SWEEP_SECONDS", 30)


def silent_hours() -> int:
    """A device without a heartbeat for longer is listed as silent on the duty screen."""
    return _value("TONGXIN_ALARMS_SILENT_HOURS", 26)
