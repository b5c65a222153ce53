"""``python -m daily_papers`` runs the same CLI as the ``daily-papers`` script."""

import sys

from daily_papers.cli import main

sys.exit(main())
