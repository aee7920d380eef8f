"""Imports of a privacy export: from a folder or an upload into the lake, then the pipeline."""
