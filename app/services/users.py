"""The office's users: listing, adding, resetting a password, deactivating (administrator only).

Deactivating drops the user's key slot, so they cannot sign in here; an older copy of the slot
file still unwraps the same database key, which is why the administrator can re-key the
database (``session.keys.rekey``). After a re-key the other users have no slot until the
administrator sets them a new password (:meth:`UserService.needing_password`).
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from ..db.keyslots import KeySlotFile
from ..domain.entities import User, ValidationError
from ..errors import AlreadyExists, InvalidInput, NotFound
from . import permissions
from .base import Service

if TYPE_CHECKING:
    from .session import Session  # noqa: F401


class UserService(Service):
    def list(self) -> list[User]:
        return self.s.store.repo(User).where(order="username")

    def needing_password(self) -> builtins.list[str]:
        """Active users with no key slot (after a re-key): they cannot sign in until the
        administrator sets them a new password."""
        slots = KeySlotFile.load(self.s.paths.slots)
        return [u.username for u in self.list() if u.active and slots.user_slot(u.username) is None]

    def add(self, username: str, role: str, password: str, display_name: str = "") -> User:
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        if self.s.store.repo(User).where("username = ?", (username,)):
            raise AlreadyExists(f"用户名 {username} 已存在。")
        user = User(username=username, display_name=display_name or username, role=role)
        try:
            user.validate()
        except ValidationError as exc:
            raise InvalidInput(exc.message) from None
        with self.s.store.transaction():
            self.s.store.save(user, self.s.user.username, "新增用户")
            self.s._set_password(username, password)
        return user

    def reset_password(self, username: str, password: str) -> None:
        """The administrator sets another user's password (one's own goes through change_password)."""
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        if username == self.s.user.username:
            raise InvalidInput("修改自己的密码请用“修改密码”，并输入原密码。")
        found = self.s.store.repo(User).where("username = ?", (username,))
        if not found or not found[0].active:
            raise NotFound(f"没有在用的用户 {username}。")
        self.s._set_password(username, password)

    def deactivate(self, username: str) -> None:
        permissions.require(self.s.user, permissions.MANAGE_USERS)
        found = self.s.store.repo(User).where("username = ?", (username,))
        if not found:
            raise NotFound(f"没有用户 {username}。")
        before = found[0]
        user = User(**{**before.__dict__, "active": False})
        with self.s.store.transaction():
            self.s.store.save(user, self.s.user.username, "停用用户", before=before)
            self.s.slots = KeySlotFile.modify(self.s.paths.slots, lambda f: f.remove_user(username))
