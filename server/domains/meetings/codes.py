"""Room identifiers: unguessable, and for video calls short enough to read out.

`room_id` (meetings) carries 128 random bits. `room_code` (video calls) is 12 characters of
an alphabet without look-alikes (no 0/O, 1/I/L), about 60 bits, shown as `abcd-efgh-jkmn`.
"""

from __future__ import annotations

import secrets

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_GROUPS = 3
GROUP_LENGTH = 4


def new_room_id() -> str:
    return secrets.token_urlsafe(16)


def new_room_code() -> str:
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(CODE_GROUPS))
    return "-".join(groups)
