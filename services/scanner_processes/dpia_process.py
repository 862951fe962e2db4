"""The dpia scanner worker: `python -m services.scanner_processes.dpia_process --port N`."""

import sys

from services.scanner_processes.main import main

if __name__ == "__main__":
    sys.exit(main("dpia"))
