"""Finishing touches to the OpenAPI schema: how exports answer, so the schema is exact.

drf-spectacular gives every renderer the JSON shape of the response; an export instead
answers every row the filters select, as a file (CSV, XLSX, JSON Lines) or as one JSON
array (`format=json` on a list), not as a page.
"""

FILE_SCHEMAS = {
    "text/csv": {"type": "string"},
    "application/jsonl": {"type": "string"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "type": "string",
        "format": "binary",
    },
}
FORMAT_DESCRIPTION = (
    "Download every row the filters select instead of a page: csv, xlsx, jsonl, or json "
    "(one array). Cells that would run as spreadsheet formulas are neutralised."
)
PAGINATED_PREFIX = "#/components/schemas/Paginated"


def describe_exports(result, generator, request, public):
    """A drf-spectacular postprocessing hook: export media types and the `format=json`
    array of a list."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == "format" and parameter.get("in") == "query":
                    parameter["description"] = FORMAT_DESCRIPTION
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                for media_type, schema in FILE_SCHEMAS.items():
                    if media_type in content:
                        content[media_type] = {"schema": dict(schema)}
                json_content = content.get("application/json", {})
                reference = json_content.get("schema", {}).get("$ref", "")
                if reference.startswith(PAGINATED_PREFIX) and reference.endswith("List"):
                    item = "#/components/schemas/" + reference[len(PAGINATED_PREFIX) : -4]
                    json_content["schema"] = {
                        "oneOf": [
                            {"$ref": reference},
                            {"type": "array", "items": {"$ref": item}},
                        ]
                    }
    return result
