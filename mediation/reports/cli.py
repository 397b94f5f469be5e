from flask.cli import AppGroup

report_cli = AppGroup("report", help="Outcome summaries.")
