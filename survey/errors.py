"""Error pages that say what happened in plain words (HTML), or JSON for the API."""

from flask import Flask, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def N_(message: str) -> str:
    """Mark a message for the catalogues (pybabel's default keyword) without translating it:
    the pages translate it when they show it, the API keeps it in English."""
    return message


MESSAGES = {
    400: (N_("Something in the request was not right"), N_("Please go back and try again.")),
    403: (
        N_("You do not have access to this page"),
        N_("Sign in with an account that has access."),
    ),
    404: (
        N_("Page not found"),
        N_("The address may be mistyped, or the page no longer exists."),
    ),
    405: (
        N_("That action is not allowed here"),
        N_("Please go back and use the page's own buttons."),
    ),
    410: (N_("This link is no longer valid"), N_("Ask the organisers for a new link.")),
    413: (N_("The file is too large"), N_("Please upload a smaller file.")),
    429: (N_("Too many attempts"), N_("Please wait a few minutes before trying again.")),
    500: (
        N_("Something went wrong on our side"),
        N_("Your answers saved so far are safe. Try again."),
    ),
}
FORM_EXPIRED = N_("The form had expired. Please go back, reload the page and try again.")


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(Exception, _unexpected_error)


def _render(code: int, detail: str | None = None):
    title, advice = MESSAGES.get(code, (None, ""))
    if request.path.startswith("/api/"):
        # Programs read the API: its messages stay in English whatever the browser asks for.
        return {"error": title or f"Error {code}", "detail": detail or advice, "status": code}, code
    # In the visitor's language; a description a view gave that no catalogue holds stays as
    # it is (gettext returns it unchanged).
    advice = detail or advice
    return render_template(
        "errors/error.html",
        code=code,
        title=gettext(title) if title else gettext("Error %(code)s", code=code),
        advice=gettext(advice) if advice else "",
    ), code


def _http_error(error: HTTPException):
    code = error.code or 500
    detail = error.description if code in (400, 410) and _is_custom(error) else None
    return _render(code, detail)


def _csrf_error(error: CSRFError):
    return _render(400, FORM_EXPIRED)


def _unexpected_error(error: Exception):
    from flask import current_app

    from survey.extensions import db

    db.session.rollback()
    # The path may hold a token or line breaks: the log's filter redacts and escapes them.
    current_app.logger.exception("unhandled error on %s", request.path)
    return _render(InternalServerError.code)


def _is_custom(error: HTTPException) -> bool:
    return type(error).description != error.description
