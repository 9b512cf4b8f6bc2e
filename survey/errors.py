"""Error pages that say what happened in plain words (HTML), or JSON for the API."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: ("Something in the request was not right", "Please go back and try again."),
    403: ("You do not have access to this page", "Sign in with an account that has access."),
    404: ("Page not found", "The address may be mistyped, or the page no longer exists."),
    405: ("That action is not allowed here", "Please go back and use the page's own buttons."),
    410: ("This link is no longer valid", "Ask the organisers for a new link."),
    413: ("The file is too large", "Please upload a smaller file."),
    429: ("Too many attempts", "Please wait a few minutes before trying again."),
    500: ("Something went wrong on our side", "Your answers saved so far are safe. Try again."),
}


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(Exception, _unexpected_error)


def _render(code: int, detail: str | None = None):
    title, advice = MESSAGES.get(code, (f"Error {code}", ""))
    if request.path.startswith("/api/"):
        return {"error": title, "detail": detail or advice, "status": code}, code
    return render_template(
        "errors/error.html", code=code, title=title, advice=detail or advice
    ), code


def _http_error(error: HTTPException):
    code = error.code or 500
    detail = error.description if code in (400, 410) and _is_custom(error) else None
    return _render(code, detail)


def _csrf_error(error: CSRFError):
    return _render(400, "The form had expired. Please go back, reload the page and try again.")


def _unexpected_error(error: Exception):
    from flask import current_app

    from survey.extensions import db

    db.session.rollback()
    # The path may hold a token or line breaks: the log's filter redacts and escapes them.
    current_app.logger.exception("unhandled error on %s", request.path)
    return _render(InternalServerError.code)


def _is_custom(error: HTTPException) -> bool:
    return type(error).description != error.description
