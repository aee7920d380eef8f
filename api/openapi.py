"""The API's OpenAPI document as stable JSON, the source of the dashboard's generated types.

`python -m api.openapi > frontend/lib/api/openapi.json` (or `make api-types`). Building the
app opens no connection: no server and no database are needed.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from api.app import create_app
from etl.settings import Settings


def openapi_document() -> dict[str, Any]:
    return create_app(Settings()).openapi()


def openapi_json() -> str:
    """Sorted keys and a final newline, so that the same API always gives the same bytes."""
    return json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(openapi_json())
