"""Moodify's domain core, one package per concern, each importing only those below it:
imports, pipeline, enrich, spotify and warehouse (side by side), exports, core."""
