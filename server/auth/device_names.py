"""A device's name for people: «Chrome · Android», from its User-Agent."""

from flask_babel import gettext

_BROWSERS = (("Edg/", "Edge"), ("SamsungBrowser", "Samsung Internet"), ("Firefox", "Firefox"),
             ("Chrome", "Chrome"), ("Safari", "Safari"))  # fmt: skip
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Windows", "Windows"), ("Mac OS", "macOS"), ("Linux", "Linux"))  # fmt: skip


def known_name(user_agent: str) -> str:
    """«Chrome · Android», «Firefox», …, or "" when the User-Agent names nothing we know."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} · {system}"
    return browser or system


def browser_name(user_agent: str) -> str:
    """«Chrome · Android»-style name of a device, from its User-Agent."""
    return known_name(user_agent) or gettext("Unknown device")
