"""The fake accounts service's HTML: the consent page and Spotify-style error pages.

The consent page stands in for Spotify's log-in and "Agree" screens: one button per fake
user, so that a person in a real browser (or a browser test) picks who signs in. Every
button posts the sign-in request back, carried in hidden fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

_STYLE = """
body { font-family: system-ui, sans-serif; background: #121212; color: #fff;
       display: flex; justify-content: center; padding-top: 4rem; }
main { width: 24rem; text-align: center; }
button { display: block; width: 100%; margin: .6rem 0; padding: .8rem; border: 0;
         border-radius: 2rem; font-size: 1rem; cursor: pointer; }
.user { background: #1ed760; color: #000; font-weight: 600; }
.cancel { background: transparent; color: #b3b3b3; border: 1px solid #727272; }
.scopes { color: #b3b3b3; font-size: .9rem; }
"""


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title><style>{_STYLE}</style></head><body><main>{body}</main></body></html>"
    )


def consent_page(
    client_id: str, params: Mapping[str, str], users: Sequence[tuple[str, str]]
) -> str:
    """Sign in to `client_id` as one of `users` ((account id, display name) pairs)."""
    hidden = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in params.items()
    )
    buttons = "".join(
        f'<button class="user" type="submit" name="account_id" value="{escape(account_id)}" '
        f'data-testid="authorize-as-{escape(account_id)}">Continue as {escape(name)}</button>'
        for account_id, name in users
    )
    if not users:
        buttons = "<p>No users yet: add one with <code>FakeSpotify.add_user</code>.</p>"
    scopes = escape(params.get("scope", "")) or "no extra access"
    return _page(
        "Log in - Spotify (fake)",
        '<h1>Spotify</h1><p class="scopes">Simulated on this machine: no real account is '
        f"involved.</p><p>App <strong>{escape(client_id)}</strong> asks to connect to "
        f'your account.</p><p class="scopes">Access: {scopes}</p>'
        f'<form method="post" action="/authorize">{hidden}{buttons}'
        '<button class="cancel" type="submit" name="action" value="cancel" '
        'data-testid="authorize-cancel">Cancel</button></form>',
    )


def error_page(message: str) -> str:
    return _page(
        "Error - Spotify (fake)", f"<h1>Oops! Something went wrong</h1><p>{escape(message)}</p>"
    )
