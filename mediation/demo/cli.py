import click


@click.command("demo")
def demo_command():
    """Fill an empty database with a realistic district."""
