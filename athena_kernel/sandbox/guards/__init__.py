"""Run-time guards bound into a cell's builtins (attribute access, writes, operators, classes)."""
