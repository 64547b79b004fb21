"""What every `golive` subcommand shares: one-line errors with exit codes, --db, and who is acting.

Kept apart from golive.cli.main so that subcommands in their own modules import it without an
import cycle through the command group.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from golive import paths

F = TypeVar("F", bound=Callable[..., Any])


def counted(n: int, noun: str) -> str:
    """'1 event', '3 events': a count with its noun in the right number (nouns here take a plain -s)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _fail(message: str, code: int) -> None:
    from golive.safetext import visible

    click.echo(f"golive: {visible(message)}", err=True)
    sys.exit(code)


def friendly(func: F) -> F:
    """Turn GoliveError and ProblemsFound into lines and exit codes; never a traceback.

    Messages quote what people typed and what runbooks and journals hold: they are printed through
    golive.safetext, so an escape sequence in them is shown, never obeyed by the terminal.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from golive.problems import GoliveError, ProblemsFound
        from golive.safetext import visible

        try:
            return func(*args, **kwargs)
        except ProblemsFound as exc:
            for problem in exc.problems:
                click.echo(visible(problem), err=True)
            n = len(exc.problems)
            click.echo(f"{n} problem{'s' if n != 1 else ''} found", err=True)
            sys.exit(exc.exit_code)
        except GoliveError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if paths.debug():
                raise
            _fail(f"internal error ({type(exc).__name__}): {str(exc).splitlines()[0] if str(exc) else ''} "
                  "(set GOLIVE_DEBUG=1 for details)", 3)  # fmt: skip

    return wrapper  # type: ignore[return-value]


db_option = click.option(
    "--db", "db", type=click.Path(dir_okay=False), default=None,
    help="State database (default: $GOLIVE_DB, else the user data directory).",
)  # fmt: skip


run_option = click.option(
    "--run", "run_ref", default=None, metavar="NAME",
    help="The run (name, UUID or UUID prefix); default: the only open run, else the only run.",
)  # fmt: skip
json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON document on stdout (keys: see the README)."
)


def pick_run(positional: str | None, option: str | None) -> str | None:
    """The run a command names, as RUN or --run NAME (the same run twice is fine); None: "the run"."""
    if positional is not None and option is not None and positional != option:
        raise click.UsageError(f"two runs named: {positional!r} and --run {option!r}")
    return option if option is not None else positional


def print_json(document: Any) -> None:
    """One JSON document on stdout: UTF-8, keys in a stable order, one trailing newline."""
    import json

    click.echo(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False))


def _actor_options(func: F) -> F:
    func = click.option("--role", envvar=paths.ROLE_ENV, default="", help="Role you act in [env GOLIVE_ROLE].")(func)
    func = click.option(
        "--initials", envvar=paths.INITIALS_ENV, default=None, help="Your initials [env GOLIVE_INITIALS]."
    )(func)
    func = click.option(
        "--name", envvar=paths.NAME_ENV, default=None,
        help="Your name [env GOLIVE_NAME; default: the operator `golive run` remembers on this machine].",
    )(func)  # fmt: skip
    return func


def _actor(name: str | None, initials: str | None, role: str) -> Any:
    """Who acts: the person named (initials derived from the name unless given, and then they must be
    that name's), else the operator remembered on this machine; never the OS login. Exit 2 otherwise."""
    from golive.problems import GoliveError
    from golive.progress.events import Actor, initials_of
    from golive.progress.rules import actor_problem
    from golive.tui.operator import remembered

    who = " ".join((name or "").split())
    if who:
        actor = Actor(who, (initials or "").strip() or initials_of(who), role.strip())
    elif (known := remembered()) is not None:
        actor = Actor(known.name, (initials or "").strip() or known.initials, role.strip() or known.role)
    else:
        raise GoliveError(
            "who is acting? give --name (or GOLIVE_NAME): no operator is remembered on this machine yet",
            exit_code=2,
        )
    if (why := actor_problem(actor)) is not None:
        raise GoliveError(why, exit_code=2)
    return actor
