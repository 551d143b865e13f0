import typing

import pytest
from pydantic import BaseModel

from workshop.activities import KINDS
from workshop.curriculum import deck_forms


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_field_of_every_kind_has_a_form_field_with_a_label(kind):
    spec = KINDS[kind].Spec
    written = {info.alias or name for name, info in spec.model_fields.items()} - {"id", "kind"}
    if not spec.answerable:
        written.discard("sensitive")
    if KINDS[kind].comparison is None:
        written.discard("pairs_with")
    fields = deck_forms.form_fields(kind)
    assert {field.name for field in fields} == written
    models = {info.alias or name: info for name, info in spec.model_fields.items()}
    for field in fields:
        # Every field names itself (its Spec's title) and says what it is for (description).
        assert models[field.name].title, f"{kind}.{field.name} needs a title: its label"
        assert models[field.name].description, f"{kind}.{field.name} needs a description"
        assert field.label == models[field.name].title
        if field.row_fields:
            [row_model] = [
                argument
                for argument in typing.get_args(models[field.name].annotation)
                if isinstance(argument, type) and issubclass(argument, BaseModel)
            ]
            for name, info in row_model.model_fields.items():
                assert info.title and info.description, f"{kind}.{field.name}.{name}"


def fields_of(kind: str) -> dict[str, deck_forms.FormField]:
    return {field.name: field for field in deck_forms.form_fields(kind)}


def test_form_fields_take_their_shape_and_limits_from_the_spec():
    single = fields_of("single_choice")
    assert [field.name for field in deck_forms.form_fields("single_choice")][:3] == [
        "title",
        "prompt",
        "options",
    ]
    assert single["options"].shape == "lines" and single["options"].max_items == 12
    assert single["title"].shape == "line"
    assert single["notes"].shape == "text"
    assert single["sensitive"].shape == "flag"
    minutes = single["minutes"]
    assert (minutes.shape, minutes.minimum, minutes.maximum, minutes.whole) == (
        "number",
        0,
        120,
        False,
    )
    limit = fields_of("multiple_choice")["max_choices"]
    assert (limit.whole, limit.optional, limit.minimum, limit.default) == (True, True, 1, None)
    statements = fields_of("battery")["statements"]
    assert statements.shape == "rows" and statements.row_name == "statement"
    assert [part.name for part in statements.row_fields] == ["text", "construct", "direction"]
    direction = statements.row_fields[2]
    assert (direction.shape, direction.choices) == ("choice", ("", "concern", "strength"))
    answer = fields_of("knowledge_check")["statements"].row_fields[1]
    assert (answer.name, answer.shape) == ("answer", "flag")
    assert "sensitive" not in fields_of("info")
