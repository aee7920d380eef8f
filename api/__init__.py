"""The HTTP API: a FastAPI app over the warehouse, its SQL queries and response models."""
