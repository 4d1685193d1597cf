"""``passerelle profile …``: create, list, show, rename, duplicate, delete, default, test."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from passerelle.cli.json_output import JsonFlag, emit
from passerelle.cli.profile_create_options import OptionProblem, shop_table, with_platform_options
from passerelle.connectors.base import ConnectionReport
from passerelle.platforms import (
    UnknownPlatform,
    backoffice_platforms,
    build_backoffice,
    build_shop,
    shop_platform,
    shop_platforms,
)
from passerelle.profiles import ProfileError, ProfileRepository, SecretError, data_dir_from

profile_app = typer.Typer(
    help="Profiles: one back-office + one shop + options.", no_args_is_help=True
)
console = Console()
err = Console(stderr=True)
SHOP_CHOICES = tuple(shop_platforms())
BACKOFFICE_CHOICES = tuple(backoffice_platforms())

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        "-d",
        help="Data directory (default: $PASSERELLE_DATA or ./passerelle-data).",
        show_default=False,
    ),
]


def _repo(data_dir: Path | None) -> ProfileRepository:
    return ProfileRepository(data_dir_from(data_dir))


# `profile list` met a file it could not read but listed the others: the exit code
# of a run "completed with problems" (issue 13 item 7), so a script sees it.
EXIT_PROBLEMS = 3


def _fail(message: str) -> None:
    # escaped: a refused name such as "[/x]" is the merchant's text, not markup
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(1)


def create(
    name: str,
    shipping_item: Annotated[str, typer.Option(help="Back-office item code for shipping.")],
    misc_item: Annotated[
        str,
        typer.Option(help="Item for order lines whose reference the back-office does not know."),
    ],
    gift_wrap_item: Annotated[str, typer.Option(help="Item for gift wrapping fees.")],
    gap_item: Annotated[
        str, typer.Option(help="Item for rounding differences with the shop's totals.")
    ],
    shop: Annotated[str, typer.Option(help="Shop platform: " + ", ".join(SHOP_CHOICES) + ".")] = (
        "woocommerce"
    ),
    backoffice: Annotated[
        str, typer.Option(help="Back-office: " + ", ".join(BACKOFFICE_CHOICES) + ".")
    ] = "tryton",
    tryton_database: Annotated[
        str | None, typer.Option(help="Tryton database name (a Tryton back-office needs it).")
    ] = None,
    tryton_uri: Annotated[str, typer.Option(help="sqlite:// or postgresql://…")] = "sqlite://",
    tryton_path: Annotated[Path | None, typer.Option(help="Directory of SQLite files.")] = None,
    ca_bundle: Annotated[
        Path | None,
        typer.Option(help="Certificate file to trust for the shop (a self-signed shop)."),
    ] = None,
    test_mode: Annotated[bool, typer.Option(help="Only shop → back-office flows run.")] = False,
    data_dir: DataDir = None,
    **shop_values: str | None,
) -> None:
    """Create a profile file for any shop platform; edit it afterwards for mappings and
    options. Each platform asks for its own connection options (listed below)."""
    repo = _repo(data_dir)
    try:
        if repo.exists(name):
            _fail(f"profile {name!r} already exists ({repo.path(name)})")
    except ProfileError as exc:
        _fail(str(exc))
    try:
        platform = shop_platform(shop)
        shop_data = shop_table(platform, shop_values, ca_bundle=ca_bundle)
    except (UnknownPlatform, OptionProblem) as exc:
        _fail(str(exc))
        return
    backoffice_table: dict[str, Any] = {"kind": backoffice}
    if backoffice == "tryton":
        backoffice_table.update(
            {
                "database": tryton_database,
                "uri": tryton_uri,
                **({"path": str(tryton_path)} if tryton_path else {}),
            }
        )
    data = {
        "name": name,
        "mode": "test" if test_mode else "production",
        "backoffice": {k: v for k, v in backoffice_table.items() if v is not None},
        "shop": shop_data,
        "orders": {
            "shipping_item": shipping_item,
            "misc_item": misc_item,
            "gift_wrap_item": gift_wrap_item,
            "gap_item": gap_item,
            **platform.profile_orders,
        },
    }
    try:
        profile = repo.validate(data, where=f"profile {name!r} cannot be created:")
        path = repo.save(profile, overwrite=False)
    except ProfileError as exc:
        _fail(str(exc))
        return
    console.print(f"created profile {name!r}: {path}")
    console.print(
        "Edit that file to set the tax, payment and status mappings "
        "(see the README), then run `passerelle profile test "
        f"{name}`."
    )


profile_app.command("create")(with_platform_options(create, shop_platforms()))


@profile_app.command("list")
def list_(data_dir: DataDir = None) -> None:
    """List profiles; the default one is marked with *. A profile file that cannot
    be read is named below the list with what to change, and the exit code is 3."""
    repo = _repo(data_dir)
    profiles, problems = repo.load_all()
    try:
        default = repo.default()
    except ProfileError as exc:
        default = None
        problems.append(f"{exc}, or run `passerelle profile default NAME`")
    table = Table("", "profile", "mode", "back-office", "shop")
    for name, profile in profiles.items():
        table.add_row(
            "*" if name == default else "",
            escape(name),
            profile.mode,
            escape(profile.backoffice.describe()),
            escape(f"{profile.shop.kind} {profile.shop.url}"),
        )
    console.print(table)
    if problems:
        err.print(f"[red]{len(problems)} profile file(s) could not be read:[/red]")
        for problem in problems:
            err.print(f"- {escape(problem)}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_PROBLEMS)


@profile_app.command("show")
def show(name: Annotated[str | None, typer.Argument()] = None, data_dir: DataDir = None) -> None:
    """Print a profile (secret references only — never secret values)."""
    repo = _repo(data_dir)
    try:
        name = repo.default() if name is None else name
        repo.load(name)  # says what is wrong with an invalid profile
        text = repo.text(name or "")
    except ProfileError as exc:
        _fail(str(exc))
        return
    console.print(f"# {repo.path(name or '')}", style="dim", markup=False, highlight=False)
    console.print(text, markup=False, highlight=False)


@profile_app.command("rename")
def rename(old: str, new: str, data_dir: DataDir = None) -> None:
    try:
        _repo(data_dir).rename(old, new)
    except ProfileError as exc:
        _fail(str(exc))
    console.print(f"renamed {old!r} to {new!r}")


@profile_app.command("duplicate")
def duplicate(source: str, new: str, data_dir: DataDir = None) -> None:
    try:
        _repo(data_dir).duplicate(source, new)
    except ProfileError as exc:
        _fail(str(exc))
    console.print(f"duplicated {source!r} as {new!r}")


@profile_app.command("delete")
def delete(
    name: str,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Delete a profile (asks for confirmation). Its runs stay in the store."""
    repo = _repo(data_dir)
    try:
        if not repo.exists(name):
            _fail(f"profile {name!r} does not exist")
        if not yes and not typer.confirm(f"Delete profile {name!r}?"):
            raise typer.Exit(1)
        repo.delete(name)
    except ProfileError as exc:
        _fail(str(exc))
    console.print(f"deleted profile {name!r}")


