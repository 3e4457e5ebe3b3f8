"""The shape of the package: modules import downward only (no cycle, lazy imports included), only
ticker.commands knows ffmpeg-python, no module grows past the size one concern fills, and the tables of
profiles, formats and targets cannot be changed while ticker runs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ticker.formats import ALPHA_DECODERS, FORMATS
from ticker.formats.mxf import MXF_VIDEO
from ticker.profiles import PROFILES
from ticker.targets import TARGETS

PACKAGE = Path(__file__).resolve().parents[2] / "ticker"
SUBPACKAGES = ["formats", "engine"]  # each one node of the import graph (ticker.desk has its own tests below)
FILES = {
    p.relative_to(PACKAGE).as_posix(): ast.parse(p.read_text(encoding="utf-8"))
    for p in sorted([*PACKAGE.glob("*.py"), *(q for s in SUBPACKAGES for q in (PACKAGE / s).glob("*.py"))])
}
MODULES = {
    **{name.removesuffix(".py"): tree for name, tree in FILES.items() if "/" not in name},
    **{
        s: ast.Module(
            body=[n for name, tree in FILES.items() if name.startswith(f"{s}/") for n in tree.body], type_ignores=[]
        )
        for s in SUBPACKAGES
    },
}
ENGINE = {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in sorted((PACKAGE / "engine").glob("*.py"))}
MOST_LINES = 450


def _imports(tree: ast.Module) -> set[str]:
    """Every module of ticker, and every top-level package, this module imports (anywhere in it)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] == "ticker":
                found |= {parts[1]} if len(parts) > 1 else {a.name for a in node.names}
            else:
                found.add(parts[0])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
    return found


def test_no_module_imports_one_that_imports_it_back():
    graph = {m: (_imports(t) & MODULES.keys()) - {m} for m, t in MODULES.items()}
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo += graph[m]
        assert start not in seen, f"ticker.{start} imports itself back through {sorted(seen & graph[start])}"


def test_only_the_commands_module_knows_ffmpeg_python():
    assert [m for m, t in MODULES.items() if "ffmpeg" in _imports(t)] == ["commands"]


@pytest.mark.parametrize("module", sorted(name.removesuffix(".py") for name in FILES))
def test_a_module_holds_one_concern(module):
    lines = (PACKAGE / f"{module}.py").read_text(encoding="utf-8").count("\n")
    assert lines <= MOST_LINES, f"ticker/{module}.py has {lines} lines: split it along its seams"


FAMILIES = {f"formats/{m}.py" for m in ("prores", "qtrle", "png", "h264", "mpeg2", "vp9", "mxf", "ts")}
# what a format's coding is called where ffmpeg names it: encoders, muxers, the decoders QC picks
CODING_NAMES = (
    {f.codec for f in FORMATS.values()}
    | {f.muxer for f in FORMATS.values()}
    | {flavour.muxer for flavour in MXF_VIDEO.values()}
    | set(ALPHA_DECODERS)
    | set(ALPHA_DECODERS.values())
)


def _coding_tests(tree: ast.AST) -> list[int]:
    """The lines that compare something with a codec's or a muxer's name (==, !=, in, a match case)."""

    def named(node: ast.AST) -> bool:
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return any(named(e) for e in node.elts)
        return isinstance(node, ast.Constant) and node.value in CODING_NAMES

    return [
        node.lineno
        for node in ast.walk(tree)
        if (isinstance(node, ast.Compare) and any(named(n) for n in (node.left, *node.comparators)))
        or (isinstance(node, ast.MatchValue) and named(node.value))
    ]


def test_only_a_format_s_own_module_tests_its_codec_or_muxer_by_name():
    """What a codec or container does is said once, by its family's class (ticker.formats.prores, …): no other
    module asks `codec == "mpeg2video"` or `muxer in ("mov", "mp4")`."""
    found = {
        f"{where}{name}:{line}"
        for where, files in (("ticker/", FILES), ("ticker/desk/", {f"{m}.py": t for m, t in DESK.items()}))
        for name, tree in files.items()
        if f"{where}{name}" not in {f"ticker/{f}" for f in FAMILIES}
        for line in _coding_tests(tree)
    }
    assert not found, f"codec or muxer names tested outside their family's module: {sorted(found)}"
    said = (
        'if fmt.codec == "mpeg2video":\n    pass\nok = fmt.muxer in ("mov", "mp4")\nmatch m:\n    case "mxf_d10": pass'
    )
    assert _coding_tests(ast.parse(said)) == [1, 3, 5], "the test finds the comparisons it is looking for"
    assert all((PACKAGE / f).is_file() for f in FAMILIES), "every family has its module"


