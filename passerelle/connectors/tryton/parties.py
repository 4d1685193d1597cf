"""Customers in Tryton: finding a party, creating or updating it, its addresses.

Functions over trytond's pool, called inside a transaction opened by the
connector. A new party gets what O5/O6/K7 ask for (company number,
receivable account, category, sales representative); an existing one keeps
its own: the merchant may have changed them since.
"""

from __future__ import annotations

from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.connectors.tryton import translate
from passerelle.connectors.tryton.lookups import NO_LOOKUPS, Lookups
from passerelle.i18n.messages import M_, Text
from passerelle.model import Address, Customer

__all__ = [
    "ensure_address",
    "find_party",
    "normalize_identifier",
    "party_agent",
    "upsert_party",
]


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def normalize_identifier(value: str) -> str:
    """A company or person number without spaces, dots or dashes, upper case.

    Why: buyers type "FR 40 303 265 045" or "fr40303265045"; both are the
    number Tryton keeps as "FR40303265045".
    """
    return "".join(ch for ch in value if ch.isalnum()).upper()


def find_party(
    pool: Any,
    *,
    code: str = "",
    email: str = "",
    tax_identifier: str = "",
    lookups: Lookups = NO_LOOKUPS,
) -> Any:
    """By code, else by e-mail (case-insensitive), else by identifier; ``None`` if none matches.

    ``lookups``: what the unit of work already found by code (a party found by
    e-mail is noted under its code, since a search by that code would find it).
    """
    if code:
        party = lookups.find(pool, "party.party", code, lambda: _party_by_code(pool, code))
        if party is not None:
            return party
    if email.strip():
        Mechanism = pool.get("party.contact_mechanism")
        found = Mechanism.search(
            [("type", "=", "email"), ("value", "ilike", _escape_like(email.strip()))],
            order=[("party", "ASC")],
            limit=1,
        )
        if found:
            party = found[0].party
            if party.code and party.active:  # what the search by its code finds
                lookups.note("party.party", party.code, party)
            return party
    wanted = normalize_identifier(tax_identifier)
    if wanted:
        Identifier = pool.get("party.identifier")
        # The stored code may hold spaces ("FR 40 303 265 045"): its last
        # three characters survive them; the exact check is done below.
        candidates = Identifier.search(
            ["OR", ("code_compact", "ilike", wanted), ("code", "ilike", f"%{wanted[-3:]}%")],
            order=[("party", "ASC")],
        )
        for identifier in candidates:
            codes = (identifier.code or "", identifier.code_compact or "")
            if wanted in {normalize_identifier(c) for c in codes}:
                return identifier.party
    return None


def _party_by_code(pool: Any, code: str) -> Any | None:
    parties = pool.get("party.party").search([("code", "=", code)], limit=1)
    return parties[0] if parties else None


def party_name(customer: Customer) -> str:
    return (
        customer.name.strip()
        or " ".join(p for p in (customer.first_name, customer.last_name) if p)
        or customer.company
        or customer.email
    )


def upsert_party(
    pool: Any, customer: Customer, *, update_addresses: bool = True, lookups: Lookups = NO_LOOKUPS
) -> Any:
    """Create or update the party ``customer.code`` (see ``TrytonBackOffice.upsert_customer``);
    ``lookups``: what the unit of work already found, told of a party created."""
    Party = pool.get("party.party")
    Mechanism = pool.get("party.contact_mechanism")
    label = M_(
        "customer %(customer)s", customer=repr(customer.code or customer.email or customer.name)
    )
    name = party_name(customer)
    if not name:
        raise RecordError(M_("%(customer)s: no name, company or e-mail to name it", customer=label))
    party = find_party(pool, code=customer.code, lookups=lookups) if customer.code else None
    is_new = party is None
    if party is None:
        values: dict[str, Any] = {"name": name}
        if customer.code:
            values["code"] = customer.code
        (party,) = Party.create([values])
        if customer.code:
            lookups.note("party.party", customer.code, party)
        _set_new_party_defaults(pool, party, customer, label)
    elif party.name != name:
        party.name = name
        party.save()
    for kind, value in (("email", customer.email), ("phone", customer.phone)):
        if not value:
            continue
        current = [m for m in party.contact_mechanisms if m.type == kind]
        if not current:
            Mechanism.create([{"party": party.id, "type": kind, "value": value}])
        elif current[0].value != value:
            current[0].value = value
            current[0].save()
    if is_new or update_addresses:
        for address in customer.addresses:
            if not address.is_empty():
                ensure_address(pool, party, address, own=True)
    return Party(party.id)


