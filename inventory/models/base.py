"""The column shapes every model shares, and the app's one clock."""
from __future__ import annotations

import enum
import functools
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Annotated, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm.attributes import instance_state

from inventory.database import Base  # noqa: F401  (re-exported for models)

intpk = Annotated[int, mapped_column(primary_key=True)]
code_str = Annotated[str, mapped_column(sa.String(64), unique=True, index=True)]
name_str = Annotated[str, mapped_column(sa.String(200))]
# Quantities are integers in the item's unit of measure (tents, litres, packs).
qty = Annotated[int, mapped_column(sa.Integer, nullable=False, default=0)]
utc_ts = Annotated[datetime, mapped_column(sa.DateTime(timezone=True), nullable=False)]


def utcnow() -> datetime:
    """The one clock of the app: timezone-aware UTC."""
    return datetime.now(timezone.utc)


def enum_col(enum_cls: type[enum.Enum], length: int = 24, **kw):
    """Store an enum's lowercase value (not its name) with room for new members."""
    return mapped_column(
        sa.Enum(enum_cls, native_enum=False, length=length, create_constraint=False,
                values_callable=lambda e: [m.value for m in e]),
        **kw,
    )


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


Model = TypeVar("Model")


class RowReader:
    """Read a model's rows with Core and hand them back as loaded, detached instances.

    For the few hot paths (a booking) where building objects through the ORM's query
    machinery costs more than the statement: `columns` go into a Core select (labelled
    with `prefix`), and `instance(row, start)` builds the object from the row's values at
    `start` onwards, as the ORM does for a loaded row. The instance belongs to no
    session: its columns and the related objects given are loaded; anything else raises
    DetachedInstanceError instead of querying.
    """

    def __init__(self, cls: type[Model], prefix: str) -> None:
        attributes = sa.inspect(cls).column_attrs
        self.cls = cls
        self.keys = tuple(attr.key for attr in attributes)
        self.columns = [attr.columns[0].label(prefix + attr.key) for attr in attributes]
        self.key_position = self.keys.index(sa.inspect(cls).primary_key[0].key)

    def instance(self, row: Sequence[Any], start: int, **related: Any) -> Model | None:
        """The instance for the columns at `start` in `row` (None when its key is NULL, as
        for the outer side of a join that found nothing)."""
        if row[start + self.key_position] is None:
            return None
        return loaded(self.cls, dict(zip(self.keys, row[start:start + len(self.keys)])),
                      **related)


def loaded(cls: type[Model], values: Mapping[str, Any], **related: Any) -> Model:
    """An instance of `cls` whose attributes `values` and `related` are all loaded and
    committed, detached from any session; the same state an ORM query leaves, without
    the constructor's change events.

    What `make_transient_to_detached` does for a fresh instance, in a third of its time
    (a booking builds five): the identity key, and the scalar attributes not given
    marked expired, so that reading one raises DetachedInstanceError instead of
    answering None. tests/test_models.py holds the two equal.
    """
    manager, mapper, primary_key, scalars = _shape(cls)
    instance = manager.new_instance()
    state = instance_state(instance)
    state.dict.update(values, **related)
    state.key = mapper.identity_key_from_primary_key((state.dict[primary_key],))
    missing = scalars.difference(state.dict)
    if missing:
        state.expired_attributes.update(missing)
    return instance


@functools.cache
def _shape(cls: type) -> tuple[Any, Any, str, frozenset[str]]:
    mapper = sa.inspect(cls)
    manager = mapper.class_manager
    scalars = frozenset(key for key in manager if manager[key].impl.accepts_scalar_loader)
    return manager, mapper, mapper.primary_key[0].key, scalars
