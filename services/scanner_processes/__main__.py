"""`python -m services.scanner_processes --scanner NAME [--port N]`: one scanner worker process."""

import sys

from services.scanner_processes.main import main

if __name__ == "__main__":
    sys.exit(main())
