import sys

from xraybuilder.cli import main

sys.exit(main())