@pytest.mark.parametrize("table", [PROFILES, FORMATS, TARGETS], ids=["profiles", "formats", "targets"])
def test_the_tables_cannot_be_changed_at_run_time(table):
    with pytest.raises(TypeError):
        table["new"] = next(iter(table.values()))  # type: ignore[index]


DESK = {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in sorted((PACKAGE / "desk").glob("*.py"))}


def _desk_imports(tree: ast.Module) -> set[str]:
    """The ticker.desk modules a module imports."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ticker.desk"):
            parts = node.module.split(".")
            found |= {parts[2]} if len(parts) > 2 else {a.name for a in node.names}
    return found


@pytest.mark.parametrize("module", sorted(DESK))
def test_a_desk_module_holds_one_concern_and_knows_no_encoder(module):
    lines = (PACKAGE / "desk" / f"{module}.py").read_text(encoding="utf-8").count("\n")
    assert lines <= MOST_LINES, f"ticker/desk/{module}.py has {lines} lines: split it along its seams"
    assert "ffmpeg" not in _imports(DESK[module])


def test_the_library_knows_nothing_of_the_desk_but_the_command_that_starts_it():
    assert [m for m, t in MODULES.items() if _desk_imports(t)] == ["cli"]


DELETES = {"rmtree", "unlink", "rmdir", "removedirs"}  # and os.remove


def _deletes(tree: ast.Module) -> list[int]:
    """The lines of a module that delete by path: shutil.rmtree, os.remove, os.unlink, Path.unlink, rmdir."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and (
            node.func.attr in DELETES
            or (node.func.attr == "remove" and isinstance(node.func.value, ast.Name) and node.func.value.id == "os")
        )
    ]


def test_only_the_module_that_works_by_descriptor_deletes():
    """A folder ticker works in can be swapped for a link while it runs: every removal goes through
    ticker.held, which removes relative to a folder's descriptor and never through a link."""
    found = {
        f"{where}{name}.py:{line}"
        for where, modules in (("ticker/", MODULES), ("ticker/desk/", DESK))
        for name, tree in modules.items()
        for line in _deletes(tree)
        if f"{where}{name}" != "ticker/held"
    }
    assert not found, f"deletes outside ticker.held: {sorted(found)}"
    assert _deletes(MODULES["held"]), "ticker.held itself deletes (the test looks for the right calls)"


STAGES = {"prepare", "survey", "phase_strips", "Blitter"}  # the engine's stages, called only through its front door
# where they may be called: the engine package, and the flat stage modules that define them (their own use)
STAGE_CALLERS = {"engine/survey.py", "engine/plan.py", "crawl.py", "strip.py", "blit.py"}


def _calls(tree: ast.Module) -> set[str]:
    """The names a module calls, by name or as an attribute (`prepare(…)`, `render.survey(…)`)."""
    return {
        node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
    }


def test_only_the_engine_calls_its_stages():
    """render, check, the proof page, the desk and the farm reach the engine through ticker.engine (plan,
    plan_output, a survey's blitter, strips and pictures), never by assembling its stages themselves."""
    modules = {
        **{f"{name}.py": tree for name, tree in MODULES.items() if name not in SUBPACKAGES},
        **{f"desk/{name}.py": tree for name, tree in DESK.items()},
        **{f"engine/{name}.py": tree for name, tree in ENGINE.items()},
    }
    found = {f"ticker/{where} calls {name}" for where, tree in modules.items() for name in _calls(tree) & STAGES}
    assert not {f for f in found if f.split(" ")[0].removeprefix("ticker/") not in STAGE_CALLERS}, sorted(found)
    assert {f.split(" ")[0] for f in found} >= {"ticker/engine/survey.py", "ticker/engine/plan.py"}, (
        "the engine itself calls its stages (the test looks for the right calls)"
    )


@pytest.mark.parametrize("module", sorted(ENGINE))
def test_an_engine_module_holds_one_concern_and_imports_nothing_above_it(module):
    lines = (PACKAGE / "engine" / f"{module}.py").read_text(encoding="utf-8").count("\n")
    assert lines <= MOST_LINES, f"ticker/engine/{module}.py has {lines} lines: split it along its seams"
    above = {"render", "preview", "proof", "cli", "jobs", "nightly"}
    assert not _imports(ENGINE[module]) & above, f"ticker/engine/{module}.py imports what uses the engine"


def test_the_engines_public_face_is_small_and_holds_no_logic():
    face = PACKAGE / "engine" / "__init__.py"
    assert face.read_text(encoding="utf-8").count("\n") < 40
    tree = ENGINE["__init__"]
    assert not [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)], "no logic in the face"
