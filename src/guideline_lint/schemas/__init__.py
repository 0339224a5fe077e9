"""Published JSON Schemas, generated from the pydantic models (never written by hand).

``generate(name)`` builds a schema from the models; the files next to this module are the published
copies (`guideline-lint schema NAME` prints them), and a test asserts both are equal. Regenerate with
``python -m guideline_lint.schemas``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guideline_lint.kinds import registry
from guideline_lint.manifest import Manifest
from guideline_lint.model import CheckFile, Report, Ruleset

HERE = Path(__file__).resolve().parent
NAMES = ("manifest", "report", "check", "ruleset")
BASE_URI = "https://guideline-lint.metro.tokyo.lg.jp/schemas"


def _with_header(schema: dict[str, Any], name: str, title: str) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{BASE_URI}/{name}.schema.json",
            "title": title, **{k: v for k, v in schema.items() if k != "title"}}


def _check_schema() -> dict[str, Any]:
    """The check file schema, with `assert` spelled out as one of the registered kinds."""
    schema = CheckFile.model_json_schema(by_alias=True)
    defs = schema.setdefault("$defs", {})
    variants = []
    for name, kind in sorted(registry().items()):
        params = kind.Params.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(params.pop("$defs", {}))
        properties = {"kind": {"const": name}, **params.get("properties", {})}
        variants.append({"type": "object", "title": name, "description": kind.summary.en,
                         "properties": properties, "required": ["kind", *params.get("required", [])],
                         "additionalProperties": False})
    defs["Assert"] = {"oneOf": variants}
    check = defs["Check"]["properties"]
    check["assert"] = {"$ref": "#/$defs/Assert", "description": check["assert"].get("description", "")}
    check["when"] = {"anyOf": [{"$ref": "#/$defs/Assert"}, {"type": "null"}], "default": None}
    return schema


def generate(name: str) -> dict[str, Any]:
    if name == "manifest":
        return _with_header(Manifest.model_json_schema(), name, "digital-service.yaml")
    if name == "report":
        return _with_header(Report.model_json_schema(mode="serialization"), name, "guideline-lint JSON report")
    if name == "check":
        return _with_header(_check_schema(), name, "guideline-lint check file")
    if name == "ruleset":
        return _with_header(Ruleset.model_json_schema(), name, "guideline-lint ruleset")
    raise KeyError(name)


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def published_path(name: str) -> Path:
    return HERE / f"{name}.schema.json"


def published_schema_text(name: str) -> str:
    return published_path(name).read_text(encoding="utf-8")


def published_schema(name: str) -> dict[str, Any]:
    return json.loads(published_schema_text(name))


def write_all() -> None:
    for name in NAMES:
        published_path(name).write_text(render(generate(name)), encoding="utf-8")
