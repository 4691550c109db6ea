"""How large and how deeply nested a posting file may be before it is refused unread."""

from __future__ import annotations

MAX_BYTES = 1024 * 1024
# A posting needs a few levels at most; deeper input only exists to exhaust the stack (a C
# stack overflow in libyaml's composer kills the process, so YAML is checked before loading).
MAX_DEPTH = 40
