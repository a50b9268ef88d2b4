"""Roles and what each may do, checked in the services (the UI only hides buttons)."""

from __future__ import annotations

from ..domain.entities import ROLE_NAMES, User
from ..errors import PermissionDenied

WRITE_REGISTER = "register.write"  # households, members, visits, alerts follow-up
RECORD_ENROLMENT = "enrolment.record"  # 经办人 records each workflow step
APPROVE_ENROLMENT = "enrolment.approve"  # 审核人 approves, locks rosters, closes the month
MANAGE_USERS = "users.manage"
VIEW_FULL_ID = "id.view_full"
COUNTY_DECIDE = "county.decide"

_GRANTS = {
    WRITE_REGISTER: {"clerk", "reviewer", "admin"},
    RECORD_ENROLMENT: {"clerk", "reviewer"},
    APPROVE_ENROLMENT: {"reviewer", "county"},
    MANAGE_USERS: {"admin"},
    VIEW_FULL_ID: {"clerk", "reviewer"},
    COUNTY_DECIDE: {"county"},
}

_WHAT = {
    WRITE_REGISTER: "修改户档案",
    RECORD_ENROLMENT: "登记救助办理环节",
    APPROVE_ENROLMENT: "审核审批",
    MANAGE_USERS: "管理用户",
    VIEW_FULL_ID: "查看完整身份证号",
    COUNTY_DECIDE: "作出县级决定",
}


def allowed(user: User, permission: str) -> bool:
    return user.active and user.role in _GRANTS[permission]


def require(user: User, permission: str) -> None:
    if not allowed(user, permission):
        raise PermissionDenied(f"{ROLE_NAMES.get(user.role, user.role)}（{user.username}）无权{_WHAT[permission]}。")
