"""JSON blueprints of the citizen and provider APIs (and the OpenAPI document, and /healthz).

The request toolkit that used to live here (`operation`, `parse_body`, the field names, the
mapping of validation errors) is now `server.web.toolkit`, below every blueprint. Its old names
are re-exported here for ONE release, so that code written in parallel still imports; new code
imports `server.web.toolkit`, and the import-linter contracts forbid other packages to import
`server.api`.
"""

from ..web.toolkit import FIELD_NAMES, Operation, operation, parse_body
from ..web.toolkit import bad_request as _bad_request

__all__ = ["FIELD_NAMES", "Operation", "_bad_request", "operation", "parse_body"]
