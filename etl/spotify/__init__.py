"""Spotify: sign-in (Authorization Code with PKCE) and the Web API, as they are in 2026."""
