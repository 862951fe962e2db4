"""Services: the process manager, the worker runtime, scanners and the detection engine."""