def _set_new_party_defaults(pool: Any, party: Any, customer: Customer, label: Text) -> None:
    """Number, receivable account, category and representative of a party just created."""
    if customer.tax_identifier.strip():
        _add_identifier(pool, party, customer.tax_identifier)
    if customer.category:
        Category = pool.get("party.category")
        found = Category.search([("name", "=", customer.category)], limit=1)
        if not found:
            raise RecordError(
                M_(
                    "%(customer)s: customer category %(category)s does not exist in Tryton "
                    "(Party › Configuration › Categories); create it or change the profile",
                    customer=label,
                    category=repr(customer.category),
                )
            )
        party.categories = [found[0]]
    if customer.receivable_account:
        party.account_receivable = receivable_account(
            pool, customer.receivable_account, party.name, label
        )
    party.save()
    if customer.representative:
        agent = find_agent(pool, customer.representative)
        if agent is None:
            raise RecordError(
                M_(
                    "%(customer)s: sales representative %(agent)s is not a commission agent in "
                    "Tryton (Commission › Agents); create it or change the profile",
                    customer=label,
                    agent=repr(customer.representative),
                )
            )
        pool.get("commission.agent.selection").create([{"agent": agent.id, "party": party.id}])


def _add_identifier(pool: Any, party: Any, number: str) -> None:
    """The buyer's number, typed ``eu_vat`` when it is a valid EU VAT number."""
    from stdnum.eu import vat

    compact = normalize_identifier(number)
    kind = "eu_vat" if vat.is_valid(compact) else None
    pool.get("party.identifier").create(
        [{"party": party.id, "type": kind, "code": compact if kind else number.strip()}]
    )


def receivable_account(pool: Any, code: str, party_name: str, label: Text) -> Any:
    """O5: the receivable account ``code``, created like the company's default one if missing.

    Same parent and account type as the default receivable account of the
    accounting configuration, reconcilable, with a party required on its
    lines, so it behaves exactly like the default for invoices and payments.
    """
    from trytond.transaction import Transaction

    Account = pool.get("account.account")
    company = Transaction().context.get("company")
    found = Account.search([("code", "=", code), ("company", "=", company)], limit=1)
    if found:
        account = found[0]
        if not (account.type and account.type.receivable) or account.closed:
            raise RecordError(
                M_(
                    "%(customer)s: account %(account)s exists in Tryton but is not an open "
                    "receivable account; choose another code or fix the account's type",
                    customer=label,
                    account=code,
                )
            )
        return account
    default = pool.get("account.configuration")(1).get_multivalue(
        "default_account_receivable", company=company
    )
    if default is None:
        raise RecordError(
            M_(
                "%(customer)s: Tryton has no default receivable account to copy for %(account)s "
                "(Accounting › Configuration › Default Account Receivable)",
                customer=label,
                account=code,
            )
        )
    (account,) = Account.create(
        [
            {
                "name": f"Clients — {party_name}",
                "code": code,
                "type": default.type.id,
                "parent": default.parent.id if default.parent else None,
                "reconcile": True,
                "party_required": True,
                "company": company,
            }
        ]
    )
    return account


def find_agent(pool: Any, name: str) -> Any | None:
    """The commission agent whose party is named ``name`` (a sales representative)."""
    try:
        Agent = pool.get("commission.agent")
    except KeyError:
        return None
    found = Agent.search([("type_", "=", "agent"), ("party.name", "=", name)], limit=1)
    return found[0] if found else None


def party_agent(pool: Any, party: Any) -> Any | None:
    """The representative chosen for ``party`` (its own agent selection), if any."""
    try:
        Selection = pool.get("commission.agent.selection")
    except KeyError:
        return None
    found = Selection.search([("party", "=", party.id)], limit=1)
    return found[0].agent if found else None


def country(pool: Any, code: str) -> Any | None:
    """The country of an ISO code, created on first use (Tryton ships none)."""
    if not code:
        return None
    Country = pool.get("country.country")
    code = code.strip().upper()
    found = Country.search([("code", "=", code)], limit=1)
    if found:
        return found[0]
    name = code
    try:
        import pycountry  # optional: nicer names when installed

        record = pycountry.countries.get(alpha_2=code)
        if record is not None:
            name = record.name
    except ImportError:
        pass
    (created,) = Country.create([{"name": name, "code": code}])
    return created


def ensure_address(pool: Any, party: Any, address: Address, *, own: bool = False) -> Any:
    """The party's address equal to ``address``, created if it has none."""
    Address_ = pool.get("party.address")
    values = translate.address_values(
        address, party.name, country(pool, address.country_code), own=own
    )
    for existing in party.addresses:
        if existing.active and translate.address_matches(existing, values):
            return existing
    (created,) = Address_.create([{**values, "party": party.id}])
    return created
