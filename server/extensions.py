"""Flask extensions, made here and bound to the app in `create_app`."""

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData

from .models.base import Base

# Constraint names are fixed so that migrations are the same on SQLite and PostgreSQL.
db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
babel = Babel()

__all__ = ["db", "migrate", "babel", "MetaData"]
