from pathlib import Path

from workshop.cli import build_parser, command_names, main


def test_validate_passes_on_the_built_in_decks(capsys):
    assert main(["decks", "validate"]) == 0
    assert "codependency-to-interdependency-90.toml: ok" in capsys.readouterr().out


def test_validate_prints_each_problem_and_fails(tmp_path: Path, capsys):
    path = tmp_path / "broken.toml"
    path.write_text(
        'id = "broken"\ntitle = "Broken"\n[[activities]]\nid = "pick"\n'
        'kind = "single_choice"\ntitle = "Pick"\nminutes = 2\noptions = ["only one"]\n',
        encoding="utf-8",
    )
    assert main(["decks", "validate", str(path)]) == 1
    output = capsys.readouterr().out
    assert "broken.toml, activity 'pick', field 'options'" in output


def test_init_creates_the_database(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    monkeypatch.delenv("WORKSHOP_PASSCODE", raising=False)
    assert main(["init"]) == 0
    assert (tmp_path / "new.db").exists()
    assert "dashboard will ask for one" in capsys.readouterr().out


def test_every_command_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    commands = command_names(build_parser())
    assert commands == ["init", "passcode", "decks validate"]
    for command in commands:
        assert f"`workshop {command}" in readme, command
