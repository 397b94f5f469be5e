"""The ``mediation`` console script: the same commands as ``flask --app mediation``."""
from flask.cli import FlaskGroup

from mediation import create_app

cli = FlaskGroup(create_app=create_app, help="Labour-dispute mediation: case management.")


def main() -> None:
    cli(prog_name="mediation")
