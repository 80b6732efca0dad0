"""Every model, imported once so Alembic and create_all see all tables."""
from inventory.models.base import Base, RowReader, loaded, utcnow  # noqa: F401
from inventory.models.units import Depot, DepotKind, StorageLocation, Unit  # noqa: F401
from inventory.models.catalog import Category, Item  # noqa: F401
from inventory.models.users import ApiToken, AuditEvent, Role, User  # noqa: F401
from inventory.models.stock import Balance, Lot, LotSource, LotStatus  # noqa: F401
from inventory.models.movements import Movement, MovementKind  # noqa: F401
from inventory.models.agreements import (Agreement, AgreementCheck, AgreementCheckLine,  # noqa: F401
                                         AgreementLine, AgreementMode, Partner, PartnerSite)
from inventory.models.alerts import (Alert, AlertKind, AlertRun, AlertSeverity,  # noqa: F401
                                     AlertState, DepotMinimum, ReadinessSnapshot)
from inventory.models.dispatch import (CallOff, CallOffStatus, CodeSequence,  # noqa: F401
                                       DisasterEvent, DisasterEventArea, DispatchAllocation,
                                       DispatchApproval, DispatchLine, DispatchOrder,
                                       DispatchRequest, DispatchRequestLine, Distribution,
                                       DistributionLine, EventStatus, EventType, OrderStatus)
