"""The client's address, trusting X-Forwarded-For only for the configured number of proxies."""

from flask import current_app, request


def client_address() -> str:
    """Return the address requests are counted by (for rate limits and the audit log)."""
    proxies = current_app.config.get("PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.remote_addr or "unknown"
