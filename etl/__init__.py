"""Moodify's domain core, one package per concern; each imports only from those below it:
imports, pipeline, enrich, spotify, warehouse, exports, core (see `[tool.importlinter]`)."""
