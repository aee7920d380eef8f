"""Spotify's privacy exports: finding their files and parsing their records."""
