from flask.cli import AppGroup

documents_cli = AppGroup("documents", help="Render case documents as PDF.")
