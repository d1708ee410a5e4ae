"""`GET /api/openapi.json`, made from the schemas the views validate with (see `operation`)."""

import re

from flask import Blueprint, current_app
from pydantic import BaseModel

from ..web.toolkit import ErrorAnswer, Operation, operation

bp = Blueprint("openapi", __name__)

_JSON = "application/json"
_REF = "#/components/schemas/{model}"
_PATH_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _schema_ref(model: type[BaseModel], components: dict) -> dict:
    """Add `model` (and what it refers to) to the components; return a reference to it."""
    schema = model.model_json_schema(ref_template=_REF)
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": _REF.format(model=model.__name__)}


def _path_item(spec: Operation, parameters: list[str], components: dict) -> dict:
    """The OpenAPI operation object of one view."""
    item: dict = {"summary": spec.summary, "responses": {}}
    located = [("path", name) for name in parameters] + [("query", name) for name in spec.query]
    if located:
        item["parameters"] = [  # a query name ending in "?" is optional
            {
                "name": name.rstrip("?"),
                "in": where,
                "required": not name.endswith("?"),
                "schema": {"type": "string"},
            }
            for where, name in located
        ]
    if spec.request is not None:
        content = {_JSON: {"schema": _schema_ref(spec.request, components)}}
        item["requestBody"] = {"required": True, "content": content}
    ok: dict = {"description": "OK"}
    if spec.response is not None:
        ok["content"] = {_JSON: {"schema": _schema_ref(spec.response, components)}}
    item["responses"]["200"] = ok
    error = {_JSON: {"schema": _schema_ref(ErrorAnswer, components)}}
    for status in spec.errors:
        item["responses"][str(status)] = {"description": "Error", "content": error}
    if spec.security:
        item["security"] = [{spec.security: []}]
    return item


def build_document() -> dict:
    """Walk the URL map and describe every view declared with `operation`."""
    paths: dict = {}
    components: dict = {}
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        view = current_app.view_functions[rule.endpoint]
        spec = getattr(view, "openapi", None)
        if spec is None:
            continue
        path = _PATH_PARAMETER.sub(r"{\1}", rule.rule)
        parameters = _PATH_PARAMETER.findall(rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            item = _path_item(spec, parameters, components)
            paths.setdefault(path, {})[method.lower()] = item
    return {
        "openapi": "3.1.0",
        "info": {"title": "Darman (درمان من)", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/api/openapi.json")
@operation("This document")
def openapi_json():
    """The OpenAPI 3.1 document of the JSON API."""
    return build_document()
