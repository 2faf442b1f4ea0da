"""Load facilitrack's test kit: the `facilitrack_check` and `facilitrack_project` fixtures."""

# The kit is opt-in: it loads here, for these tests, and in no other project's pytest run.
pytest_plugins = ["facilitrack.testing"]
