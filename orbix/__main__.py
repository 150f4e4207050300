"""The ``orbix`` console script (``orbix migrate``): the app's commands without FLASK_APP."""

import sys

from flask.cli import FlaskGroup

from .app import create_app


def main(argv=None):
    """``orbix migrate``: the same commands without FLASK_APP."""
    cli = FlaskGroup(create_app=create_app, add_default_commands=False)
    return cli.main(args=argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
