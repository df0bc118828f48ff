"""Settings for the HTTP benchmark: Tongxin's, plus a bare one-row insert view to compare with."""

from tongxin.settings import *  # noqa: F403

ROOT_URLCONF = "http_urls"
