"""Public ids: the pseudonym a participant is known by in the console and in every export."""

import secrets

# "P" and six base32 characters. Random, so an id says nothing about the roster order or the
# moment of joining; 32**6 values make a clash rare, and callers retry one anyway.
PUBLIC_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
PUBLIC_ID_LENGTH = 6


def new_public_id(taken: set[str]) -> str:
    """A public id not in `taken` (which it joins)."""
    while True:
        candidate = "P" + "".join(
            secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH)
        )
        if candidate not in taken:
            taken.add(candidate)
            return candidate
