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
from passerelle.i18n import _, ngettext
from passerelle.i18n.messages import render, said
from passerelle.platforms import (
    UnknownPlatform,
    backoffice_platforms,
    shop_platform,
    shop_platforms,
)
from passerelle.profiles import ProfileError, ProfileRepository, data_dir_from

profile_app = typer.Typer(
    help=_("Profiles: one back-office + one shop + options."), no_args_is_help=True
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
        help=_("Data directory (default: $PASSERELLE_DATA or ./passerelle-data)."),
        show_default=False,
    ),
]


def _repo(data_dir: Path | None) -> ProfileRepository:
    return ProfileRepository(data_dir_from(data_dir))


# `profile list` met a file it could not read but listed the others: the exit code
# of a run "completed with problems" (issue 13 item 7), so a script sees it.
EXIT_PROBLEMS = 3


def _fail(message: str | BaseException) -> None:
    """Print ``message`` (an exception's kept message in the terminal's language), exit 1."""
    text = render(said(message)) if isinstance(message, BaseException) else message
    # escaped: a refused name such as "[/x]" is the merchant's text, not markup
    err.print(
        "[red]" + _("error:") + f"[/red] {escape(text)}",
        highlight=False,
        markup=True,
        soft_wrap=True,
    )
    raise typer.Exit(1)


def create(
    name: Annotated[str, typer.Argument(help=_("The new profile's name."))],
    shipping_item: Annotated[str, typer.Option(help=_("Back-office item code for shipping."))],
    misc_item: Annotated[
        str,
        typer.Option(help=_("Item for order lines whose reference the back-office does not know.")),
    ],
    gift_wrap_item: Annotated[str, typer.Option(help=_("Item for gift wrapping fees."))],
    gap_item: Annotated[
        str, typer.Option(help=_("Item for rounding differences with the shop's totals."))
    ],
    shop: Annotated[
        str, typer.Option(help=_("Shop platform: %(kinds)s.", kinds=", ".join(SHOP_CHOICES)))
    ] = ("woocommerce"),
    backoffice: Annotated[
        str, typer.Option(help=_("Back-office: %(kinds)s.", kinds=", ".join(BACKOFFICE_CHOICES)))
    ] = "tryton",
    tryton_database: Annotated[
        str | None, typer.Option(help=_("Tryton database name (a Tryton back-office needs it)."))
    ] = None,
    tryton_uri: Annotated[str, typer.Option(help=_("sqlite:// or postgresql://…"))] = "sqlite://",
    tryton_path: Annotated[Path | None, typer.Option(help=_("Directory of SQLite files."))] = None,
    ca_bundle: Annotated[
        Path | None,
        typer.Option(help=_("Certificate file to trust for the shop (a self-signed shop).")),
    ] = None,
    test_mode: Annotated[bool, typer.Option(help=_("Only shop → back-office flows run."))] = False,
    data_dir: DataDir = None,
    **shop_values: str | None,
) -> None:
    """Create a profile file (help below, where the command is declared)."""
    repo = _repo(data_dir)
    try:
        if repo.exists(name):
            _fail(_("profile %(name)r already exists (%(path)s)", name=name, path=repo.path(name)))
    except ProfileError as exc:
        _fail(exc)
    try:
        platform = shop_platform(shop)
        shop_data = shop_table(platform, shop_values, ca_bundle=ca_bundle)
    except (UnknownPlatform, OptionProblem) as exc:
        _fail(exc)
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
        profile = repo.validate(data, where=_("profile %(name)r cannot be created:", name=name))
        path = repo.save(profile, overwrite=False)
    except ProfileError as exc:
        _fail(exc)
        return
    console.print(_("created profile %(name)r: %(path)s", name=name, path=path))
    console.print(
        _(
            "Edit that file to set the tax, payment and status mappings (see the README), "
            "then run `passerelle profile test %(name)s`.",
            name=name,
        )
    )


profile_app.command(
    "create",
    help=_(
        "Create a profile file for any shop platform; edit it afterwards for mappings and "
        "options. Each platform asks for its own connection options (listed below)."
    ),
)(with_platform_options(create, shop_platforms()))


