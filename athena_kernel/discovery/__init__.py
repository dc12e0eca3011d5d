"""``%apis``: the API catalogue built by introspection, its search and its renderings."""
