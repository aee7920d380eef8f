"""The API's routes, one module per resource: parse the request, call the core, shape the answer."""