@profile_app.command("default")
def default(name: str, data_dir: DataDir = None) -> None:
    """Make a profile the one used when --profile is not given."""
    try:
        _repo(data_dir).set_default(name)
    except ProfileError as exc:
        _fail(str(exc))
    console.print(f"{name!r} is now the default profile")


@profile_app.command("export")
def export(
    name: str,
    file: Annotated[
        Path | None, typer.Argument(help="Where to write it (default: stdout).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Write a profile to a file, for a backup or another machine. Secrets stay behind."""
    # P3
    repo = _repo(data_dir)
    try:
        repo.load(name)  # refuse to export an invalid profile
        text = repo.text(name)
    except ProfileError as exc:
        _fail(str(exc))
        return
    if file is None:
        typer.echo(text, nl=False)
    else:
        file.write_text(text, encoding="utf-8")
        console.print(f"exported {name!r} to {file}")


@profile_app.command("import")
def import_(
    file: Path,
    name: Annotated[str | None, typer.Option(help="Import under this name.")] = None,
    force: Annotated[bool, typer.Option(help="Replace a profile of the same name.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Read a profile exported by `profile export`, checking every field first."""
    # P3
    repo = _repo(data_dir)
    try:
        profile = repo.import_file(file, name=name, overwrite=force)
    except ProfileError as exc:
        _fail(str(exc))
        return
    console.print(f"imported profile {profile.name!r}: {repo.path(profile.name)}")


@profile_app.command("test")
def test(
    name: Annotated[str | None, typer.Argument()] = None,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Test both connections and say what is wrong (URL, credentials, TLS, timeout), then
    list every tax, journal, item, warehouse, tax class, payment method, order status and
    shipping method the profile names that either side lacks."""
    from passerelle.flows.profile_check import check_profile

    directory = data_dir_from(data_dir)
    repo = ProfileRepository(directory)
    try:
        profile = repo.load(name)
    except ProfileError as exc:
        _fail(str(exc))
        return
    backoffice = shop = None
    try:
        backoffice = build_backoffice(profile.backoffice, directory)
        report = backoffice.test_connection()
    except Exception as exc:  # a connector that cannot even be built is a failed test
        report = ConnectionReport(False, str(exc))
    backoffice_ok, backoffice_report = report.ok, report
    if not as_json:
        _print_report(f"back-office ({profile.backoffice.kind})", report)
    try:
        shop = build_shop(profile.shop)
        report = shop.test_connection()
    except SecretError as exc:
        report = ConnectionReport(False, str(exc))
    shop_ok = report.ok
    if not as_json:
        _print_report(f"shop ({profile.shop.kind})", report)
    try:
        references = check_profile(
            profile, backoffice if backoffice_ok else None, shop if shop_ok else None
        )
    finally:
        if shop is not None:
            shop.close()
    ok = backoffice_ok and shop_ok and references.ok
    if as_json:
        emit(
            {
                "profile": profile.name,
                "ok": ok,
                "backoffice": _side_json(profile.backoffice.kind, backoffice_report),
                "shop": _side_json(profile.shop.kind, report),
                "references": {
                    "ok": references.ok,
                    "missing": [
                        {"side": m.side, "kind": m.kind, "name": m.name, "where": m.where}
                        for m in references.missing
                    ],
                    "unchecked": list(references.unchecked),
                },
            }
        )
        raise typer.Exit(0 if ok else 1)
    for line in references.lines():
        console.print(line, highlight=False, markup=False)
    raise typer.Exit(0 if ok else 1)


def _side_json(kind: str, report: ConnectionReport) -> dict[str, object]:
    return {"kind": kind, "ok": report.ok, "message": report.message}


def _print_report(side: str, report: ConnectionReport) -> None:
    console.print(
        f"{side}: "
        + ("[green]ok[/green] " if report.ok else "[red]FAILED[/red] ")
        + report.message,
        highlight=False,
    )