@profile_app.command(
    "list",
    help=_(
        "List profiles; the default one is marked with *. A profile file that cannot be read "
        "is named below the list with what to change, and the exit code is 3."
    ),
)
def list_(data_dir: DataDir = None) -> None:
    """List profiles, and the files that cannot be read (exit 3)."""
    repo = _repo(data_dir)
    profiles, problems = repo.load_all()
    try:
        default = repo.default()
    except ProfileError as exc:
        default = None
        problems.append(
            _(
                "%(reason)s, or run `passerelle profile default NAME`",
                reason=render(said(exc)),
            )
        )
    table = Table("", _("profile"), _("mode"), _("back-office"), _("shop"))
    for name, profile in profiles.items():
        table.add_row(
            "*" if name == default else "",
            escape(name),
            _("test") if profile.mode == "test" else _("production"),
            escape(profile.backoffice.describe()),
            escape(f"{profile.shop.kind} {profile.shop.url}"),
        )
    console.print(table)
    if problems:
        err.print(
            "[red]"
            + ngettext(
                "%(num)s profile file could not be read:",
                "%(num)s profile files could not be read:",
                len(problems),
            )
            + "[/red]"
        )
        for problem in problems:
            err.print(f"- {escape(problem)}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_PROBLEMS)


@profile_app.command(
    "show", help=_("Print a profile (secret references only — never secret values).")
)
def show(
    name: Annotated[
        str | None, typer.Argument(help=_("The profile (default: the default one)."))
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Print a profile's file as it is, secret references only."""
    repo = _repo(data_dir)
    try:
        name = repo.default() if name is None else name
        repo.load(name)  # says what is wrong with an invalid profile
        text = repo.text(name or "")
    except ProfileError as exc:
        _fail(exc)
        return
    console.print(f"# {repo.path(name or '')}", style="dim", markup=False, highlight=False)
    console.print(text, markup=False, highlight=False)


@profile_app.command("rename", help=_("Rename a profile (its file and its default mark)."))
def rename(
    old: Annotated[str, typer.Argument(help=_("The profile's name."))],
    new: Annotated[str, typer.Argument(help=_("Its new name."))],
    data_dir: DataDir = None,
) -> None:
    try:
        _repo(data_dir).rename(old, new)
    except ProfileError as exc:
        _fail(exc)
    console.print(_("renamed %(old)r to %(new)r", old=old, new=new))


@profile_app.command("duplicate", help=_("Copy a profile under a new name."))
def duplicate(
    source: Annotated[str, typer.Argument(help=_("The profile to copy."))],
    new: Annotated[str, typer.Argument(help=_("The copy's name."))],
    data_dir: DataDir = None,
) -> None:
    try:
        _repo(data_dir).duplicate(source, new)
    except ProfileError as exc:
        _fail(exc)
    console.print(_("duplicated %(source)r as %(new)r", source=source, new=new))


@profile_app.command(
    "delete", help=_("Delete a profile (asks for confirmation). Its runs stay in the store.")
)
def delete(
    name: Annotated[str, typer.Argument(help=_("The profile to delete."))],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help=_("Do not ask for confirmation."))
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Delete a profile (asks for confirmation). Its runs stay in the store."""
    repo = _repo(data_dir)
    try:
        if not repo.exists(name):
            _fail(_("profile %(name)r does not exist", name=name))
        if not yes and not typer.confirm(_("Delete profile %(name)r?", name=name)):
            raise typer.Exit(1)
        repo.delete(name)
    except ProfileError as exc:
        _fail(exc)
    console.print(_("deleted profile %(name)r", name=name))


@profile_app.command("default", help=_("Make a profile the one used when --profile is not given."))
def default(
    name: Annotated[str, typer.Argument(help=_("The profile."))], data_dir: DataDir = None
) -> None:
    """Make a profile the one used when --profile is not given."""
    try:
        _repo(data_dir).set_default(name)
    except ProfileError as exc:
        _fail(exc)
    console.print(_("%(name)r is now the default profile", name=name))


@profile_app.command(
    "export",
    help=_("Write a profile to a file, for a backup or another machine. Secrets stay behind."),
)
def export(
    name: Annotated[str, typer.Argument(help=_("The profile."))],
    file: Annotated[
        Path | None, typer.Argument(help=_("Where to write it (default: stdout)."))
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
        _fail(exc)
        return
    if file is None:
        typer.echo(text, nl=False)
    else:
        file.write_text(text, encoding="utf-8")
        console.print(_("exported %(name)r to %(path)s", name=name, path=file))


@profile_app.command(
    "import", help=_("Read a profile exported by `profile export`, checking every field first.")
)
def import_(
    file: Annotated[Path, typer.Argument(help=_("The exported profile file."))],
    name: Annotated[str | None, typer.Option(help=_("Import under this name."))] = None,
    force: Annotated[bool, typer.Option(help=_("Replace a profile of the same name."))] = False,
    data_dir: DataDir = None,
) -> None:
    """Read a profile exported by `profile export`, checking every field first."""
    # P3
    repo = _repo(data_dir)
    try:
        profile = repo.import_file(file, name=name, overwrite=force)
    except ProfileError as exc:
        _fail(exc)
        return
    console.print(
        _("imported profile %(name)r: %(path)s", name=profile.name, path=repo.path(profile.name))
    )


@profile_app.command(
    "test",
    help=_(
        "Test both connections and say what is wrong (URL, credentials, TLS, timeout), then "
        "list every tax, journal, item, warehouse, tax class, payment method, order status "
        "and shipping method the profile names that either side lacks."
    ),
)
def test(
    name: Annotated[
        str | None, typer.Argument(help=_("The profile (default: the default one)."))
    ] = None,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Test both connections, then what the profile names that either side lacks."""
    from passerelle.runner.profile_test import run_profile_test

    directory = data_dir_from(data_dir)
    repo = ProfileRepository(directory)
    try:
        profile = repo.load(name)
    except ProfileError as exc:
        _fail(exc)
        return
    tested = run_profile_test(profile, directory)
    backoffice_report, report, references = tested.backoffice, tested.shop, tested.references
    if not as_json:
        _print_report(_("back-office (%(kind)s)", kind=profile.backoffice.kind), backoffice_report)
        _print_report(_("shop (%(kind)s)", kind=profile.shop.kind), report)
    ok = tested.ok
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
                "ineffective": [
                    {"option": i.path, "platform": i.platform, "message": render(i.said())}
                    for i in tested.ineffective
                ],
            }
        )
        raise typer.Exit(0 if ok else 1)
    for line in references.lines():
        console.print(line, highlight=False, markup=False)
    for item in tested.ineffective:
        console.print(
            "[yellow]" + _("warning:") + "[/yellow] " + escape(render(item.said())),
            highlight=False,
            soft_wrap=True,  # one line each, as scripts grep them
        )
    raise typer.Exit(0 if ok else 1)


def _side_json(kind: str, report: ConnectionReport) -> dict[str, object]:
    return {"kind": kind, "ok": report.ok, "message": report.message}


def _print_report(side: str, report: ConnectionReport) -> None:
    console.print(
        f"{side}: "
        + ("[green]" + _("ok") + "[/green] " if report.ok else "[red]" + _("FAILED") + "[/red] ")
        + render(report.message),
        highlight=False,
    )
