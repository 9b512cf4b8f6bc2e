"""Brakes on password guessing, on top of the per-address limit on the sign-in route.

Counters of failed sign-ins live in the rate limiter's storage (memory, or Redis when several
hosts share the work, so every host sees the same counts):

- per account and address: once it is spent, that address is refused for that account until
  the window passes. Keyed by the address too, so that someone who only knows an e-mail
  cannot lock its owner out: the owner, from an address that has not failed, still signs in.
  Each attempt takes its place before the password is checked (guesses sent at once cannot all
  pass a check made before any of them counted), and a success gives them back;
- per account, from any address: past this higher ceiling every sign-in to the account (the
  owner's too) waits before the password is even checked, so guessing spread over many
  addresses stays slow without ever being refused;
- per address: each failure after the first few is answered more slowly, doubling up to a cap.

Unknown e-mail addresses are counted like known ones, so the answers never reveal which
accounts exist. survey.counters says how they are counted when the storage cannot be reached or
the limiter is switched off.
"""

import time

from flask import current_app
from limits import RateLimitItem, parse
from limits.strategies import RateLimiter

from survey.counters import counted
from survey.net import client_address

ACCOUNT_ADDRESS = "login-failed-account-address"
ACCOUNT = "login-failed-account"
ADDRESS = "login-failed-address"
FREE_FAILURES = 2  # typos: the first failures from an address are answered at full speed


def _limit(setting: str) -> RateLimitItem:
    return parse(current_app.config[setting])


def take_attempt(email: str) -> bool:
    """Count a sign-in to the account from this address, before its password is checked, in
    one step of the storage; False when the address has used up its attempts at the account
    for the window (the sign-in is refused unchecked)."""
    limit = _limit("FAILED_LOGIN_ACCOUNT_LIMIT")
    address = client_address()
    return counted(lambda limits: limits.hit(limit, ACCOUNT_ADDRESS, email, address), off=True)


def account_pause(email: str) -> float:
    """Seconds every sign-in to the account waits, from any address: none until its failures
    pass the ceiling, then the longest pause."""
    ceiling = _limit("FAILED_LOGIN_ACCOUNT_SLOWDOWN")
    if counted(lambda limits: limits.test(ceiling, ACCOUNT, email), off=True):
        return 0.0
    return current_app.config["LOGIN_SLOWDOWN_MAX_SECONDS"]


def failure_delay(failures: int) -> float:
    """Seconds to hold the answer to the n-th failure in a row from one address."""
    if failures <= FREE_FAILURES:
        return 0.0
    base = current_app.config["LOGIN_SLOWDOWN_SECONDS"]
    cap = current_app.config["LOGIN_SLOWDOWN_MAX_SECONDS"]
    return min(cap, base * 2 ** (failures - FREE_FAILURES - 1))


def note_failure(email: str) -> float:
    """Count a failed sign-in for the account and for the address (take_attempt has counted it
    for the two together); return the pause it earns."""
    address = client_address()
    account = _limit("FAILED_LOGIN_ACCOUNT_SLOWDOWN")
    address_limit = _limit("FAILED_LOGIN_LIMIT")

    def count(limits: RateLimiter) -> int:
        limits.hit(account, ACCOUNT, email)
        limits.hit(address_limit, ADDRESS, address)
        return limits.get_window_stats(address_limit, ADDRESS, address).remaining

    remaining = counted(count, off=address_limit.amount)
    return failure_delay(address_limit.amount - remaining)


def slow_down(seconds: float) -> None:
    """Hold the answer; bounded by the cap and by the per-address limit on attempts."""
    if seconds > 0:
        time.sleep(seconds)


def forget_failures(email: str) -> None:
    """A successful sign-in clears the count of its account and address, its own attempt
    included: it proves nothing about the other addresses, whose failures keep counting
    towards the slow-down."""
    limit = _limit("FAILED_LOGIN_ACCOUNT_LIMIT")
    address = client_address()
    counted(lambda limits: limits.clear(limit, ACCOUNT_ADDRESS, email, address), off=None)
