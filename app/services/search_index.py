"""Search as you type over every member: name, pinyin initials, any part of an ID number.

A substring match cannot use a B-tree index, and scanning even a narrow table of
130,000 rows costs 30–40 ms under SQLCipher — over the 30 ms budget of docs/architecture.md §7.
So the search keys live in memory as a few long strings (one per key kind, one entry
per line) and a match is one C-speed ``str.find`` loop; a position maps back to the
member by fixed width (ID numbers) or by bisecting line offsets (names, pinyin).

The index is a cache of ``member_search`` (migration 2) and stays honest cheaply: before
each search it compares the newest change-log sequence with the one it was built at,
and members written since are laid over the base as a small overlay (their old entries
are hidden). Only search keys and household ids are held — about 10 MB for county-L.
Filtering and sorting stay in the database. A search also tells which member matched, so the
list can show it when that is not the head (a household found under 马小燕 is listed as 马建军's).
"""

from __future__ import annotations

import bisect
import heapq
import threading
from dataclasses import dataclass

from ..domain import idnumber
from .search_text import normalise_query

ID_WIDTH = 19  # 18 characters and a newline
OVERLAY_LIMIT = 5000  # beyond this many changed members, rebuild instead
MIN_ID_FRAGMENT = 3  # fewer digits match too many ID numbers to mean one


@dataclass
class _Entry:
    household_id: str
    name: str
    id_number: str
    initials: str
    pinyin: str


def search_kind(text: str) -> str:
    """'id' for digits (an ID-number fragment of three or more), 'pinyin' for latin letters, else 'name'."""
    text = normalise_query(text)
    cleaned = idnumber.clean(text)
    if (
        cleaned
        and len(cleaned) >= MIN_ID_FRAGMENT
        and (cleaned.isdigit() or (cleaned[:-1].isdigit() and cleaned[-1] == "X"))
    ):
        return "id"
    if text.isascii() and text.isalpha():
        return "pinyin"
    return "name"


class _Lines:
    """Many short strings in one, with the start offset of each line for bisecting."""

    def __init__(self, values: list[str]):
        self.values = values
        self.text = "\n" + "\n".join(values) + "\n"
        starts, pos = [], 1
        for v in values:
            starts.append(pos)
            pos += len(v) + 1
        self.starts = starts

    def find_all(self, needle: str, prefix: bool):
        """Indices of lines containing ``needle`` (or starting with it), in line order, once each."""
        pattern = ("\n" + needle) if prefix else needle
        find, starts, count = self.text.find, self.starts, len(self.starts)
        pos = find(pattern)
        while pos != -1:
            index = bisect.bisect_right(starts, pos + 1 if prefix else pos) - 1
            yield index
            if index + 1 >= count:
                return
            # Resume at the next line: one hit per member is enough.
            pos = find(pattern, starts[index + 1] - 1 if prefix else starts[index + 1])


