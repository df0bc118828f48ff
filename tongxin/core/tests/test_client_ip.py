"""Which address a request comes from, directly and behind a trusted reverse proxy."""

import pytest
from django.test import RequestFactory

from tongxin.core.throttle import client_ip


@pytest.mark.parametrize(("trusted", "remote", "forwarded", "expected"), [
    ((), "203.0.113.5", "", "203.0.113.5"),
    ((), "203.0.113.5", "198.51.100.7", "203.0.113.5"),  # no proxy trusted: a forged header is ignored
    (("127.0.0.1",), "127.0.0.1", "198.51.100.7", "198.51.100.7"),  # nginx on the same machine
    (("127.0.0.1",), "127.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client wrote the first
    (("127.0.0.1", "10.0.0.2"), "127.0.0.1", "198.51.100.7, 10.0.0.2", "198.51.100.7"),  # two proxies
    (("127.0.0.1",), "127.0.0.1", "", "127.0.0.1"),
    (("127.0.0.1",), "203.0.113.5", "198.51.100.7", "203.0.113.5"),  # not from the proxy
])
def test_client_ip(settings, trusted, remote, forwarded, expected):
    settings.TONGXIN_TRUSTED_PROXIES = frozenset(trusted)
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
