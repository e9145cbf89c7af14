"""pydantic models at every boundary: requests, responses, stored items, messages."""