class MemberSearchIndex:
    def __init__(self):
        self._lock = threading.Lock()
        self._built_seq: int | None = None
        self._seq = 0

    # --- building and staying fresh ----------------------------------------------------

    def _build(self, db) -> None:
        # The sequence first: a member written between the two reads is then replayed from the
        # change log on the next search (harmless if the snapshot already had it), never lost.
        seq = db.scalar("SELECT coalesce(max(seq), 0) FROM change_log")
        # member_search holds living rows only: the household service deletes a removed member's row.
        # In the order members were added (a household's matches are listed in it): a view has no
        # order of its own, the plan of its joins decides.
        rows = db.query(
            "SELECT member_id, household_id, name, id_number, initials, pinyin FROM member_search ORDER BY rid"
        )
        households: dict[str, str] = {}
        self._households = [households.setdefault(r[1], r[1]) for r in rows]  # one string per household
        self._member_ids = "".join(r[0].ljust(36) for r in rows)
        self._ids = "".join((r[3] or "").ljust(18)[:18] + "\n" for r in rows)
        self._names = _Lines([r[2] or "" for r in rows])
        self._initials = _Lines([r[4] or "" for r in rows])
        self._pinyin = _Lines([r[5] or "" for r in rows])
        self._hidden: set[int] = set()
        self._overlay: dict[str, _Entry | None] = {}
        self._built_seq = self._seq = seq

    def _refresh(self, db) -> None:
        newest = db.scalar("SELECT coalesce(max(seq), 0) FROM change_log")
        if self._built_seq is None or newest < self._seq:
            self._build(db)
            return
        if newest == self._seq:
            return
        # By sequence only, filtered here: asking SQLite for DISTINCT or for the entity makes it walk
        # the whole (entity, row_id) index (0.1 s on a county), the first search after any write.
        changed = list(
            dict.fromkeys(
                row_id
                for entity, row_id in db.query("SELECT entity, row_id FROM change_log WHERE seq > ?", (self._seq,))
                if entity == "members"
            )
        )
        self._seq = newest
        if len(self._overlay) + len(changed) > OVERLAY_LIMIT:
            self._build(db)
            return
        for member_id in changed:
            pos = self._member_ids.find(member_id.ljust(36))
            while pos != -1 and pos % 36:
                pos = self._member_ids.find(member_id.ljust(36), pos + 1)
            if pos != -1:
                self._hidden.add(pos // 36)
            row = db.query(
                "SELECT s.household_id, s.name, s.id_number, s.initials, s.pinyin FROM member_search s "
                "JOIN members m ON m.id = s.member_id WHERE s.member_id = ? AND m.deleted = 0",
                (member_id,),
            )
            self._overlay[member_id] = _Entry(*row[0]) if row else None

    # --- searching ---------------------------------------------------------------------

    def households(self, db, text: str, cap: int, *, full_ids: bool = True) -> tuple[list[str], bool]:
        """Household ids of people matching ``text`` (first match order), and whether ``cap`` people were passed.

        Without ``full_ids`` (a role shown masked numbers) an ID number matches only when typed whole:
        a part would let one find the hidden digits by trying them (which households match 1980?).
        """
        matched, capped = self.matches(db, text, cap, full_ids=full_ids)
        return list(matched), capped

    def matches(self, db, text: str, cap: int, *, full_ids: bool = True) -> tuple[dict[str, list[str]], bool]:
        """Like :meth:`households`, with the names of the members who matched, per household (in order)."""
        text = normalise_query(text)
        if not text:
            return {}, False
        if not full_ids and search_kind(text) == "id" and len(idnumber.clean(text)) != idnumber.LENGTH:
            return {}, False
        with self._lock:
            self._refresh(db)
            kind = search_kind(text)
            hits = self._hits(kind, text)
            out: dict[str, list[str]] = {}
            people = 0
            capped = False
            names = self._names.values
            for index in hits:
                if index in self._hidden:
                    continue
                people += 1
                if people > cap:
                    capped = True
                    break
                out.setdefault(self._households[index], []).append(names[index])
            if not capped:
                for entry in self._overlay.values():
                    if entry is not None and _matches(entry, kind, text):
                        out.setdefault(entry.household_id, []).append(entry.name)
            return out, capped

    def people(self, db, text: str, limit: int, *, full_ids: bool = True) -> list[tuple[str, str, str]]:
        """(household id, name, full ID number) of up to ``limit`` members matching ``text``, in match order.

        For a search-as-you-type drop-down; the caller masks the number for roles that see it masked.
        """
        text = normalise_query(text)
        if not text or limit <= 0:
            return []
        if not full_ids and search_kind(text) == "id" and len(idnumber.clean(text)) != idnumber.LENGTH:
            return []
        with self._lock:
            self._refresh(db)
            kind = search_kind(text)
            out = []
            for index in self._hits(kind, text):
                if index in self._hidden:
                    continue
                out.append(
                    (
                        self._households[index],
                        self._names.values[index],
                        self._ids[index * ID_WIDTH : index * ID_WIDTH + 18].rstrip(),
                    )
                )
                if len(out) >= limit:
                    return out
            for entry in self._overlay.values():
                if entry is not None and _matches(entry, kind, text):
                    out.append((entry.household_id, entry.name, entry.id_number))
                    if len(out) >= limit:
                        break
            return out

    def _hits(self, kind: str, text: str):
        if kind == "id":
            return self._id_hits(idnumber.clean(text))
        if kind == "pinyin":
            low = text.lower()
            return _merge(self._initials.find_all(low, True), self._pinyin.find_all(low, True))
        return self._names.find_all(text, False)

    def _id_hits(self, fragment: str):
        find = self._ids.find
        pos = find(fragment)
        while pos != -1:
            index = pos // ID_WIDTH
            yield index
            pos = find(fragment, (index + 1) * ID_WIDTH)


def _merge(a, b):
    """Union of two ascending index streams, ascending and lazy (a search stops at its cap)."""
    last = -1
    for index in heapq.merge(a, b):
        if index != last:
            last = index
            yield index


def _matches(entry: _Entry, kind: str, text: str) -> bool:
    if kind == "id":
        return idnumber.clean(text) in entry.id_number
    if kind == "pinyin":
        low = text.lower()
        return entry.initials.startswith(low) or entry.pinyin.startswith(low)
    return text in entry.name
