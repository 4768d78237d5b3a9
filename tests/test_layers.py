"""Layer rules read from the source: fetch never imports crawl; checks never parse HTML."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "govinspect"
HTML_PARSERS = ("selectolax", "lxml", "bs4", "trafilatura", "govinspect.extract.html")


def imports_of(folder: str) -> dict[str, set[str]]:
    found = {}
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        found[path.relative_to(PACKAGE).as_posix()] = names
    return found


def test_fetch_does_not_import_crawl():
    wrong = {f: n for f, n in imports_of("fetch").items() if any(m.startswith("govinspect.crawl") for m in n)}
    assert imports_of("fetch") and wrong == {}


def test_checks_do_not_parse_html():
    wrong = {
        f: sorted(m for m in n if m.startswith(HTML_PARSERS))
        for f, n in imports_of("checks").items()
        if any(m.startswith(HTML_PARSERS) for m in n)
    }
    assert "checks/security.py" in imports_of("checks") and wrong == {}


def test_the_command_line_does_not_load_office_file_libraries():
    """python-docx and openpyxl (~30 MB) load only where a Word/Excel file is made, not in every
    `govinspect inspect` process."""
    import subprocess
    import sys

    code = "import sys, govinspect.cli; print(sorted({'docx', 'openpyxl'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_check_workers_entry_point_does_not_load_the_store_or_the_service():
    """The spawned check worker imports govinspect.inspection (the functions it runs are pickled by
    module): no database, web or service module comes with it (~35 MB a worker)."""
    import subprocess
    import sys

    code = (
        "import sys, govinspect.inspection; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy' "
        "or m.startswith(('govinspect.store', 'govinspect.service', 'govinspect.web'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_command_script_loads_the_cli_only_when_it_runs():
    """A spawned check worker runs the `govinspect` script again as its __main__: importing the
    module the script imports must not load the CLI (and with it the service and store layers)."""
    import subprocess
    import sys

    code = "import sys, govinspect.__main__; print('govinspect.cli' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
