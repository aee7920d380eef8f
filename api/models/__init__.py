"""Response models of the HTTP API, the contract the dashboard is built against: one
module per part of the API."""
