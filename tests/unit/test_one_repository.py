"""golive speaks SQL in one module: golive.store.repository (and golive.store.db, which sets up the
engine and the schema). Any other module that queries the database, by any driver or style, fails here.

Read token by token, so a comment or a docstring that names sqlite3 is not code that uses it."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import golive

SRC = Path(golive.__file__).parent
ALLOWED = {SRC / "store" / "repository.py", SRC / "store" / "db.py"}
DRIVER_NAMES = {"sqlite3", "exec_driver_sql", "execute", "executemany", "executescript", "driver_connection"}
QUERY_BUILDERS = {"select", "insert", "update", "delete", "text", "func", "Connection", "Session"}
SQL_TEXT = re.compile(r"^[rbuRBU]*(\"\"\"|'''|\"|')\s*(SELECT|INSERT|UPDATE|DELETE|PRAGMA|CREATE|DROP|BEGIN)\b")


def sql_in(source: str) -> list[str]:
    """Where `source` uses a database driver, builds a query, or holds SQL text."""
    found = []
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type != tokenize.COMMENT]
    for i, tok in enumerate(tokens):
        before = tokens[i - 1].string if i else ""
        after = tokens[i + 1].string if i + 1 < len(tokens) else ""
        driver = tok.type == tokenize.NAME and tok.string in DRIVER_NAMES
        query = tok.type == tokenize.NAME and tok.string == "select" and after == "(" and before != "."
        sql_text = tok.type == tokenize.STRING and SQL_TEXT.match(tok.string)
        if driver or query or sql_text:
            found.append(f"{tok.start[0]}: {tok.line.strip()}")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("sqlalchemy", "sqlmodel"):
            found += [f"{node.lineno}: imports {a.name}" for a in node.names if a.name in QUERY_BUILDERS]
    return found


def test_only_the_repository_speaks_sql() -> None:
    offenders = {
        str(path.relative_to(SRC)): hits
        for path in sorted(SRC.rglob("*.py"))
        if path not in ALLOWED and (hits := sql_in(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_check_sees_every_style_golive_has_used() -> None:
    assert sql_in("import sqlite3\n")
    assert sql_in("conn.exec_driver_sql('PRAGMA user_version')\n")
    assert sql_in("rows = conn.execute(q)\n")
    assert sql_in("q = select(table.c.uuid)\n")
    assert sql_in("conn.execute(insert(table), rows)\n")
    assert sql_in("from sqlalchemy import Connection, insert\n")
    assert sql_in("from sqlmodel import Session, select\n")
    assert sql_in('SQL = "SELECT uuid FROM run"\n')
    assert sql_in("raw = conn.connection.driver_connection\n")
    assert not sql_in('"""Read a run (SELECT nothing here)."""\n# sqlite3 in a comment\nselect.select([c], [], [])\n')
    assert not sql_in("self._select('task-state')\n")
    assert sql_in((SRC / "store" / "repository.py").read_text(encoding="utf-8"))  # it does see the real thing
