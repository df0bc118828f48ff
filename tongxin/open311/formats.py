"""Open311 GeoReport v2 answers in JSON and in XML, shaped as the specification shows them
(http://wiki.open311.org/GeoReport_v2): a list of records in JSON; a root element with one
child element per record in XML, field elements inside, lists nested with singular tags,
booleans as ``true``/``false``, absent values as empty elements."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from django.http import HttpResponse

#: A list's element name -> the name of each item's element.
ITEM_TAGS = {
    "services": "service", "attributes": "attribute", "values": "value", "endpoints": "endpoint",
    "formats": "format", "errors": "error", "service_requests": "request",
}
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(tag: str, value) -> ElementTree.Element:
    node = ElementTree.Element(tag)
    if isinstance(value, dict):
        for name, inner in value.items():
            node.append(_element(name, inner))
    elif isinstance(value, list):
        for inner in value:
            node.append(_element(ITEM_TAGS.get(tag, "item"), inner))
    else:
        node.text = _text(value)
    return node


def render(value, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """``value`` (a list of records, or one record) as JSON, or as XML under ``root``."""
    if fmt == "xml":
        body = ElementTree.tostring(_element(root, value), encoding="unicode", xml_declaration=False)
        body = '<?xml version="1.0" encoding="utf-8"?>' + body
    else:
        body = json.dumps(value, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The specification's error answer: a list of {code, description}, code = HTTP status."""
    return render([{"code": status, "description": d} for d in descriptions], fmt, "errors", status)
