"""Typed ids: records that travel between machines are keyed by UUID4 text."""

from __future__ import annotations

import re
import uuid
from typing import NewType

RecordId = NewType("RecordId", str)
InstallationId = NewType("InstallationId", str)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def new_record_id() -> RecordId:
    return RecordId(str(uuid.uuid4()))


def is_record_id(text: str) -> bool:
    return bool(_UUID.match(text))
