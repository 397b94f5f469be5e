from flask.cli import AppGroup

cases_cli = AppGroup("cases", help="Import and export the case ledger (台账).")
