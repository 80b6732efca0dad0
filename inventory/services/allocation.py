"""The allocation proposal: which depot, lot and owner supplies what (a pure function).

No database here: `services.dispatch` loads the candidates and offers and stores the result.
Rules, in order:

1. Stock closest in the tier tree first: the destination's own depots, then its parent's
   subtree (same street), then the grandparent's (same district), then the city's …;
   within one ring, nearer depots first (fewer steps down from the common ancestor).
2. Within a ring, own stock before stock that needs its owner's approval, then lots
   first-expired-first-out; lots expired at the date are skipped.
3. Only unreserved quantity counts (`available` = quantity − reserved).
4. Stock owned by a unit whose reserve does not cover the destination (the owner is not the
   destination or one of its ancestors), or owned outside the dispatcher's area, is
   flagged: it needs the owner's approval (跨单位调拨).
5. What depots cannot supply is called off under valid agreements whose lead time fits
   the horizon; the rest is unmet.
6. The estimate (hours) is the slowest part: depot handling plus travel per tier step,
   or an agreement's lead time; it is compared with the target (8 h).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

# Hours to pick and load at a depot, and per step in the tier tree (an estimate).
HANDLING_HOURS = 1.0
HOURS_PER_STEP = 1.0
DEFAULT_TARGET_HOURS = 8


@dataclass(frozen=True)
class Need:
    item_id: int
    quantity: int


@dataclass(frozen=True)
class Candidate:
    """A balance that could supply: a lot of an item in a depot, for an owner."""

    item_id: int
    depot_id: int
    depot_path: str          # materialised path of the depot's unit, e.g. "/1/4/9/"
    lot_id: int
    expiry_date: date | None
    owner_id: int
    owner_path: str
    available: int           # quantity − reserved
    depot_code: str = ""
    lot_code: str = ""
    owner_code: str = ""


@dataclass(frozen=True)
class Offer:
    """What an agreement line can still deliver."""

    agreement_id: int
    item_id: int
    quantity: int
    lead_time_hours: int
    owner_path: str
    valid_from: date | None = None
    valid_to: date | None = None
    agreement_code: str = ""


@dataclass(frozen=True)
class Allocation:
    item_id: int
    depot_id: int
    lot_id: int
    owner_id: int
    quantity: int
    distance: tuple[int, int]
    needs_owner_approval: bool
    hours: float
    depot_code: str = ""
    lot_code: str = ""
    owner_code: str = ""


@dataclass(frozen=True)
class CallOffProposal:
    agreement_id: int
    item_id: int
    quantity: int
    lead_time_hours: int
    needs_owner_approval: bool
    agreement_code: str = ""


@dataclass(frozen=True)
class Proposal:
    allocations: list[Allocation] = field(default_factory=list)
    calloffs: list[CallOffProposal] = field(default_factory=list)
    unmet: dict[int, int] = field(default_factory=dict)          # item id → quantity
    # Agreements that could have delivered, but not within the horizon (for the dispatcher).
    too_slow: list[CallOffProposal] = field(default_factory=list)
    estimated_hours: float | None = None
    target_hours: float = DEFAULT_TARGET_HOURS

    @property
    def meets_target(self) -> bool:
        """True when everything is covered and the estimate is within the target."""
        return not self.unmet and (self.estimated_hours or 0) <= self.target_hours


def path_ids(path: str) -> list[int]:
    """"/1/4/9/" → [1, 4, 9]."""
    return [int(part) for part in path.strip("/").split("/") if part]


def tree_distance(destination_path: str, depot_path: str) -> tuple[int, int]:
    """(steps up from the destination to the common ancestor, steps down to the depot's unit).

    (0, 0) is the destination itself; (1, 0) its parent; (1, 1) a sibling. Units in
    different trees are as far as can be.
    """
    dest, depot = path_ids(destination_path), path_ids(depot_path)
    common = 0
    while common < min(len(dest), len(depot)) and dest[common] == depot[common]:
        common += 1
    if common == 0:
        return (len(dest) + 1, len(depot))
    return (len(dest) - common, len(depot) - common)


def covers(owner_path: str, destination_path: str) -> bool:
    """Does the owner's reserve cover the destination (owner is it or an ancestor)?"""
    return destination_path.startswith(owner_path)


def needs_owner_approval(owner_path: str, destination_path: str,
                         authority_path: str | None) -> bool:
    """Cross-unit stock: the owner does not cover the destination, or sits outside the area
    of whoever dispatches (`authority_path`; None = everywhere)."""
    outside = authority_path is not None and not owner_path.startswith(authority_path)
    return outside or not covers(owner_path, destination_path)


def travel_hours(distance: tuple[int, int]) -> float:
    return HANDLING_HOURS + HOURS_PER_STEP * (distance[0] + distance[1])


def is_usable(candidate: Candidate, on: date) -> bool:
    return candidate.available > 0 and (candidate.expiry_date is None
                                        or candidate.expiry_date >= on)


def rank(candidates: Iterable[Candidate], *, destination_path: str,
         authority_path: str | None, on: date) -> list[tuple[Candidate, tuple[int, int], bool]]:
    """Usable candidates in the order they are drawn, with their distance and flag."""
    ranked = []
    for candidate in candidates:
        if not is_usable(candidate, on):
            continue
        distance = tree_distance(destination_path, candidate.depot_path)
        flagged = needs_owner_approval(candidate.owner_path, destination_path, authority_path)
        ranked.append((candidate, distance, flagged))
    ranked.sort(key=lambda row: (row[1], row[2], row[0].expiry_date is None,
                                 row[0].expiry_date or date.max, row[0].depot_code,
                                 row[0].lot_code, row[0].depot_id, row[0].lot_id,
                                 row[0].owner_id))
    return ranked


def propose(needs: Sequence[Need], candidates: Iterable[Candidate], offers: Iterable[Offer], *,
            destination_path: str, on: date, horizon_hours: float = DEFAULT_TARGET_HOURS,
            target_hours: float = DEFAULT_TARGET_HOURS,
            authority_path: str | None = None) -> Proposal:
    """Allocate each need from depots, then agreements within the horizon; the rest is unmet."""
    ranked = rank(candidates, destination_path=destination_path,
                  authority_path=authority_path, on=on)
    left = {id(c): c.available for c, _, _ in ranked}
    offers = list(offers)
    offer_left = {id(o): o.quantity for o in offers}
    allocations: list[Allocation] = []
    calloffs: list[CallOffProposal] = []
    too_slow: list[CallOffProposal] = []
    unmet: dict[int, int] = {}
    for need in needs:
        remaining = need.quantity
        for candidate, distance, flagged in ranked:
            if remaining <= 0:
                break
            if candidate.item_id != need.item_id or left[id(candidate)] <= 0:
                continue
            take = min(remaining, left[id(candidate)])
            left[id(candidate)] -= take
            remaining -= take
            allocations.append(Allocation(
                item_id=need.item_id, depot_id=candidate.depot_id, lot_id=candidate.lot_id,
                owner_id=candidate.owner_id, quantity=take, distance=distance,
                needs_owner_approval=flagged, hours=travel_hours(distance),
                depot_code=candidate.depot_code, lot_code=candidate.lot_code,
                owner_code=candidate.owner_code))
        remaining = _call_off(need.item_id, remaining, offers, offer_left, calloffs, too_slow,
                              destination_path=destination_path, on=on,
                              horizon_hours=horizon_hours, authority_path=authority_path)
        if remaining > 0:
            unmet[need.item_id] = unmet.get(need.item_id, 0) + remaining
    hours = [a.hours for a in allocations] + [float(c.lead_time_hours) for c in calloffs]
    return Proposal(allocations=allocations, calloffs=calloffs, unmet=unmet, too_slow=too_slow,
                    estimated_hours=max(hours) if hours else None, target_hours=target_hours)


def _valid(offer: Offer, on: date) -> bool:
    return ((offer.valid_from is None or offer.valid_from <= on)
            and (offer.valid_to is None or on <= offer.valid_to))


def _call_off(item_id: int, remaining: int, offers: list[Offer], offer_left: dict[int, int],
              calloffs: list[CallOffProposal], too_slow: list[CallOffProposal], *,
              destination_path: str, on: date, horizon_hours: float,
              authority_path: str | None) -> int:
    """Cover `remaining` from agreements (fastest first); returns what is still missing."""
    usable = sorted((o for o in offers if o.item_id == item_id and _valid(o, on)),
                    key=lambda o: (o.lead_time_hours, o.agreement_code, o.agreement_id))
    for offer in usable:
        if remaining <= 0:
            break
        take = min(remaining, offer_left[id(offer)])
        if take <= 0:
            continue
        proposal = CallOffProposal(
            agreement_id=offer.agreement_id, item_id=item_id, quantity=take,
            lead_time_hours=offer.lead_time_hours, agreement_code=offer.agreement_code,
            needs_owner_approval=needs_owner_approval(offer.owner_path, destination_path,
                                                      authority_path))
        if offer.lead_time_hours > horizon_hours:
            too_slow.append(proposal)
            continue
        offer_left[id(offer)] -= take
        remaining -= take
        calloffs.append(proposal)
    return remaining


def norm_quantity(people: int, per_person) -> int:
    """Pieces for `people` at a per-person norm, rounded up (a Decimal norm stays exact)."""
    return math.ceil(people * per_person)
