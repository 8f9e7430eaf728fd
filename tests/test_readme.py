"""The README's instructions for a newcomer: they must work on Debian's own Python and name every exit code."""

from __future__ import annotations

import re
from pathlib import Path

from mikiwame import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def _shell_lines() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    return [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]


def test_every_pip_install_in_the_readme_goes_into_a_venv() -> None:
    # Debian's python3 refuses `pip install` (PEP 668 externally-managed-environment): a bare
    # `pip install -e .` is the first command a newcomer copies, and it fails.
    installs = [line for line in _shell_lines() if "pip install" in line]
    assert installs, "the README shows how to install the command-line tool"
    for line in installs:
        assert re.search(r"(^|\s|&&\s*)\.venv/bin/pip install", line), line
        assert "python3 -m venv .venv" in line or "./test.sh" in README, line
    assert "externally-managed-environment" in README
    assert "./test.sh" in README and "the `.venv` that `./test.sh` makes" in README


def test_readme_and_cli_docstring_name_the_same_exit_codes() -> None:
    codes = {int(m) for m in re.findall(r"^\s+(\d+)\s", cli.__doc__, flags=re.M)}
    assert {0, 1, 2, 3, 64, 65} <= codes
    section = README[README.index("Exit codes:"):]
    section = section[:section.index("\n\n")]
    for code in codes:
        assert f"`{code}`" in section, f"README's exit codes lack {code}"
    assert {cli.EXIT_USAGE, cli.EXIT_NOT_TEXT, cli.EXIT_BAD_LINES, cli.EXIT_PIPE, *cli.EXIT.values()} == codes
