import collections, os
import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from tests.api.test_openapi_conformance import operations_and_modes, CHECKS, api_schema  # noqa
from tests.api.conftest import bearer

N = int(os.environ.get("N", "300"))
STATS = collections.Counter()

@pytest.mark.parametrize("method, path, mode", list(operations_and_modes()))
def test_explore(api_schema, tokens, method, path, mode):
    operation = api_schema[path][method.upper()]
    codes = collections.Counter()
    @settings(max_examples=N, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(headers=bearer(tokens[os.environ.get("ROLE", "admin")]))
        codes[response.status_code] += 1
        case.validate_response(response, checks=CHECKS)
    try:
        run()
    finally:
        print(method, path, mode, dict(codes))
