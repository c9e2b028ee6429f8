"""schemathesis over the OpenAPI description: generated requests (valid and invalid) to every
operation, signed in as the owner admin; no answer may be a server error (5xx).

Bounded for ``make test``: 2 generated examples per operation (about 40 requests in all), the
generation phase only, derandomised. ``POST /quality/runs`` (a full quality run per example) and
``POST /ingest`` (a real load per example) are left out; their own tests cover them. (The
``schemathesis.pytest.from_fixture`` plugin does not run under this pytest, so the operations are
driven directly with Hypothesis.)
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from server_support import Server

SKIPPED = {("POST", "/api/v1/quality/runs"), ("POST", "/api/v1/ingest")}
EXAMPLES = 2


def test_no_operation_answers_with_a_server_error(server: Server) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", server.app)
    headers = {"Authorization": f"Bearer {server.tokens['admin']}"}
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        tried.append(f"{operation.method.upper()} {operation.path}")

        @settings(
            max_examples=EXAMPLES,
            phases=[Phase.explicit, Phase.generate],
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        check()
    assert len(tried) >= 15  # every capability's routes were exercised
