import sys

from compatprobe.cli import main

sys.exit(main())
