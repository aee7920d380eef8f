"""Thin AWS Lambda handlers: read the event, call `etl`, shape the result."""
