"""The policy book in force here: the shipped Ningxia periods plus those the county or an administrator added.

Reading it is open to everyone; adding a period needs the county's (or an administrator's)
right, is validated by the domain's policy parser, and is audited like any other write.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..domain.divisions import is_county_code
from ..domain.entities import PolicyPeriod, ValidationError
from ..domain.policy.params import Params, PolicyBook, PolicyError
from ..errors import InvalidInput
from . import permissions
from .assessment import default_policy_book
from .base import Service


class PolicyBookService(Service):
    def policy_book(self) -> PolicyBook:
        """The shipped Ningxia periods plus those the county or an administrator added here."""
        book = default_policy_book()
        for p in self.store.repo(PolicyPeriod).where(order="effective_from"):
            # Only this office's own periods and the county's count: a period another township
            # managed to send is not policy here (the import quarantines it; this is the second lock).
            if p.owner_office != self.s.office.code and not is_county_code(p.owner_office):
                continue
            try:
                book = book.add_period(
                    p.effective_from or "",
                    json.loads(p.values_json),
                    source=p.source,
                    note=p.note,
                    unconfirmed=p.unconfirmed,
                )
            except PolicyError as exc:  # a bad local period must not stop the office
                raise InvalidInput(f"本地政策参数（{p.effective_from} 起）有误：{exc}") from None
        return book

    def for_month(self, month: str) -> Params:
        """The figures in force on the 1st of ``month``."""
        try:
            return self.policy_book().for_month(month)
        except PolicyError as exc:
            raise InvalidInput(exc.message, field="month") from None

    def add_policy_period(
        self, effective_from: date, values: dict[str, Any], source: str, note: str = "", unconfirmed: bool = False
    ) -> PolicyPeriod:
        if not (self.s.can(permissions.COUNTY_DECIDE) or self.s.can(permissions.MANAGE_USERS)):
            permissions.require(self.s.user, permissions.COUNTY_DECIDE)
        period = PolicyPeriod(
            effective_from=effective_from,
            values_json=json.dumps(values, ensure_ascii=False),
            source=source,
            note=note,
            unconfirmed=unconfirmed,
        )
        try:
            period.validate()
            self.policy_book().add_period(effective_from, values, source=source, note=note, unconfirmed=unconfirmed)
        except ValidationError as exc:
            raise InvalidInput(exc.message, field=exc.field) from None
        except PolicyError as exc:
            raise InvalidInput(f"政策参数有误：{exc}", field="values") from None
        with self.store.transaction():
            self.store.save(period, self.s.user.username, "新增政策参数期")
        return period
