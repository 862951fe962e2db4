"""The report scanner worker: `python -m services.scanner_processes.report_process --port N`."""

import sys

from services.scanner_processes.main import main

if __name__ == "__main__":
    sys.exit(main("report"))
