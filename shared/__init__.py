"""Talent lifecycle service: code shared by every function (models, domain, store, security)."""
