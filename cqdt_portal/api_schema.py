"""The API schema says every answer an operation can give, not only 200 (drf-spectacular's postprocessing hook)."""

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A filter's refusal: each parameter named with its messages (django-filter through REST framework).
FIELD_ERRORS = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


def _json(description: str, ref: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


def document_errors(result, generator, request, public):
    """Adds 401 and 403 (not signed in, or no right) to every operation, 400 (a query parameter refused) to those
    with query parameters and 404 (no such object, or a page past the last) to those with path parameters or a
    page number."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorDetail"] = DETAIL
    schemas["FieldErrors"] = FIELD_ERRORS
    detail, fields = "#/components/schemas/ErrorDetail", "#/components/schemas/FieldErrors"
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            where = {p.get("in") for p in operation.get("parameters", [])}
            names = {p.get("name") for p in operation.get("parameters", [])}
            responses.setdefault("401", _json("Chưa đăng nhập.", detail))
            responses.setdefault("403", _json("Chưa đăng nhập hoặc không có quyền.", detail))
            if "query" in where:
                responses.setdefault("400", _json("Tham số không hợp lệ.", fields))
            if "path" in where or "page" in names:
                responses.setdefault("404", _json("Không tìm thấy.", detail))
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    # A filter given empty (as a form sends an untouched field) is not applied.
                    parameter["allowEmptyValue"] = True
    return result
