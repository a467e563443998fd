"""The vocabulary: dimensions and themes with their SDG targets. Everyone reads it; an admin edits it."""

from __future__ import annotations

from dataclasses import replace

from nabolag.domain.vocabulary import DEFAULT_TERMS, Term, TermKind, check_term
from nabolag.errors import ConflictError, InputError, NotFoundError
from nabolag.i18n import _
from nabolag.services.context import Context
from nabolag.services.programme_base import audit, fail
from nabolag.store import programme as repo


def list_terms(ctx: Context, kind: str | None = None) -> list[Term]:
    with ctx.store.read() as conn:
        return repo.list_terms(conn, kind)


def _kind(kind: str) -> TermKind:
    try:
        return TermKind(kind)
    except ValueError:
        raise InputError(_("Ukjent ordtype «{kind}»; forventet dimension eller theme", kind=kind)) from None


def save_term(ctx: Context, term: Term) -> bool:
    """Create or change a dimension or theme (admin only). Returns True if it was new."""
    ctx.require_admin()
    term = replace(term, kind=_kind(str(term.kind)), sdg_targets=tuple(t.strip() for t in term.sdg_targets))
    fail(_("{kind} {code}", kind=str(term.kind), code=term.code[:60]), check_term(term))
    with ctx.store.transaction() as conn:
        new = repo.save_term(conn, term)
        audit(conn, ctx, "create" if new else "update", "vocabulary_term", f"{term.kind}:{term.code}",
              {"sdg_targets": list(term.sdg_targets)})
    return new


def remove_term(ctx: Context, kind: str, code: str) -> None:
    """Remove a term that no goal or input uses (admin only)."""
    ctx.require_admin()
    with ctx.store.transaction() as conn:
        term_id = repo.term_ids(conn).get((str(_kind(kind)), code))
        if term_id is None:
            raise NotFoundError(_("Ukjent {kind}: {code}", kind=kind, code=code))
        uses = repo.term_uses(conn, term_id)
        if uses:
            raise ConflictError(_("«{code}» brukes {n} steder (mål eller innspill) og kan ikke fjernes", code=code,
                                  n=uses))
        repo.delete_term(conn, term_id)
        audit(conn, ctx, "delete", "vocabulary_term", f"{kind}:{code}")


def restore_defaults(ctx: Context) -> int:
    """Put back every default term that is missing or changed (admin only). Returns how many changed."""
    ctx.require_admin()
    current = {(str(t.kind), t.code): t for t in list_terms(ctx)}
    changed = [t for t in DEFAULT_TERMS if current.get((str(t.kind), t.code)) != t]
    with ctx.store.transaction() as conn:
        for t in changed:
            repo.save_term(conn, t)
        audit(conn, ctx, "restore", "vocabulary_term", "defaults", {"changed": [t.code for t in changed]})
    return len(changed)
