"""The API's OpenAPI document as stable JSON, the source of the dashboard's generated types.

`python -m api.openapi > frontend/lib/generated/openapi.json` (`make api-types` does it and
writes the types). Building the app opens no connection: no server or database is needed.
"""

from __future__ import annotations

import json
import sys

from api.app import create_app
from etl.core.settings import Settings


def openapi_json() -> str:
    """Sorted keys and a final newline, so that the same API always gives the same bytes."""
    document = create_app(Settings()).openapi()
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(openapi_json())
