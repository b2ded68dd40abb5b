"""The import graph of kiosk/, voice/ and peripherals/ has no circles and no upward edges.

The layers, from the bottom (README, "Where things are"):

1. ``voice/`` and ``peripherals/``: libraries; they never import ``kiosk/``.
2. ``kiosk.core``: settings, database, records, languages, health, clock, runtime. It imports
   only ``kiosk.core`` (and the libraries): what it needs of an area (the visit's language,
   the speech state, the worker's parts) is handed to it by the app factory.
3. ``kiosk.security``: sessions, vault, keys, tokens, accounts, limits, audit, purge. It imports
   only the core and itself: what it needs of an area (the visit's plain keys, the kiosk's
   error screen, an area's leftovers to purge) is handed to it by the app factory or
   registered by the area (``purge.on_purge``, the session store's end hooks).
4. The areas (``kiosk.visit``, ``kiosk.booking``...), which may import the core, security and
   one another, without circles.
5. The app factory (``kiosk/__init__.py``), ``kiosk.cli``, ``kiosk.wsgi`` and the gunicorn
   config, which put the areas together.

Every import counts, including those inside functions: a circle hidden in a function still ties
two modules together, and still makes the import order matter. ``from x import y`` is an edge to
``x.y`` when ``y`` is a submodule, and to ``x`` otherwise. Importing ``a.b.c`` does not count as
an edge to the packages ``a`` and ``a.b`` that Python loads on the way: otherwise every package
face that re-exports its submodules would form a circle with them.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kiosk", "voice", "peripherals")


def module_files(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file of ``packages`` under ``root``."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The known modules that ``module`` imports anywhere in its file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                targets.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _resolve_relative(module, is_package, node.level, node.module)
            else:
                base = node.module or ""
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in known else base)
    edges = set()
    for target in targets:
        # "import a.b.c" where only a.b is ours (c a name): the nearest known module.
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != module:
            edges.add(target)
    return edges


def import_graph(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    files = module_files(root, packages)
    known = set(files)
    return {name: imports_of(name, path, known) for name, path in files.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected component of more than one module, as one circle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = [0]

    def connect(node: str) -> None:
        # Iterative Tarjan: the kiosk graph is deep enough to make recursion a worry.
        work = [(node, iter(sorted(graph.get(node, ()))))]
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            advanced = False
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[current] = min(low[current], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[current])
            if low[current] == index[current]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == current:
                        break
                if len(component) > 1:
                    components.append(component)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_circle_in(sorted(component), graph) for component in components]


def _circle_in(component: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A readable circle a -> b -> ... -> a inside one strongly connected component."""
    members = set(component)
    start = component[0]
    # Breadth-first search back to the start gives the shortest circle through it.
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & members):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return list(reversed(path)) + [start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    return component  # unreachable for a strongly connected component


def test_no_import_circle_between_kiosk_modules() -> None:
    graph = import_graph(ROOT)
    kiosk_graph = {
        name: {target for target in targets if target.split(".")[0] == "kiosk"}
        for name, targets in graph.items()
        if name.split(".")[0] == "kiosk"
    }
    circles = find_cycles(kiosk_graph)
    assert not circles, "import circles:\n" + "\n".join(" -> ".join(c) for c in circles)


def test_voice_and_peripherals_do_not_import_kiosk() -> None:
    graph = import_graph(ROOT)
    upward = sorted(
        f"{name} -> {target}"
        for name, targets in graph.items()
        if name.split(".")[0] in ("voice", "peripherals")
        for target in targets
        if target.split(".")[0] == "kiosk"
    )
    assert not upward, "libraries importing the app:\n" + "\n".join(upward)


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def imports_above(graph: dict[str, set[str]], layer: str,
                  below: tuple[str, ...] = ()) -> list[str]:
    """Each edge from a module of ``layer`` to a kiosk module neither in it nor ``below`` it."""
    app = layer.split(".")[0]
    return sorted(
        f"{name} -> {target}"
        for name, targets in graph.items()
        if in_package(name, layer)
        for target in targets
        if in_package(target, app) and not in_package(target, layer)
        and not any(in_package(target, lower) for lower in below)
    )


def core_imports_above(graph: dict[str, set[str]], core: str = "kiosk.core") -> list[str]:
    """Each edge from a module of the core to a kiosk module outside it."""
    return imports_above(graph, core)


def test_the_core_imports_no_area() -> None:
    wrong = core_imports_above(import_graph(ROOT))
    assert not wrong, "kiosk.core importing what stands on it (hand it in from the app " \
        "factory instead):\n" + "\n".join(wrong)


def test_security_imports_only_the_core() -> None:
    wrong = imports_above(import_graph(ROOT), "kiosk.security", below=("kiosk.core",))
    assert not wrong, "kiosk.security importing an area (hand it in from the app factory, " \
        "or let the area register with security):\n" + "\n".join(wrong)


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_walker_reports_a_planted_circle_hidden_in_a_function(tmp_path: Path) -> None:
    _write(tmp_path, "app/__init__.py", "from app import a\n")
    _write(tmp_path, "app/a.py", "from app.b import helper\n")
    _write(tmp_path, "app/b.py", "def helper():\n    from app import c\n    return c\n")
    _write(tmp_path, "app/c.py", "from . import a\n")
    _write(tmp_path, "app/d.py", "import app.c\n")
    graph = import_graph(tmp_path, ("app",))
    assert graph["app.b"] == {"app.c"}  # the import inside a function is an edge
    assert graph["app.c"] == {"app.a"}  # relative, and "from package import submodule"
    assert find_cycles(graph) == [["app.a", "app.b", "app.c", "app.a"]]


def test_the_walker_finds_nothing_in_a_clean_package(tmp_path: Path) -> None:
    _write(tmp_path, "app/__init__.py", "from app.a import x\n")
    _write(tmp_path, "app/a.py", "from app.b import y\nx = y\n")
    _write(tmp_path, "app/b.py", "y = 1\n")
    assert find_cycles(import_graph(tmp_path, ("app",))) == []


def test_the_walker_sees_a_library_importing_the_app(tmp_path: Path) -> None:
    _write(tmp_path, "kiosk/__init__.py", "")
    _write(tmp_path, "kiosk/db.py", "")
    _write(tmp_path, "voice/__init__.py", "")
    _write(tmp_path, "voice/tts.py", "def f():\n    from kiosk import db\n")
    assert import_graph(tmp_path, ("kiosk", "voice"))["voice.tts"] == {"kiosk.db"}


def test_the_layering_rule_sees_the_core_importing_an_area(tmp_path: Path) -> None:
    _write(tmp_path, "kiosk/__init__.py", "from kiosk.core import i18n\n")
    _write(tmp_path, "kiosk/core/__init__.py", "")
    _write(tmp_path, "kiosk/core/db.py", "")
    _write(tmp_path, "kiosk/core/i18n.py",
           "from kiosk.core import db\n\n\ndef language():\n"
           "    from kiosk.visit import state\n    return state.load().lang\n")
    _write(tmp_path, "kiosk/core/health.py", "import kiosk\n")
    _write(tmp_path, "kiosk/visit/__init__.py", "")
    _write(tmp_path, "kiosk/visit/state.py", "from kiosk.core import db\n")
    graph = import_graph(tmp_path, ("kiosk",))
    assert core_imports_above(graph) == ["kiosk.core.health -> kiosk",
                                         "kiosk.core.i18n -> kiosk.visit.state"]


def test_the_layering_rule_sees_security_importing_an_area(tmp_path: Path) -> None:
    _write(tmp_path, "kiosk/__init__.py", "")
    _write(tmp_path, "kiosk/core/__init__.py", "")
    _write(tmp_path, "kiosk/core/db.py", "")
    _write(tmp_path, "kiosk/security/__init__.py", "")
    _write(tmp_path, "kiosk/security/vault.py", "from kiosk.core import db\n")
    _write(tmp_path, "kiosk/security/sessions.py",
           "from kiosk.security import vault\nfrom kiosk.visit.state import Visit\n")
    _write(tmp_path, "kiosk/security/purge.py",
           "def purge():\n    from kiosk.consult import signals\n")
    _write(tmp_path, "kiosk/visit/__init__.py", "")
    _write(tmp_path, "kiosk/visit/state.py", "from kiosk.security import sessions\n")
    _write(tmp_path, "kiosk/consult/__init__.py", "")
    _write(tmp_path, "kiosk/consult/signals.py", "")
    graph = import_graph(tmp_path, ("kiosk",))
    assert imports_above(graph, "kiosk.security", below=("kiosk.core",)) == [
        "kiosk.security.purge -> kiosk.consult.signals",
        "kiosk.security.sessions -> kiosk.visit.state",
    ]


# A decorator that adds a route: @bp.get("/"), @bp.route(...), the FHIR API's @route(...).
ROUTE_DECORATORS = frozenset({"get", "post", "put", "patch", "delete", "route"})


def is_view_module(path: Path) -> bool:
    """A module named ``views.py`` (or ``*_views.py``), or one that adds routes to a blueprint."""
    if path.stem == "views" or path.stem.endswith("_views"):
        return True
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                called = decorator.func if isinstance(decorator, ast.Call) else None
                name = (called.attr if isinstance(called, ast.Attribute)
                        else called.id if isinstance(called, ast.Name) else None)
                if name in ROUTE_DECORATORS:
                    return True
    return False


def view_modules_imported(root: Path, app: str = "kiosk") -> list[str]:
    """Each import of a view module by a module other than its own package (which imports it
    to register the routes) or the app factory (``app`` itself)."""
    files = module_files(root, (app,))
    views = {name for name, path in files.items() if is_view_module(path)}
    graph = import_graph(root, (app,))
    return sorted(
        f"{name} -> {target}"
        for name, targets in graph.items()
        for target in targets & views
        if name not in (app, target.rpartition(".")[0])
    )


def test_no_module_imports_a_view_module() -> None:
    wrong = view_modules_imported(ROOT)
    assert not wrong, "view modules used as libraries (move what is shared into the area's " \
        "service or helper module):\n" + "\n".join(wrong)


def test_the_view_rule_sees_a_view_module_used_as_a_library(tmp_path: Path) -> None:
    _write(tmp_path, "kiosk/__init__.py", "from kiosk.booking import views\n")
    _write(tmp_path, "kiosk/booking/__init__.py", "from kiosk.booking import confirm, views\n")
    _write(tmp_path, "kiosk/booking/blueprint.py", "bp = None\n")
    _write(tmp_path, "kiosk/booking/views.py", "def load_slot():\n    return None\n")
    _write(tmp_path, "kiosk/booking/identify.py",
           "from kiosk.booking.blueprint import bp\n\n\n@bp.get('/who')\ndef who():\n"
           "    return ''\n\n\ndef greeting():\n    return ''\n")
    _write(tmp_path, "kiosk/booking/words.py", "def upper_first():\n    return ''\n")
    _write(tmp_path, "kiosk/booking/confirm.py",
           "from kiosk.booking.identify import greeting\nfrom kiosk.booking.words import "
           "upper_first\n\n\ndef check():\n    from kiosk.booking.views import load_slot\n")
    assert view_modules_imported(tmp_path) == [
        "kiosk.booking.confirm -> kiosk.booking.identify",
        "kiosk.booking.confirm -> kiosk.booking.views",
    ]
