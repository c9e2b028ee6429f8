"""The REST API ``/api/v1``: one module per capability, each exporting ``router``."""
