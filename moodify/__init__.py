"""The local application: the `moodify` CLI, the embedded PostgreSQL and the demo."""
