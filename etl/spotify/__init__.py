"""Spotify: sign-in (Authorization Code with PKCE), browser sessions, refresh tokens, the Web
API and the hourly ingest of each connected account's plays."""
