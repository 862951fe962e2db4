"""Evidence checks for the SOC 2 scanner: one module per kind of file, each parsing (never grepping).

Every checker is `check(path, relpath) -> list[Observation]` and raises `ParseError` (whose
message carries no file content) when the file cannot be parsed. `registry.classify`
decides which checker reads a file.
"""
