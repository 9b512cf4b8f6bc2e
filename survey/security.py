"""Security headers on every response, with a Content-Security-Policy that allows no inline
script: every script is a file served by the app itself."""

from flask import Flask, g, request

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def relax_style_src(value: str) -> None:
    """Widen style-src for this response (plotly.js writes <style> rules at run time)."""
    g.csp_style_src = value


def content_security_policy() -> str:
    policy = dict(CSP, **({"style-src": g.csp_style_src} if "csp_style_src" in g else {}))
    return "; ".join(f"{k} {v}" for k, v in policy.items())


def register(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # Personal links must never leak through Referer.
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if "Cache-Control" not in headers and response.mimetype == "text/html":
            headers["Cache-Control"] = "no-store"
        return response
