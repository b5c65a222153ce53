"""The one base of every error a user can act on: its message says what is wrong and
where, and it carries the exit status the command line ends with."""

from __future__ import annotations


class DailyPapersError(Exception):
    """Something the user must fix before the command can do its work; nothing was written."""

    exit_status = 2
