"""Bare extension objects; bound to the app in :func:`mediation.create_app`."""
import functools

import sqlalchemy as sa
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase, relationship

# Stable constraint names, so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _plain_defaults(target, args, kwargs) -> None:
    """A new record holds its columns' plain defaults (``default=""``, ``default=False`` …) at once, not
    only once written: the services read and audit records before the unit of work writes them."""
    for key, value in _scalar_defaults(type(target)):
        kwargs.setdefault(key, value)


@functools.cache
def _scalar_defaults(cls) -> tuple[tuple[str, object], ...]:
    return tuple((prop.key, prop.columns[0].default.arg) for prop in sa.inspect(cls).column_attrs
                 if prop.columns[0].default is not None and prop.columns[0].default.is_scalar)


def refers_to(target, **kwargs):
    """A many-to-one link to a record saved on its own (a reference list's entry, a user, an employer, a
    worker): adding or writing the referring record does not walk into it (no save-update cascade)."""
    return relationship(target, cascade="", **kwargs)


db = SQLAlchemy(model_class=Base)
# Flask-SQLAlchemy builds its own base from ``Base``: the listener goes on that one.
event.listen(db.Model, "init", _plain_defaults, propagate=True)
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
