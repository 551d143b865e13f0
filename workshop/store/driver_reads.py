"""The few reads every phone request makes, run on SQLite straight through its driver.

SQLAlchemy's execution layer costs more than SQLite takes to run these reads: 73 µs for the
session lookup against 14 µs through the sqlite3 connection with the same SQL, 34 µs against
5 µs for the participant lookup (one process, 5,000 runs each). A phone request makes several,
on the event loop, where a busy room's server spends its one core.

So, on SQLite, each such statement is compiled once by SQLAlchemy (the very SQL it would send),
run on the pooled connection's own sqlite3 connection (`Connection.connection.driver_connection`,
SQLAlchemy's public way to it), and its columns go through the result processors SQLAlchemy
would apply (a Boolean column's 0 and 1 become False and True). A driver error is raised as
SQLAlchemy would raise it (`DBAPIError.instance`), so the web layer's "try again" page still
knows it. Transactions are unchanged: Python's sqlite3 begins none for a SELECT, through
SQLAlchemy or not. Everything else, and every read on PostgreSQL, goes through SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.exc import DBAPIError


@dataclass(frozen=True)
class DriverRead:
    """One SELECT, compiled once, run through the driver."""

    sql: str
    parameters: tuple[str, ...]  # the bind parameters' names, in the order the SQL takes them
    fixed: Mapping[str, Any]  # values the statement holds itself (a literal compared against)
    row: type  # a named tuple of the columns: read as SQLAlchemy's rows are (`row.id`)
    processors: tuple[Callable[[Any], Any] | None, ...]

    @classmethod
    def compile(cls, statement: Select, dialect: Dialect) -> DriverRead:
        compiled = statement.compile(dialect=dialect)
        if compiled.positiontup is None:
            raise ValueError(f"{dialect.name} does not take positional parameters")
        if compiled.literal_execute_params or compiled.post_compile_params:
            # An IN list and the like: SQLAlchemy writes them into the SQL at each run.
            raise ValueError("a parameter is written into the SQL at each run (an IN list?)")
        for name in compiled.positiontup:
            if compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect):
                # Its values would need converting on the way in: not one of these reads.
                raise ValueError(f"the parameter {name!r} needs converting for {dialect.name}")
        columns = tuple(column.key for column in statement.selected_columns)
        if len(set(columns)) != len(columns):
            raise ValueError(f"two columns share a name: {columns}")
        processors = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        )
        return cls(
            sql=str(compiled),
            parameters=tuple(compiled.positiontup),
            fixed={name: value for name, value in compiled.params.items() if value is not None},
            row=namedtuple("Row", columns),
            processors=processors,
        )

    def rows(self, connection: Connection, values: Mapping[str, Any]) -> list[Any]:
        """The statement's rows for `values` (every open parameter), as named tuples."""
        arguments = tuple(
            values[name] if name in values else self.fixed[name] for name in self.parameters
        )
        driver: sqlite3.Connection = connection.connection.driver_connection
        try:
            found = driver.execute(self.sql, arguments).fetchall()
        except sqlite3.Error as error:
            raise DBAPIError.instance(self.sql, arguments, error, sqlite3.Error) from error
        make, processors = self.row._make, self.processors
        if not any(processors):
            return [make(columns) for columns in found]
        return [
            make(
                value if process is None or value is None else process(value)
                for process, value in zip(processors, columns, strict=True)
            )
            for columns in found
        ]
