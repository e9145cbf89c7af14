"""Token verification, roles and field policies, audit."""
