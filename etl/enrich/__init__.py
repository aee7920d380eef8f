"""Enrichment: audio features from the providers, and artist details from Spotify."""
