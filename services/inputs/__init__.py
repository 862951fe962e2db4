"""Safe inputs shared by every scanner: scan-root checks, archive extraction and file walking."""
