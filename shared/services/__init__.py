"""Use cases: domain logic applied to stored data through the store's interfaces."""
