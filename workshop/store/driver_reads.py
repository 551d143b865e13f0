"""The few reads every phone request makes, run straight through the database's driver.

SQLAlchemy's execution layer costs more than SQLite takes to run these reads: 73 µs for the
session lookup against 14 µs through the sqlite3 connection with the same SQL, 34 µs against
5 µs for the participant lookup (one process, 5,000 runs each). A phone request makes several,
on the event loop, where a busy room's server spends its one core. On PostgreSQL the same
layer wraps every read of a worker thread.

So each such statement is compiled once by SQLAlchemy (the very SQL it would send, with its
parameters as the dialect writes them: `?` for sqlite3, `%(name)s` for psycopg), run through a
DB-API cursor of the pooled connection's own driver connection
(`Connection.connection.driver_connection`, SQLAlchemy's public way to it), and its columns go
through the result processors SQLAlchemy would apply (a Boolean column's 0 and 1 become False
and True on SQLite). A driver error is raised as SQLAlchemy would raise it
(`DBAPIError.instance`), so the web layer's "try again" page still knows it, and a connection
the server has dropped is invalidated, so the pool replaces it. (SQLAlchemy would also mark the
pool's other connections stale; here the pool's check at checkout finds each one the server
has closed: database.py, `_replace_if_hung_up`.)
Transactions are unchanged: Python's sqlite3 begins none for a SELECT; on PostgreSQL the store
reads on connections in autocommit (`Store._autocommit`), so psycopg begins none either.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.exc import DBAPIError


@dataclass(frozen=True)
class DriverRead:
    """One SELECT, compiled once, run through the driver."""

    sql: str
    parameters: tuple[str, ...]  # the bind parameters' names, in the order the SQL takes them
    named: bool  # the driver takes the parameters by name (psycopg), not by position (sqlite3)
    fixed: Mapping[str, Any]  # values the statement holds itself (a literal compared against)
    row: type  # a named tuple of the columns: read as SQLAlchemy's rows are (`row.id`)
    types: tuple[Any, ...]  # the columns' SQLAlchemy types, for their result processors
    dialect: Dialect  # its driver's errors, and which of them mean the connection is lost
    # The columns' result processors, made on the first run: some need the type the database
    # says a column has (psycopg's numbers), which only a cursor's description tells.
    processed: dict[str, tuple[Callable[[Any], Any] | None, ...]] = field(
        default_factory=dict, compare=False
    )

    @classmethod
    def compile(cls, statement: Select, dialect: Dialect) -> DriverRead:
        compiled = statement.compile(dialect=dialect)
        named = compiled.positiontup is None
        if named and dialect.paramstyle not in {"named", "pyformat"}:
            raise ValueError(f"{dialect.name} takes its parameters as {dialect.paramstyle}")
        # Positional: a name comes once for each place the SQL takes it.
        names = tuple(compiled.bind_names.values() if named else compiled.positiontup)
        if compiled.literal_execute_params or compiled.post_compile_params:
            # An IN list and the like: SQLAlchemy writes them into the SQL at each run.
            raise ValueError("a parameter is written into the SQL at each run (an IN list?)")
        for bind, name in compiled.bind_names.items():
            if bind.type.dialect_impl(dialect).bind_processor(dialect):
                # Its values would need converting on the way in: not one of these reads.
                raise ValueError(f"the parameter {name!r} needs converting for {dialect.name}")
        columns = tuple(column.key for column in statement.selected_columns)
        if len(set(columns)) != len(columns):
            raise ValueError(f"two columns share a name: {columns}")
        return cls(
            sql=str(compiled),
            parameters=names,
            named=named,
            fixed={name: value for name, value in compiled.params.items() if value is not None},
            row=namedtuple("Row", columns),
            types=tuple(column.type for column in statement.selected_columns),
            dialect=dialect,
        )

    def _processors(self, cursor: Any) -> tuple[Callable[[Any], Any] | None, ...]:
        dialect = self.dialect
        return tuple(
            kind.dialect_impl(dialect).result_processor(dialect, described[1])
            for kind, described in zip(self.types, cursor.description, strict=True)
        )

    def _value(self, name: str, values: Mapping[str, Any]) -> Any:
        return values[name] if name in values else self.fixed[name]

    def rows(self, connection: Connection, values: Mapping[str, Any]) -> list[Any]:
        """The statement's rows for `values` (every open parameter), as named tuples."""
        if self.named:
            arguments: Any = {name: self._value(name, values) for name in self.parameters}
        else:
            arguments = tuple(self._value(name, values) for name in self.parameters)
        driver = connection.connection.driver_connection
        failure = self.dialect.loaded_dbapi.Error
        try:
            cursor = driver.cursor()
            try:
                cursor.execute(self.sql, arguments)
                found = cursor.fetchall()
                processors = self.processed.get("columns")
                if processors is None:
                    processors = self.processed["columns"] = self._processors(cursor)
            finally:
                cursor.close()
        except failure as error:
            lost = self.dialect.is_disconnect(error, driver, None)
            if lost:
                connection.invalidate(error)  # the pool replaces it, as SQLAlchemy would
            raise DBAPIError.instance(
                self.sql, arguments, error, failure, connection_invalidated=lost
            ) from error
        make = self.row._make
        if not any(processors):
            return [make(columns) for columns in found]
        return [
            make(
                value if process is None or value is None else process(value)
                for process, value in zip(processors, columns, strict=True)
            )
            for columns in found
        ]
