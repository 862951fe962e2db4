"""Scanner worker processes: one shared runtime and a thin entry module per scanner."""
