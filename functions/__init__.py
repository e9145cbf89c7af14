"""Chalice blueprints, one per bounded context. Handlers are thin: parse → authorise → service → shape."""
