"""Demo accounts: one per role, a fresh password each, usable to sign in; a second run changes nothing."""

from nabolag.demo_accounts import DEMO_ACCOUNTS, add_demo_accounts
from nabolag.domain.zones import Area
from nabolag.services import Context, users, zones


def test_demo_accounts_sign_in_with_their_printed_passwords(ctx: Context) -> None:
    zones.save_area(ctx, Area(code="groruddalen", name="Groruddalen"))
    made = add_demo_accounts(ctx)
    assert {a.username: a.role for a in made} == {u: r for u, (r, _) in DEMO_ACCOUNTS.items()}
    assert len({a.password for a in made}) == len(made)  # each its own password
    for account in made:
        assert account.password is not None and len(account.password) >= 12
        signed_in = users.authenticate(ctx, account.username, account.password)
        assert signed_in is not None and signed_in.role == account.role
    assert users.coordinator_areas(ctx, "koordinator") == ("groruddalen",)
    again = add_demo_accounts(ctx)
    assert [a.password for a in again] == [None] * len(made)
    first = next(a for a in made if a.username == "admin")
    assert users.authenticate(ctx, "admin", first.password or "") is not None  # password unchanged
