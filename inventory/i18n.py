"""Language selection and translation helpers.

Chinese is the default. A signed-in user's choice is stored on the user; before login
`?lang=en` (kept in the session) or the browser's Accept-Language decides.
"""
from __future__ import annotations

import enum
from typing import Any

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, gettext
from flask_login import current_user


def supported_locales() -> list[str]:
    return list(current_app.config["LOCALES"])


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    locales = supported_locales()
    default = current_app.config["DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    asked = request.args.get("lang")
    if asked in locales:
        session["lang"] = asked
        return asked
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in locales:
        return user_locale
    if session.get("lang") in locales:
        return session["lang"]
    return request.accept_languages.best_match(locales, default=default) or default


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def locale_code() -> str:
    """The active language, e.g. "zh" or "en"."""
    locale = get_locale()
    return locale.language if locale else current_app.config["DEFAULT_LOCALE"]


def html_lang() -> str:
    return "zh-CN" if locale_code() == "zh" else locale_code()


class Template(str):
    """An English message template that translates itself when formatted.

    Marshmallow formats every error message when it raises (``msg.format(**kw)``), which
    happens inside the request: that is the moment we know the user's language.
    """

    def format(self, *args: Any, **kwargs: Any) -> str:  # noqa: A003
        return translate(str(self)).format(*args, **kwargs)


def shown(value: Any) -> Any:
    """A message parameter as the user reads it: a coded value (an enum member such as an
    order status) by its translated label, an item by its name in the user's language.

    Services pass the enum member or the item itself (they cannot know the language); any
    other value is shown as it is.
    """
    if isinstance(value, enum.Enum):
        from inventory.labels import enum_label  # labels imports this module

        return enum_label(value)
    if callable(getattr(value, "display_name", None)):
        try:
            return value.display_name(locale_code())
        except RuntimeError:  # no app or request: the stored name
            return value.display_name("zh")
    return value


def translate(message: str, **params: Any) -> str:
    """gettext that also works outside a request (falls back to the English msgid)."""
    params = {key: shown(value) for key, value in params.items()}
    try:
        return gettext(message, **params) if params else gettext(message)
    except (RuntimeError, KeyError):
        return message % params if params else message


def translate_tree(value: Any, params: dict[str, Any] | None = None) -> Any:
    """Translate every message in a marshmallow/InvalidInput error tree into plain str."""
    if isinstance(value, dict):
        return {str(key): translate_tree(item, params) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [translate_tree(item, params) for item in value]
    if isinstance(value, Template):
        return value.format()
    return translate(str(value), **(params or {}))
